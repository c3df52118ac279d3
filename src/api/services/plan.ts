/**
 * The plan of a validated config: the spec graph in topological order with parallel groups,
 * each node's action, pauses, irreversible steps and warnings. Live plans read each node's current
 * state with its type's own plan operation (live-plan.ts); otherwise the action is the config's.
 * Nothing is started.
 */
import { deletedResources } from '../auth/delete-right';
import type { Logger } from 'pino';
import { resourceType } from '../../resources/registry';
import { resolveSettings, type DeploymentConfig } from '../../model/config-schema';
import { limitsOver } from '../../model/concurrency-limits';
import { APPROVAL_TYPE } from '../../model/gates';
import type { SpecEdge, SpecNode } from '../../model/graph-types';
import {
  criticalPathSeconds,
  estimateProfile,
  type DurationHistory,
  type EstimateProfile,
} from '../../model/estimates';
import { orderGraph } from '../../model/order';
import { regionChoiceWarnings } from '../../model/references';
import type { RunMode, SealedCredentials } from '../../model/run-types';
import { specGraphOf } from '../offload/spec-graphs';
import type { ConfigBody } from '../schemas/config-bodies';
import type { PlanResponse } from '../schemas/plan';
import { nodeTimeoutSet, nodeTimeoutWarnings } from './node-timeouts';
import { planLive, type LiveOutcome, type LivePlanner, type PreviousOutputs } from './live-plan';

const irreversibleReason = (node: SpecNode): string | null =>
  resourceType(node.type).irreversible?.(node.properties as never) ?? null;

function warningsFor(
  nodes: PlanResponse['nodes'],
  edges: readonly SpecEdge[],
  byId: ReadonlyMap<string, SpecNode>,
  mode: RunMode,
): string[] {
  const name = (id: string): string => byId.get(id)?.resource_id ?? id;
  const warnings: string[] = [];
  if (mode === 'STEP') warnings.push('STEP mode: every node waits for a continue before it starts');
  for (const node of nodes) {
    if (node.live_error)
      warnings.push(
        `${node.resource_id}: its current state could not be read (${node.live_error.type}: ${node.live_error.message}); its action is the config's`,
      );
    warnings.push(...node.warnings.map((warning) => `${node.resource_id}: ${warning}`));
    if (node.type === APPROVAL_TYPE)
      warnings.push(`${node.resource_id} is an approval gate: the run waits there for a continue`);
    else if (node.pauses_before) warnings.push(`the run pauses before ${node.resource_id} until a continue`);
    if (node.irreversible) warnings.push(`${node.resource_id} cannot be undone by a rollback: ${node.irreversible}`);
  }
  const deleted = deletedResources(byId.values());
  if (deleted.length > 0) {
    warnings.push(`this run deletes ${deleted.join(', ')} (operation "delete"): applying it needs an admin key`);
  }
  for (const edge of edges.filter((e) => e.kind === 'end')) {
    warnings.push(`the run ends after ${name(edge.from)}: ${name(edge.to)} and what follows stay pending`);
  }
  return warnings;
}

/** Live planning for one request: the planner, the request's logger, the last apply's outputs. */
export interface LiveRequest {
  readonly planner: LivePlanner;
  readonly log: Logger;
  readonly previousOutputs: PreviousOutputs;
}

/** A node's action, diff and warnings: from its live plan when there is one, else from the config. */
function actionOf(
  node: SpecNode,
  live: LiveOutcome | undefined,
): Pick<PlanResponse['nodes'][number], 'action' | 'live' | 'diff' | 'warnings' | 'live_error'> {
  if (live?.ok)
    return {
      action: live.result.action,
      live: true,
      diff: [...live.result.diff],
      warnings: [...live.result.warnings],
      live_error: null,
    };
  return { action: node.operation, live: false, diff: [], warnings: [], live_error: live ? live.error : null };
}

/**
 * The next turn of the event loop: work on thousands of nodes done on it (a plan's steps here: the
 * graph, the order and the nodes; the body and graph an offload thread sends back) takes separate
 * turns, so requests waiting meanwhile (GET /health among them) are answered in between.
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A plan, and the profile its estimated_time came from (to estimate it again from another history). */
export interface PlannedDeployment {
  readonly plan: PlanResponse;
  readonly profile: EstimateProfile;
}

/**
 * The plan of a config for the caller's tenant (node and graph ids carry it), read live when
 * `live` is given, its estimated_time from the deployment's past node durations in `history`.
 */
export async function planDeployment(
  config: DeploymentConfig,
  mode: RunMode,
  tenant: string | null,
  live: LiveRequest | null,
  history: DurationHistory = {},
): Promise<PlannedDeployment> {
  await nextTurn();
  const graph = specGraphOf(config, tenant);
  await nextTurn();
  const credentials = (config.credentials ?? null) as SealedCredentials | null;
  const outcomes = live
    ? await planLive(live.planner, graph, { credentials, previousOutputs: live.previousOutputs, tenant }, live.log)
    : new Map<string, LiveOutcome>();
  const order = orderGraph(graph);
  await nextTurn();
  const byId = new Map(graph.nodes.map((node) => [node.node_id, node]));
  const group = new Map(order.parallel_groups.flatMap((ids, level) => ids.map((id) => [id, level] as const)));
  const into = new Map<string, SpecEdge[]>();
  for (const edge of graph.edges) {
    const list = into.get(edge.to);
    if (list) list.push(edge);
    else into.set(edge.to, [edge]);
  }
  const nodes = order.order.flatMap((id) => {
    const node = byId.get(id);
    if (!node) return [];
    const incoming = into.get(id) ?? [];
    return [
      {
        node_id: id,
        resource_id: node.resource_id,
        type: node.type,
        region: node.region,
        ...actionOf(node, outcomes.get(id)),
        changes: [],
        group: group.get(id) ?? 0,
        depends_on: incoming.map((edge) => ({ node_id: edge.from, kind: edge.kind })),
        pauses_before: node.type === APPROVAL_TYPE || incoming.some((edge) => edge.kind === 'pause'),
        irreversible: irreversibleReason(node),
      },
    ];
  });
  const counts: Record<string, number> = {};
  for (const node of nodes) counts[node.action] = (counts[node.action] ?? 0) + 1;
  const profile = estimateProfile(graph, order.order);
  const settings = resolveSettings(config.settings);
  const limits = limitsOver(settings.limits, graph.nodes);
  const plan: PlanResponse = {
    success: true,
    deployment_id: graph.deployment_id,
    version: graph.version,
    graph_id: graph.graph_id,
    mode,
    live: live !== null,
    nodes,
    parallel_groups: order.parallel_groups.map((ids) => [...ids]),
    irreversible: nodes.flatMap((n) =>
      n.irreversible ? [{ node_id: n.node_id, resource_id: n.resource_id, reason: n.irreversible }] : [],
    ),
    warnings: [
      ...regionChoiceWarnings(graph),
      ...warningsFor(nodes, graph.edges, byId, mode),
      ...nodeTimeoutWarnings(graph, settings, nodeTimeoutSet(config.settings)),
      ...limits.filter((l) => l.nodes === 0).map((l) => `settings.limits.${l.key} bounds no node of this deployment`),
    ],
    concurrency: { max_parallel: settings.max_parallel, limits },
    counts,
    spec_graph_id: graph.graph_id,
    saved_plan: null,
    operations: nodes.map((n) => ({
      node: n.node_id,
      resource: n.resource_id,
      type: n.type,
      action: n.action,
      region: n.region,
      group: n.group,
    })),
    validation_errors: [],
    compared_with: null,
    removed: [],
    // Last: a plan made on the offload pool gets it last, once the history is read (offloaded.ts).
    estimated_time: criticalPathSeconds(profile, history),
  };
  return { plan, profile };
}

/** Whether a plan request reads current state: as it says, by default when its config has credentials. */
export const readsLive = (body: ConfigBody<'plan'>): boolean => body.live ?? body.config.credentials !== undefined;

/** The mode a plan request plans for: as it says, else the config's. */
export const planModeOf = (body: ConfigBody<'plan'>): RunMode =>
  body.mode ?? resolveSettings(body.config.settings).mode;

/** The answer to POST /deploy/plan: the plan, with the warning about the last apply's outputs if any, and the saved plan. */
export const planAnswer = (
  plan: PlanResponse,
  previousWarning: string | null,
  saved: PlanResponse['saved_plan'],
): PlanResponse => ({
  ...plan,
  warnings: previousWarning ? [...plan.warnings, previousWarning] : plan.warnings,
  saved_plan: saved,
});
