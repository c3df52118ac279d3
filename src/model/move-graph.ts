/**
 * A region move (seed 001 A.3) as one saga: the graph of one apply run that
 *
 *   1. applies the deployment with `from_region` replaced by `to_region`: every node of the old
 *      region gets a counterpart in the new one (its own node id, references and edges re-pointed,
 *      `[from]` selectors rewritten), and is verified right after its apply (the workflow does that
 *      for runs with `move`);
 *   2. re-applies every other node, so what referenced the old region (a secret holding an ARN)
 *      now gets the new region's outputs: the switch;
 *   3. then, once all of that has completed, deletes the old region's nodes (delete nodes keep
 *      their old node ids, so each type recognizes its own resource), dependents first.
 *
 * A failure before step 3 rolls back (the move runs with on_failure `rollback` unless told
 * otherwise): what was created in the new region is deleted and the old region was never touched.
 * Once a delete has started, that is the point of no return: a failure halts for a decision.
 * Without `delete_old` (a copy), the old region's nodes stay in the graph as they were, so the
 * deployment then spans both regions.
 * `pause` edges stay (a move pauses where a deploy would), `end` edges become dependencies (a move
 * must reach its deletes). Pure code.
 */
import { graphIdOf, nodeIdOf, sortEdges } from './build-graph';
import type { NodeReference, SpecEdge, SpecGraph, SpecNode } from './graph-types';
import { resolvableReferences, type OutputsOf } from './references';
import type { MoveSpec } from './run-types';

export interface MoveRequest {
  readonly from_region: string;
  readonly to_region: string;
  /** false: keep the old region (a copy rather than a move). */
  readonly delete_old: boolean;
}

export type MoveGraph =
  | { readonly ok: true; readonly graph: SpecGraph; readonly move: MoveSpec }
  | { readonly ok: false; readonly problems: readonly { readonly path: string; readonly message: string }[] };

const regionsIn = (graph: SpecGraph): string[] =>
  [...new Set(graph.nodes.flatMap((n) => (n.region === null ? [] : [n.region])))].sort();

function problemsOf(graph: SpecGraph, request: MoveRequest): { path: string; message: string }[] {
  const regions = regionsIn(graph);
  const listed = regions.length > 0 ? regions.join(', ') : 'none';
  if (request.from_region === request.to_region) return [{ path: 'to_region', message: 'is the same as from_region' }];
  return [
    ...(regions.includes(request.from_region)
      ? []
      : [
          {
            path: 'from_region',
            message: `deployment ${graph.deployment_id} has no resources in ${request.from_region} (its regions: ${listed})`,
          },
        ]),
    ...(regions.includes(request.to_region)
      ? [
          {
            path: 'to_region',
            message: `deployment ${graph.deployment_id} is already in ${request.to_region}: a move needs a region it is not in`,
          },
        ]
      : []),
  ];
}

/** The move's graph; `tenant` is the deployment's (its nodes' ids carry it: build-graph.ts nodeIdOf). */
export function moveGraph(graph: SpecGraph, request: MoveRequest, tenant: string | null): MoveGraph {
  const problems = problemsOf(graph, request);
  if (problems.length > 0) return { ok: false, problems };
  const { from_region: from, to_region: to } = request;
  const moved = new Map(
    graph.nodes
      .filter((n) => n.region === from)
      .map((n) => [n.node_id, nodeIdOf(graph.deployment_id, tenant, n.resource_id, to)]),
  );
  const idOf = (id: string): string => moved.get(id) ?? id;
  const repoint = (ref: NodeReference): NodeReference =>
    moved.has(ref.node_id)
      ? { ...ref, node_id: idOf(ref.node_id), region: to, raw: ref.raw.replace(`[${from}]`, `[${to}]`) }
      : ref;

  const applied: SpecNode[] = graph.nodes.map((n) => ({
    ...n,
    node_id: idOf(n.node_id),
    region: n.region === from ? to : n.region,
    references: Object.fromEntries(Object.entries(n.references).map(([name, ref]) => [name, repoint(ref)])),
  }));
  const edges: SpecEdge[] = graph.edges.map((e) => ({
    from: idOf(e.from),
    to: idOf(e.to),
    kind: e.kind === 'end' ? 'dependency' : e.kind,
  }));

  const old = graph.nodes.filter((n) => moved.has(n.node_id));
  const deleted = request.delete_old ? old.map((n) => ({ ...n, operation: 'delete' as const })) : [];
  if (request.delete_old) edges.push(...deleteEdges(graph, applied, edges, new Set(moved.keys())));
  // A copy keeps the old region's nodes and what they depend on; what depended on them now uses the new region.
  else edges.push(...graph.edges.filter((e) => moved.has(e.to)));

  const nodes = [...applied, ...(request.delete_old ? deleted : old)];
  const sorted = sortEdges(edges);
  const version = graph.version;
  return {
    ok: true,
    graph: {
      graph_id: graphIdOf(graph.deployment_id, version, nodes, sorted),
      deployment_id: graph.deployment_id,
      version,
      nodes,
      edges: sorted,
    },
    move: { from_region: from, to_region: to, deleted_node_ids: deleted.map((n) => n.node_id) },
  };
}

/**
 * The old region's deletes: dependents before what they use (each old edge between two old nodes,
 * reversed), and the first of them only after every sink of the applied part has completed.
 */
function deleteEdges(
  old: SpecGraph,
  applied: readonly SpecNode[],
  appliedEdges: readonly SpecEdge[],
  oldIds: ReadonlySet<string>,
): SpecEdge[] {
  const within = old.edges.filter((e) => oldIds.has(e.from) && oldIds.has(e.to));
  const reversed: SpecEdge[] = within.map((e) => ({ from: e.to, to: e.from, kind: 'dependency' }));
  const hasDeleteBefore = new Set(reversed.map((e) => e.to));
  const hasSuccessor = new Set(appliedEdges.map((e) => e.from));
  const sinks = applied.filter((n) => !hasSuccessor.has(n.node_id)).map((n) => n.node_id);
  const firsts = [...oldIds].filter((id) => !hasDeleteBefore.has(id));
  return [
    ...reversed,
    ...sinks.flatMap((sink) => firsts.map((first): SpecEdge => ({ from: sink, to: first, kind: 'dependency' }))),
  ];
}

/**
 * The deployment as a moved run leaves it: without the delete nodes of the old region. What
 * later verify, destroy, redeploy and move runs start from.
 */
export function settledGraph(graph: SpecGraph, move: MoveSpec): SpecGraph {
  const gone = new Set(move.deleted_node_ids);
  const nodes = graph.nodes.filter((n) => !gone.has(n.node_id));
  const edges = graph.edges.filter((e) => !gone.has(e.from) && !gone.has(e.to));
  return { ...graph, graph_id: graphIdOf(graph.deployment_id, graph.version, nodes, edges), nodes, edges };
}

/**
 * A node's references as they resolved before the move: one to a node the move made in
 * `to_region` reads that resource's node in `from_region`, from the last apply's outputs (`previous`).
 * What a rollback of the move needs to switch a value back (a secret holding the old region's ARN);
 * re-derived when needed, so the old value is never stored.
 */
export function referencesBeforeMove(
  node: SpecNode,
  graph: Pick<SpecGraph, 'deployment_id'>,
  tenant: string | null,
  move: MoveSpec,
  previous: OutputsOf,
): Record<string, unknown> {
  const before = (ref: NodeReference): NodeReference =>
    ref.region === move.to_region
      ? {
          ...ref,
          region: move.from_region,
          node_id: nodeIdOf(graph.deployment_id, tenant, ref.resource_id, move.from_region),
        }
      : ref;
  const references = Object.fromEntries(Object.entries(node.references).map(([name, ref]) => [name, before(ref)]));
  return resolvableReferences({ ...node, references }, previous);
}
