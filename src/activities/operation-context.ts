/** Builds the OperationContext an operation runs with, from the activity's own context. */
import { Context } from '@temporalio/activity';
import type { Clients } from '../resources/clients';
import type { OperationContext } from '../resources/resource-type';
import type { NodeCall } from './node-call';

/** Opens sealed values; the worker injects the service keyring. */
export interface SecretOpener {
  open(sealed: string, field: string): Promise<string>;
}

export function operationContext(call: NodeCall, deps: { clients: Clients; secrets: SecretOpener | null }): OperationContext {
  const activity = Context.current();
  return {
    credentials: call.credentials,
    open: (sealed, field = 'a sealed value') => {
      if (!deps.secrets) throw new Error('this worker has no service key to open sealed credentials');
      return deps.secrets.open(sealed, `${field} of ${call.node.resource_id}`);
    },
    clients: deps.clients,
    heartbeat: (details) => {
      activity.heartbeat(details);
    },
    signal: activity.cancellationSignal,
    attempt: call.attempts_before + activity.info.attempt,
    log: (message) => {
      activity.log.info(message, { node_id: call.node.node_id, resource_id: call.node.resource_id });
    },
  };
}
