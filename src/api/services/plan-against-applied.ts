/**
 * A plan compared with the deployment's last apply (model/graph-diff.ts): each node not read live
 * gets its action from the comparison (create when new, no-op when equal, update when not, with its
 * `changes`); a node read live keeps the provider's action and diff and gets the config changes
 * too; the applied nodes the config lacks are listed as `removed`. The same function serves the
 * inline plan and the offload pool's (on the pool, from JSON), so both answer alike.
 */
import { compareGraphs } from '../../model/graph-diff';
import type { SpecGraph } from '../../model/graph-types';
import type { PlanResponse } from '../schemas/plan';

/** What a plan is compared with: the last apply's graph and which run it was. */
export interface AppliedBasis {
  readonly graph: SpecGraph;
  readonly run_id: string;
  readonly version: string;
  /** When that run ended (its start while under way); null when the record no longer lists it. */
  readonly applied_at: string | null;
}

const removedWarning = (resource: string, region: string | null): string =>
  `${resource}${region ? ` (${region})` : ''} was applied and is no longer in the config: an apply leaves it in place, not destroyed, and no longer tracks it (destroy it first, or keep it with operation "delete" to delete it)`;

export function comparedPlan(plan: PlanResponse, graph: SpecGraph, applied: AppliedBasis | null): PlanResponse {
  if (!applied) return plan;
  const comparison = compareGraphs(applied.graph, graph);
  const nodes = plan.nodes.map((node) => {
    const compared = comparison.nodes[node.node_id];
    if (!compared) return node;
    const fromConfig = node.action === 'delete' || compared.action === 'create' ? node.action : compared.action;
    return { ...node, action: node.live ? node.action : fromConfig, changes: [...compared.changes] };
  });
  const actions = new Map(nodes.map((node) => [node.node_id, node.action]));
  const counts: Record<string, number> = {};
  for (const node of nodes) counts[node.action] = (counts[node.action] ?? 0) + 1;
  const removed = comparison.removed.map((node) => ({
    node_id: node.node_id,
    resource_id: node.resource_id,
    type: node.type,
    region: node.region,
  }));
  return {
    ...plan,
    nodes,
    counts,
    operations: plan.operations.map((op) => ({ ...op, action: actions.get(op.node) ?? op.action })),
    warnings: [...plan.warnings, ...removed.map((node) => removedWarning(node.resource_id, node.region))],
    compared_with: { run_id: applied.run_id, version: applied.version, applied_at: applied.applied_at },
    removed,
  };
}
