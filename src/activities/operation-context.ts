/**
 * Builds the OperationContext an operation runs with: one builder for every caller (the node
 * activities here, the API's live plans), each supplying what its runtime has for heartbeats,
 * cancellation, attempts and logs.
 */
import { Context } from '@temporalio/activity';
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
    heartbeat: (details) => {
      activity.heartbeat(details);
    },
    log: (message) => {
      activity.log.info(message, { node_id: call.node.node_id, resource_id: call.node.resource_id });
    },
  });
}
