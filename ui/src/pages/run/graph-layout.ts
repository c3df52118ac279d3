/**
 * Where each node and edge of a run's graph is drawn. dagre lays the graph out left to right when
 * it has edges; without edges (the status does not give them yet) the nodes go in a grid, in the
 * status's graph order. A layout depends only on the graph's shape (`shapeKey`), never on
 * statuses, so live events re-color nodes without laying anything out again.
 */
import dagre from '@dagrejs/dagre';
import type { EdgeKind, RunNode } from './run-types';

export const NODE_WIDTH = 168;
export const NODE_HEIGHT = 44;
const GAP_X = 28;
const GAP_Y = 20;
const MARGIN = 12;

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  /** Top-left corner of each node, by node id. */
  readonly positions: ReadonlyMap<string, { readonly x: number; readonly y: number }>;
  readonly edges: readonly (GraphEdge & { readonly points: readonly { x: number; y: number }[] })[];
}

export function edgesOf(nodes: readonly RunNode[]): GraphEdge[] {
  return nodes.flatMap((node) =>
    (node.depends_on ?? []).map((d) => ({ from: d.node_id, to: node.node_id, kind: d.kind })),
  );
}

/** A string that changes exactly when the nodes or edges do: the memo key of a layout. */
export function shapeKey(nodes: readonly RunNode[], edges: readonly GraphEdge[]): string {
  return `${nodes.map((n) => n.node_id).join(',')}|${edges.map((e) => `${e.from}>${e.to}:${e.kind}`).join(',')}`;
}

function gridLayout(nodes: readonly RunNode[], columns: number): Layout {
  const positions = new Map(
    nodes.map((node, i) => [
      node.node_id,
      { x: MARGIN + (i % columns) * (NODE_WIDTH + GAP_X), y: MARGIN + Math.floor(i / columns) * (NODE_HEIGHT + GAP_Y) },
    ]),
  );
  const rows = Math.ceil(nodes.length / columns);
  return {
    width: MARGIN * 2 + Math.min(columns, nodes.length) * (NODE_WIDTH + GAP_X) - GAP_X,
    height: MARGIN * 2 + rows * (NODE_HEIGHT + GAP_Y) - GAP_Y,
    positions,
    edges: [],
  };
}

function dagreLayout(nodes: readonly RunNode[], edges: readonly GraphEdge[]): Layout {
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
    { points: { x: number; y: number }[] }
  >();
  graph.setGraph({ rankdir: 'LR', nodesep: GAP_Y, ranksep: GAP_X * 2, marginx: MARGIN, marginy: MARGIN });
  graph.setDefaultEdgeLabel(() => ({ points: [] }));
  for (const node of nodes) graph.setNode(node.node_id, { x: 0, y: 0, width: NODE_WIDTH, height: NODE_HEIGHT });
  const known = new Set(nodes.map((n) => n.node_id));
  const drawn = edges.filter((e) => known.has(e.from) && known.has(e.to));
  for (const edge of drawn) graph.setEdge(edge.from, edge.to);
  dagre.layout(graph);
  const positions = new Map(
    nodes.map((node) => {
      const { x, y } = graph.node(node.node_id);
      return [node.node_id, { x: x - NODE_WIDTH / 2, y: y - NODE_HEIGHT / 2 }];
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

/** The layout of a graph; `columns` only matters for a graph without edges. */
export function layoutGraph(nodes: readonly RunNode[], edges: readonly GraphEdge[], columns: number): Layout {
  return edges.length === 0 ? gridLayout(nodes, Math.max(1, columns)) : dagreLayout(nodes, edges);
}
