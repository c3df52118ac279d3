/** What a client needs to draw a run's graph: its edges and the nodes past which there is no undo. */
import type { SpecGraph } from './graph-types';
import type { RunGraph } from './run-types';

export const runGraphOf = (graph: SpecGraph): RunGraph => ({
  graph_id: graph.graph_id,
  edges: graph.edges,
  points_of_no_return: graph.nodes.filter((n) => n.point_of_no_return).map((n) => n.node_id),
});
