/**
 * Builds the OperationContext an operation runs with: one builder for every caller (the node
 * activities here, the API's live plans), each supplying what its runtime has for heartbeats,
 * cancellation, attempts, logs and the run's tenant.
 */
import { Context } from '@temporalio/activity';
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import type { SealedUse } from '../credentials/sealed-envelope';
import type { Clients } from '../providers/clients';
import type { OperationContext } from '../resources/resource-type';
import type { SealedCredentials } from '../model/run-types';
import type { NodeCall } from './node-call';
import { nodeLog, type NodeLog } from './node-log';

/** Opens sealed values for a tenant and purpose; the worker (and the API) inject the service keyring. */
export interface SecretOpener {
  open(sealed: string, use: SealedUse): Promise<string>;
}

export interface OperationDeps {
  readonly clients: Clients;
  readonly secrets: SecretOpener | null;
}

/** What the caller's runtime provides for one operation of one node. */
export interface OperationRuntime {
  readonly credentials: SealedCredentials | null;
  readonly signal: AbortSignal;
  readonly attempt: number;
  /** What an earlier attempt of the same activity last heartbeated; absent outside an activity (live plans, tag scans). */
  readonly lastHeartbeat?: unknown;
  /** The tenant of the run (or the API request), looked up when first needed: sealed values open only if bound to it. */
  readonly tenant: () => Promise<string | null>;
  heartbeat(details?: unknown): void;
  log(message: string): void;
}

export function buildOperationContext(deps: OperationDeps, runtime: OperationRuntime): OperationContext {
  return {
    credentials: runtime.credentials,
    open: async (sealed, use) => {
      if (!deps.secrets) throw new Error('this worker has no service key to open sealed credentials');
      return deps.secrets.open(sealed, { ...use, tenant: await runtime.tenant() });
    },
    clients: deps.clients,
    tenant: runtime.tenant,
    heartbeat: (details) => {
      runtime.heartbeat(details);
    },
    signal: runtime.signal,
    attempt: runtime.attempt,
    lastHeartbeat: runtime.lastHeartbeat,
    log: (message) => {
      runtime.log(message);
    },
  };
}

/**
 * The run's tenant search attribute (SEARCH_ATTRIBUTES.tenant of src/workflows/messages.ts, which
 * activities may not import), set by the API at the start from the key that started the run.
 */
const tenantAttribute = defineSearchAttributeKey('DeploymentTenant', SearchAttributeType.KEYWORD);

/** Tenants of recent runs by run id, so that the activities of one run describe it once; oldest dropped first. */
const runTenants = new Map<string, Promise<string | null>>();
const RUN_TENANTS_KEPT = 1_000;

/**
 * The tenant of the activity's run, read from its search attribute when an operation first asks
 * (to open a sealed value, or for `aws:s3:object` source_path): the same record every API call
 * checks tenants by, kept for runs of any age, continued-as-new ones too.
 */
function runTenant(activity: Context): () => Promise<string | null> {
  return () => {
    const run = activity.info.workflowExecution;
    if (!run) return Promise.reject(new Error('this activity runs outside a workflow: its tenant is unknown'));
    const known = runTenants.get(run.runId);
    if (known) return known;
    const lookup = activity.client.workflow
      .getHandle(run.workflowId, run.runId)
      .describe()
      .then((described) => described.typedSearchAttributes.get(tenantAttribute) ?? null);
    runTenants.set(run.runId, lookup);
    lookup.catch(() => runTenants.delete(run.runId)); // a failed lookup is not kept: the next asks again
    for (const oldest of runTenants.keys()) {
      if (runTenants.size <= RUN_TENANTS_KEPT) break;
      runTenants.delete(oldest);
    }
    return lookup;
  };
}

/** The context of a node activity, from the activity's own context; what the type logs goes to the node's log. */
export function operationContext(call: NodeCall, deps: OperationDeps, log: NodeLog = nodeLog(call)): OperationContext {
  const activity = Context.current();
  return buildOperationContext(deps, {
    credentials: call.credentials,
    signal: activity.cancellationSignal,
    attempt: call.attempts_before + activity.info.attempt,
    // Temporal hands a retry the last heartbeat of the attempts before it (not across an operator's retry: that is a new activity).
    lastHeartbeat: activity.info.heartbeatDetails as unknown,
    tenant: runTenant(activity),
    heartbeat: (details) => {
      activity.heartbeat(details);
    },
    log: (message) => {
      log('info', message);
    },
  });
}
