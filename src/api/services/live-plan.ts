/**
 * Live plans (DESIGN.md §6): each node's own `plan` operation (§5) runs in the API process the way
 * a DRY_RUN run's activities run it, with the config's sealed credentials opened by the service
 * keyring at the moment of use, for the caller's tenant (a value sealed for another does not
 * open) as a run opens them for its own. References resolve from the outputs of the deployment's
 * last apply (what a run would hand the node if what it references stays as it is); those that
 * cannot be resolved so (a first deploy, a newly added resource) are left out, and the type plans
 * them as pending. A few nodes at a time,
 * each with a timeout; a node whose state cannot be read keeps its config action and says why.
 * Nothing is started or written.
 */
import { scopedId } from '../../model/scoped-id';
import type { Logger } from 'pino';
import { buildOperationContext, type OperationDeps } from '../../activities/operation-context';
import { toFailure } from '../../activities/to-failure';
import { OperationError } from '../../providers/operation-error';
import { resourceType } from '../../resources/registry';
import type { NodeTarget, PlanResult } from '../../resources/resource-type';
import { APPROVAL_TYPE } from '../../model/gates';
import type { SpecGraph, SpecNode } from '../../model/graph-types';
import { resolvableReferences } from '../../model/references';
import type { SealedCredentials } from '../../model/run-types';

export interface LivePlanOptions {
  /** Nodes planned at once. */
  readonly concurrency: number;
  /** How long one node's plan may take before it counts as unreadable. */
  readonly timeoutMs: number;
}

export const LIVE_PLAN_DEFAULTS: LivePlanOptions = { concurrency: 8, timeoutMs: 20_000 };

/** What the API needs to read live state: the worker's kind of clients and the service keyring. */
export interface LivePlanner {
  readonly deps: OperationDeps;
  readonly options: LivePlanOptions;
}

export interface LiveError {
  readonly type: string;
  readonly message: string;
}

/** The outputs of the deployment's last apply, by node id ({} before its first). */
export type PreviousOutputs = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** What one live plan reads with: the run's sealed credentials, the last apply's outputs, the caller's tenant. */
export interface LiveInputs {
  readonly credentials: SealedCredentials | null;
  readonly previousOutputs: PreviousOutputs;
  readonly tenant: string | null;
}

export type LiveOutcome =
  | { readonly ok: true; readonly result: PlanResult }
  | { readonly ok: false; readonly error: LiveError };

/** Whether a node's state can be read at all: gates have none. */
export const readsLiveState = (node: SpecNode): boolean => node.type !== APPROVAL_TYPE;

/** One node's plan, bounded by the timeout; failures classified as the activities classify them. */
async function planNode(
  planner: LivePlanner,
  graph: SpecGraph,
  node: SpecNode,
  inputs: LiveInputs,
  log: Logger,
): Promise<LiveOutcome> {
  const { timeoutMs } = planner.options;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new OperationError(
        'unavailable',
        `reading the current state of ${node.resource_id} took longer than ${timeoutMs / 1_000} s`,
      );
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    const type = resourceType(node.type);
    const ctx = buildOperationContext(planner.deps, {
      credentials: inputs.credentials,
      signal: controller.signal,
      attempt: 1,
      tenant: () => Promise.resolve(inputs.tenant),
      heartbeat: () => undefined,
      log: (message) => {
        log.info({ node_id: node.node_id, resource_id: node.resource_id }, message);
      },
    });
    const refs = resolvableReferences(node, (id) => inputs.previousOutputs[id]);
    const target: NodeTarget<unknown> = {
      deployment_id: scopedId(graph.deployment_id, inputs.tenant),
      graph_id: graph.graph_id,
      node,
      properties: type.properties.parse(node.properties),
      refs,
    };
    return { ok: true, result: await Promise.race([type.plan(ctx, target), timedOut]) };
  } catch (err) {
    const failure = toFailure(err, 1);
    const error = { type: failure.type ?? 'unavailable', message: failure.message };
    log.warn(
      { node_id: node.node_id, resource_id: node.resource_id, error_type: error.type },
      `live plan: ${error.message}`,
    );
    return { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
}

/** Plans every node that reads live state, `concurrency` at a time; by node id. */
export async function planLive(
  planner: LivePlanner,
  graph: SpecGraph,
  inputs: LiveInputs,
  log: Logger,
): Promise<Map<string, LiveOutcome>> {
  const queue = graph.nodes.filter(readsLiveState);
  const outcomes = new Map<string, LiveOutcome>();
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let node = queue[next++]; node; node = queue[next++]) {
      outcomes.set(node.node_id, await planNode(planner, graph, node, inputs, log));
    }
  };
  await Promise.all(Array.from({ length: Math.min(planner.options.concurrency, queue.length) }, lane));
  return outcomes;
}
