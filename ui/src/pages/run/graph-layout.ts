/**
 * Where each node and edge of a run's graph is drawn: dagre lays the graph out left to right from
 * the run's edges (GET /deploy/graph). A layout depends only on the graph (its nodes and edges),
 * never on statuses, so live events re-color nodes without laying anything out again.
 *
 * dagre's defaults (network-simplex ranks, crossing minimization by repeated sweeps) take tens of
 * seconds on a thousand nodes; above SMALL_GRAPH nodes the layout ranks by longest path and orders
 * each rank in one sweep (`oneSweep`), which lays out 1,000 nodes and 2,000 edges in about 0.3 s.
 */
import dagre, { type graphlib } from '@dagrejs/dagre';
import type { SpecEdge } from '../../../../src/model/graph-types';

export const NODE_WIDTH = 168;
export const NODE_HEIGHT = 44;
const GAP_X = 56;
const GAP_Y = 20;
const MARGIN = 12;
const SMALL_GRAPH = 200;

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  /** Top-left corner of each node, by node id. */
  readonly positions: ReadonlyMap<string, Point>;
  readonly edges: readonly (SpecEdge & { readonly points: readonly Point[] })[];
}

/**
 * A rank's order for a large graph: ranks left to right, each node at the mean position of its
 * predecessors in the rank before (dagre's barycenter heuristic, swept once instead of until stable).
 */
function oneSweep(graph: graphlib.Graph<unknown, { rank?: number; order?: number }>): void {
  const ranks: string[][] = [];
  for (const id of graph.nodes()) (ranks[graph.node(id).rank ?? 0] ??= []).push(id);
  const orderOf = (id: string): number => graph.node(id).order ?? 0;
  for (const rank of ranks) {
    if (!rank) continue;
    const centers = new Map(
      rank.map((id, i) => {
        const from = graph.predecessors(id) ?? [];
        return [id, from.length ? from.reduce((sum, p) => sum + orderOf(p), 0) / from.length : i];
      }),
    );
    rank.sort((a, b) => (centers.get(a) ?? 0) - (centers.get(b) ?? 0)).forEach((id, i) => (graph.node(id).order = i));
  }
}

/**
 * The layout of the nodes `edges` join (in the order the edges name them), made as soon as the
 * graph is read, before the status lists every node (`withNodes` then adds those no edge joins).
 */
export const layoutOfEdges = (edges: readonly SpecEdge[]): Layout =>
  layoutGraph([...new Set(edges.flatMap((edge) => [edge.from, edge.to]))], edges);

/**
 * `layout` (of the nodes edges join) with the nodes of `nodeIds` it lacks, which no edge joins,
 * in a column under it; undefined when it has a node `nodeIds` lacks (it is of another graph).
 */
export function withNodes(layout: Layout, nodeIds: readonly string[]): Layout | undefined {
  const ids = new Set(nodeIds);
  for (const id of layout.positions.keys()) if (!ids.has(id)) return undefined;
  const alone = nodeIds.filter((id) => !layout.positions.has(id));
  if (alone.length === 0) return layout;
  const top = layout.positions.size > 0 ? layout.height - MARGIN + GAP_Y : MARGIN;
  const positions = new Map(layout.positions);
  alone.forEach((id, i) => positions.set(id, { x: MARGIN, y: top + i * (NODE_HEIGHT + GAP_Y) }));
  return {
    ...layout,
    positions,
    width: Math.max(layout.width, NODE_WIDTH + 2 * MARGIN),
    height: top + alone.length * (NODE_HEIGHT + GAP_Y) - GAP_Y + MARGIN,
  };
}

export function layoutGraph(nodeIds: readonly string[], edges: readonly SpecEdge[]): Layout {
  const graph = new dagre.graphlib.Graph<
    {
      rankdir?: string;
      ranker?: 'network-simplex' | 'tight-tree' | 'longest-path';
      nodesep?: number;
      ranksep?: number;
      marginx?: number;
      marginy?: number;
      width?: number;
      height?: number;
    },
    { x: number; y: number; width: number; height: number },
    { points: Point[] }
  >();
  const small = nodeIds.length <= SMALL_GRAPH;
  graph.setGraph({
    rankdir: 'LR',
    ranker: small ? 'network-simplex' : 'longest-path',
    nodesep: GAP_Y,
    ranksep: GAP_X,
    marginx: MARGIN,
    marginy: MARGIN,
  });
  graph.setDefaultEdgeLabel(() => ({ points: [] }));
  for (const id of nodeIds) graph.setNode(id, { x: 0, y: 0, width: NODE_WIDTH, height: NODE_HEIGHT });
  const known = new Set(nodeIds);
  const drawn = edges.filter((e) => known.has(e.from) && known.has(e.to));
  for (const edge of drawn) graph.setEdge(edge.from, edge.to);
  dagre.layout(graph, small ? {} : { customOrder: oneSweep });
  const positions = new Map(
    nodeIds.map((id) => {
      const { x, y } = graph.node(id);
      return [id, { x: x - NODE_WIDTH / 2, y: y - NODE_HEIGHT / 2 }];
    }),
  );
  const { width = 0, height = 0 } = graph.graph();
  return {
    width,
    height,
    positions,
    edges: drawn.map((edge) => ({ ...edge, points: graph.edge(edge.from, edge.to).points })),
  };
}
