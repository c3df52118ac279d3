/**
 * The plan of a validated config: the spec graph in topological order with parallel groups,
 * each node's action, pauses, irreversible steps and warnings. Pure: nothing is started.
 */
import { registry, resourceType } from '../../resources/registry';
import { buildSpecGraph } from '../../spec/build-graph';
import type { DeploymentConfig } from '../../spec/config-schema';
import { APPROVAL_TYPE } from '../../spec/gates';
import type { SpecEdge, SpecNode } from '../../spec/graph-types';
import { orderGraph } from '../../spec/order';
import type { RunMode } from '../../spec/run-types';
import type { PlanResponse } from '../schemas/plan';

const irreversibleReason = (node: SpecNode): string | null =>
  resourceType(node.type).irreversible?.(node.properties as never) ?? null;

function warningsFor(nodes: PlanResponse['nodes'], edges: readonly SpecEdge[], byId: ReadonlyMap<string, SpecNode>, mode: RunMode): string[] {
  const name = (id: string): string => byId.get(id)?.resource_id ?? id;
  const warnings: string[] = [];
  if (mode === 'STEP') warnings.push('STEP mode: every node waits for a continue before it starts');
  for (const node of nodes) {
    if (node.type === APPROVAL_TYPE) warnings.push(`${node.resource_id} is an approval gate: the run waits there for a continue`);
    else if (node.pauses_before) warnings.push(`the run pauses before ${node.resource_id} until a continue`);
    if (node.irreversible) warnings.push(`${node.resource_id} cannot be undone by a rollback: ${node.irreversible}`);
  }
  for (const edge of edges.filter((e) => e.kind === 'end')) {
    warnings.push(`the run ends after ${name(edge.from)}: ${name(edge.to)} and what follows stay pending`);
  }
  return warnings;
}

export function planDeployment(config: DeploymentConfig, mode: RunMode): PlanResponse {
  const graph = buildSpecGraph(config, registry);
  const order = orderGraph(graph);
  const byId = new Map(graph.nodes.map((node) => [node.node_id, node]));
  const group = new Map(order.parallel_groups.flatMap((ids, level) => ids.map((id) => [id, level] as const)));
  const nodes = order.order.flatMap((id) => {
    const node = byId.get(id);
    if (!node) return [];
    const incoming = graph.edges.filter((edge) => edge.to === id);
    return [{
      node_id: id, resource_id: node.resource_id, type: node.type, region: node.region, action: node.operation,
      group: group.get(id) ?? 0,
      depends_on: incoming.map((edge) => ({ node_id: edge.from, kind: edge.kind })),
      pauses_before: node.type === APPROVAL_TYPE || incoming.some((edge) => edge.kind === 'pause'),
      irreversible: irreversibleReason(node),
    }];
  });
  const counts: Record<string, number> = {};
  for (const node of nodes) counts[node.action] = (counts[node.action] ?? 0) + 1;
  return {
    success: true, deployment_id: graph.deployment_id, version: graph.version, graph_id: graph.graph_id, mode,
    nodes,
    parallel_groups: order.parallel_groups.map((ids) => [...ids]),
    irreversible: nodes.flatMap((n) => (n.irreversible ? [{ node_id: n.node_id, resource_id: n.resource_id, reason: n.irreversible }] : [])),
    warnings: warningsFor(nodes, graph.edges, byId, mode),
    counts,
  };
}
