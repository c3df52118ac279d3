/**
 * Builds the OperationContext an operation runs with: one builder for every caller (the node
 * activities here, the API's live plans), each supplying what its runtime has for heartbeats,
 * cancellation, attempts, logs and the run's tenant.
 */
import { Context } from '@temporalio/activity';
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import type { Clients } from '../providers/clients';
import type { OperationContext } from '../resources/resource-type';
import type { SealedCredentials } from '../model/run-types';
import type { NodeCall } from './node-call';

/** Opens sealed values; the worker (and the API) inject the service keyring. */
export interface SecretOpener {
  open(sealed: string, field: string): Promise<string>;
}

export interface OperationDeps {
  readonly clients: Clients;
  readonly secrets: SecretOpener | null;
}

/** What the caller's runtime provides for one operation of one node. */
export interface OperationRuntime {
  readonly credentials: SealedCredentials | null;
  /** Named in errors of values that do not open: `<field> of <resource id>`. */
  readonly resourceId: string;
  readonly signal: AbortSignal;
  readonly attempt: number;
  /** What an earlier attempt of the same activity last heartbeated; absent outside an activity (live plans, tag scans). */
  readonly lastHeartbeat?: unknown;
  /** The run's tenant, looked up when an operation asks; absent where the caller does not know it (taken as none). */
  readonly tenant?: (() => Promise<string | null>) | undefined;
  heartbeat(details?: unknown): void;
  log(message: string): void;
}

export function buildOperationContext(deps: OperationDeps, runtime: OperationRuntime): OperationContext {
  return {
    credentials: runtime.credentials,
    open: (sealed, field = 'a sealed value') => {
      if (!deps.secrets) throw new Error('this worker has no service key to open sealed credentials');
      return deps.secrets.open(sealed, `${field} of ${runtime.resourceId}`);
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

/**
 * The tenant of the activity's run, read once from its search attribute when an operation first
 * asks (only `aws:s3:object` source_path does): the same record every API call checks tenants by,
 * kept for runs of any age, continued-as-new ones too.
 */
function runTenant(activity: Context): () => Promise<string | null> {
  let tenant: Promise<string | null> | undefined;
  const lookup = async (): Promise<string | null> => {
    const run = activity.info.workflowExecution;
    if (!run) throw new Error('this activity runs outside a workflow: its tenant is unknown');
    const described = await activity.client.workflow.getHandle(run.workflowId, run.runId).describe();
    return described.typedSearchAttributes.get(tenantAttribute) ?? null;
  };
  return () => (tenant ??= lookup());
}

/** The context of a node activity, from the activity's own context. */
export function operationContext(call: NodeCall, deps: OperationDeps): OperationContext {
  const activity = Context.current();
  return buildOperationContext(deps, {
    credentials: call.credentials,
    resourceId: call.node.resource_id,
    signal: activity.cancellationSignal,
    attempt: call.attempts_before + activity.info.attempt,
    // Temporal hands a retry the last heartbeat of the attempts before it (not across an operator's retry: that is a new activity).
    lastHeartbeat: activity.info.heartbeatDetails as unknown,
    tenant: runTenant(activity),
    heartbeat: (details) => {
      activity.heartbeat(details);
    },
    log: (message) => {
      activity.log.info(message, { node_id: call.node.node_id, resource_id: call.node.resource_id });
    },
  });
}
