/** compareGraphs: a config's spec graph against the last apply's, node by node. */
import { buildSpecGraph } from '../../src/model/build-graph';
import { compareGraphs, valueChanges } from '../../src/model/graph-diff';
import type { SpecGraph } from '../../src/model/graph-types';
import { validateConfig } from '../../src/model/validate-config';
import { registry } from '../../src/resources/registry';

type Resources = Record<string, Record<string, unknown>>;

function graphOf(resources: Resources): SpecGraph {
  const validated = validateConfig({ deployment_id: 'diff-app', resources }, registry);
  if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
  return buildSpecGraph(validated.config, registry, null);
}

const delay = (duration_ms: number, more: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'core:delay',
  properties: { duration_ms },
  ...more,
});

/** The comparison by resource id. */
function byResource(applied: Resources, next: Resources): Record<string, unknown> {
  const after = graphOf(next);
  const { nodes, removed } = compareGraphs(graphOf(applied), after);
  return {
    ...Object.fromEntries(after.nodes.map((node) => [node.resource_id, nodes[node.node_id]])),
    removed: removed.map((node) => node.resource_id),
  };
}

it('finds nothing to do in the same config', () => {
  const config = { build: delay(10), release: delay(10, { depends_on: ['build'] }) };
  expect(byResource(config, config)).toEqual({
    build: { action: 'no-op', changes: [] },
    release: { action: 'no-op', changes: [] },
    removed: [],
  });
});

it('names a changed property by its path with old and new values', () => {
  expect(byResource({ build: delay(10) }, { build: delay(25) })).toEqual({
    build: { action: 'update', changes: [{ path: 'properties.duration_ms', before: 10, after: 25 }] },
    removed: [],
  });
});

it('tells new, removed and rewired nodes apart', () => {
  const applied = { build: delay(10), old: delay(10), release: delay(10, { depends_on: ['old'] }) };
  const next = {
    build: delay(10),
    fresh: delay(5),
    release: delay(10, { depends_on: [{ resource: 'build', edge: 'pause' }] }),
  };
  const result = byResource(applied, next);
  expect(result['fresh']).toEqual({ action: 'create', changes: [] });
  expect(result['build']).toEqual({ action: 'no-op', changes: [] });
  expect(result['removed']).toEqual(['old']);
  const graph = graphOf(next);
  const id = (resource: string): string => graph.nodes.find((n) => n.resource_id === resource)?.node_id ?? '';
  const oldId = graphOf(applied).nodes.find((n) => n.resource_id === 'old')?.node_id;
  expect(result['release']).toEqual({
    action: 'update',
    changes: [
      {
        path: 'depends_on',
        before: [{ node_id: oldId, kind: 'dependency' }],
        after: [{ node_id: id('build'), kind: 'pause' }],
      },
    ],
  });
});

it('names an operation turned to delete', () => {
  const approval = { type: 'core:approval', properties: {} };
  const applied = { gate: approval, build: delay(10), other: delay(1) };
  const next = { gate: approval, build: { ...delay(10), operation: 'delete' }, other: delay(1) };
  expect(byResource(applied, next)['build']).toEqual({
    action: 'update',
    changes: [{ path: 'operation', before: 'create', after: 'delete' }],
  });
});

it('walks nested objects leaf by leaf and keeps arrays whole', () => {
  expect(
    valueChanges({ a: { b: 1, c: [1] }, gone: true }, { a: { b: 2, c: [1, 2] }, added: 'x' }, 'properties'),
  ).toEqual([
    { path: 'properties.a.b', before: 1, after: 2 },
    { path: 'properties.a.c', before: [1], after: [1, 2] },
    { path: 'properties.added', before: undefined, after: 'x' },
    { path: 'properties.gone', before: true, after: undefined },
  ]);
});
