/**
 * Seed 001's `estimated_time`: the seconds a run of a graph takes if nothing waits for a person,
 * the longest (critical) path through its dependencies of per-node estimates. A node's estimate is
 * its type's typical duration (below; a `core:delay` takes its own `duration_ms`).
 */
import type { SpecGraph, SpecNode } from './graph-types';

/** Typical seconds per type (provider calls and the waits AWS needs). */
const TYPICAL_SECONDS: Readonly<Record<string, number>> = {
  'aws:iam:role': 10,
  'aws:iam:policy': 5,
  'aws:iam:policy:attach': 3,
  'aws:lambda:function': 30,
  'aws:lambda:layer': 15,
  'aws:s3:bucket': 5,
  'aws:s3:object': 3,
  'github:action:trigger': 60,
  'slack:message': 1,
  'core:approval': 0,
};
/** A type not listed (GitHub secrets, repositories, a platform team's own): a couple of calls. */
const OTHER_SECONDS = 2;

export function nodeEstimate(node: SpecNode): number {
  if (node.type === 'core:delay') {
    const ms = node.properties['duration_ms'];
    return typeof ms === 'number' ? ms / 1000 : 0;
  }
  return TYPICAL_SECONDS[node.type] ?? OTHER_SECONDS;
}

/** The critical path's seconds; `order` is a topological order of the graph's node ids. */
export function estimatedSeconds(graph: SpecGraph, order: readonly string[]): number {
  const byId = new Map(graph.nodes.map((node) => [node.node_id, node]));
  const into = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const list = into.get(edge.to);
    if (list) list.push(edge.from);
    else into.set(edge.to, [edge.from]);
  }
  const finish = new Map<string, number>();
  let longest = 0;
  for (const id of order) {
    const node = byId.get(id);
    if (!node) continue;
    const start = (into.get(id) ?? []).reduce((latest, from) => Math.max(latest, finish.get(from) ?? 0), 0);
    const end = start + nodeEstimate(node);
    finish.set(id, end);
    longest = Math.max(longest, end);
  }
  return Math.round(longest * 10) / 10;
}
