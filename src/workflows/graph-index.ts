/**
 * Adjacency of the spec graph as a run walks it. An apply or verify follows the edges; a destroy
 * walks them backwards (dependents are deleted first) and treats every edge as a plain dependency.
 */
import type { EdgeKind, SpecGraph, SpecNode } from '../model/graph-types';

export interface Link {
  readonly id: string;
  readonly kind: EdgeKind;
}

export interface GraphIndex {
  readonly nodes: ReadonlyMap<string, SpecNode>;
  readonly preds: ReadonlyMap<string, readonly Link[]>;
  readonly succs: ReadonlyMap<string, readonly Link[]>;
}

export function indexGraph(graph: SpecGraph, reverse: boolean): GraphIndex {
  const nodes = new Map(graph.nodes.map((node) => [node.node_id, node]));
  const preds = new Map<string, Link[]>(graph.nodes.map((node) => [node.node_id, []]));
  const succs = new Map<string, Link[]>(graph.nodes.map((node) => [node.node_id, []]));
  for (const edge of graph.edges) {
    const [from, to, kind] = reverse ? [edge.to, edge.from, 'dependency' as const] : [edge.from, edge.to, edge.kind];
    succs.get(from)?.push({ id: to, kind });
    preds.get(to)?.push({ id: from, kind });
  }
  return { nodes, preds, succs };
}
