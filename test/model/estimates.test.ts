/** Seed 001's estimated_time: the critical path of per-node estimates, from past durations where there are some. */
import { criticalPathSeconds, estimateProfile, estimatedSeconds } from '../../src/model/estimates';
import type { SpecEdge, SpecGraph, SpecNode } from '../../src/model/graph-types';
import { orderGraph } from '../../src/model/order';

const node = (id: string, type: string, properties: Record<string, unknown> = {}): SpecNode => ({
  node_id: id,
  resource_id: id,
  type,
  operation: 'create',
  region: null,
  properties,
  references: {},
  tags: {},
});
const edge = (from: string, to: string): SpecEdge => ({ from, to, kind: 'dependency' }) as SpecEdge;
const graphOf = (nodes: SpecNode[], edges: SpecEdge[]): SpecGraph => ({
  graph_id: 'g',
  deployment_id: 'd',
  version: 'v1',
  nodes,
  edges,
});

// role → (fn-a, fn-b) → gate → wait(1.5 s); a secret beside them all.
const graph = graphOf(
  [
    node('role', 'aws:iam:role'),
    node('fn-a', 'aws:lambda:function'),
    node('fn-b', 'aws:lambda:function'),
    node('gate', 'core:approval'),
    node('wait', 'core:delay', { duration_ms: 1500 }),
    node('secret', 'github:secret:repo'),
  ],
  [edge('role', 'fn-a'), edge('role', 'fn-b'), edge('fn-a', 'gate'), edge('fn-b', 'gate'), edge('gate', 'wait')],
);
const order = orderGraph(graph).order;

it("without history, sums each type's typical seconds along the longest path (a gate waits for no one)", () => {
  expect(estimatedSeconds(graph, order)).toBe(10 + 30 + 0 + 1.5);
});

it("counts a core:wait's own duration, whatever its past runs took", () => {
  const soak = graphOf(
    [node('secret', 'github:secret:repo'), node('soak', 'core:wait', { duration: '30m' })],
    [edge('secret', 'soak')],
  );
  const history = { 'core:wait': { count: 1, seconds: 5 } };
  expect(estimatedSeconds(soak, orderGraph(soak).order, history)).toBe(2 + 1800);
});

it("takes a type's mean past duration where the history has it, and keeps a delay's own and a gate's none", () => {
  const history = {
    'aws:lambda:function': { count: 4, seconds: 10 },
    'core:approval': { count: 2, seconds: 7200 },
    'core:delay': { count: 1, seconds: 99 },
  };
  expect(estimatedSeconds(graph, order, history)).toBe(10 + 2.5 + 0 + 1.5);
  // A slow unrelated branch becomes the critical path once its history says so.
  expect(estimatedSeconds(graph, order, { 'github:secret:repo': { count: 1, seconds: 60.04 } })).toBe(60);
});

it('estimates the same from a profile that crossed a thread (structured clone) as from the graph', () => {
  const history = { 'aws:iam:role': { count: 3, seconds: 4.5 } };
  const crossed = structuredClone(estimateProfile(graph, order));
  expect(criticalPathSeconds(crossed, history)).toBe(estimatedSeconds(graph, order, history));
  expect(criticalPathSeconds(crossed, history)).toBe(1.5 + 30 + 1.5);
});
