/**
 * Where each node and edge of a run's graph is drawn, left to right from the run's edges
 * (GET /deploy/graph). A layout depends only on the graph (its nodes and edges), never on
 * statuses, so live events re-color nodes without laying anything out again.
 *
 * Up to SMALL_GRAPH nodes, dagre lays the graph out (network-simplex ranks, crossing minimization,
 * edges routed around nodes). Beyond that, dagre takes from half a second to tens of seconds (a
 * thousand nodes, two thousand edges, on a busy 2-core machine), so `layered` does the same kind
 * of layout in time linear in nodes and edges: a column per longest-path rank, each column ordered
 * once by the mean row of its predecessors (dagre's barycenter heuristic, one sweep), edges drawn
 * straight from node to node.
 */
import dagre from '@dagrejs/dagre';
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

/** A large graph's layout: longest-path columns, each ordered by one barycenter sweep, straight edges. */
function layered(nodeIds: readonly string[], edges: readonly SpecEdge[]): Layout {
  const preds = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  const succs = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  for (const { from, to } of edges) {
    preds.get(to)?.push(from);
    succs.get(from)?.push(to);
  }
  // Kahn's order gives each node its rank after all its predecessors' (the graph is acyclic).
  const waiting = new Map(nodeIds.map((id) => [id, preds.get(id)?.length ?? 0]));
  const queue = nodeIds.filter((id) => waiting.get(id) === 0);
  const rank = new Map<string, number>();
  for (let i = 0; i < queue.length; i += 1) {
    const id = queue[i] as string;
    rank.set(id, Math.max(0, ...(preds.get(id) ?? []).map((p) => (rank.get(p) ?? 0) + 1)));
    for (const next of succs.get(id) ?? []) {
      const left = (waiting.get(next) ?? 1) - 1;
      waiting.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  const columns: string[][] = [];
  for (const id of queue) (columns[rank.get(id) ?? 0] ??= []).push(id);
  const row = new Map<string, number>();
  for (const column of columns) {
    const center = (id: string, i: number): number => {
      const from = preds.get(id) ?? [];
      return from.length ? from.reduce((sum, p) => sum + (row.get(p) ?? 0), 0) / from.length : i;
    };
    const ordered = column.map((id, i) => ({ id, at: center(id, i) })).sort((a, b) => a.at - b.at);
    ordered.forEach(({ id }, i) => row.set(id, i));
  }
  const positions = new Map<string, Point>(
    queue.map((id) => [
      id,
      {
        x: MARGIN + (rank.get(id) ?? 0) * (NODE_WIDTH + GAP_X),
        y: MARGIN + (row.get(id) ?? 0) * (NODE_HEIGHT + GAP_Y),
      },
    ]),
  );
  const tallest = Math.max(0, ...columns.map((c) => c.length));
  const at = (id: string): Point => positions.get(id) ?? { x: 0, y: 0 };
  return {
    width: 2 * MARGIN + columns.length * (NODE_WIDTH + GAP_X) - GAP_X,
    height: 2 * MARGIN + tallest * (NODE_HEIGHT + GAP_Y) - GAP_Y,
    positions,
    edges: edges
      .filter((e) => positions.has(e.from) && positions.has(e.to))
      .map((edge) => {
        const from = at(edge.from);
        const to = at(edge.to);
        const start = { x: from.x + NODE_WIDTH, y: from.y + NODE_HEIGHT / 2 };
        const end = { x: to.x, y: to.y + NODE_HEIGHT / 2 };
        return { ...edge, points: [start, { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 }, end] };
      }),
  };
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
  if (nodeIds.length > SMALL_GRAPH) return layered(nodeIds, edges);
  const graph = new dagre.graphlib.Graph<
    {
      rankdir?: string;
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
  graph.setGraph({
    rankdir: 'LR',
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
  dagre.layout(graph);
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
