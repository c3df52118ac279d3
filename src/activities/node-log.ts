/**
 * A node activity's lines in the worker's log, with the attributes a run's own lines carry (its
 * deployment, tenant, node and resource): each operation's attempt as it starts and ends (a failed
 * attempt at warn), and what the resource type notes on the way (`ctx.log`). They are written where
 * the work is rather than forwarded from the workflow, whose lines reach the worker's log through a
 * sink, copied across threads twice (docs/measurement.md).
 */
import { Context } from '@temporalio/activity';
import { nodeLabel } from '../model/node-names';
import { unscopedId } from '../model/scoped-id';
import type { NodeCall } from './node-call';
import { toFailure } from './to-failure';

/** The operations of the resource-type contract, as a node activity's lines name them. */
export type NodeOperation = 'apply' | 'poll' | 'prepare' | 'plan' | 'verify' | 'compensate' | 'destroy';

/** Writes a line of the node's at a level. */
export type NodeLog = (level: 'debug' | 'info' | 'warn', message: string) => void;

/** The log of the node of `call`, in the current activity. */
export function nodeLog(call: NodeCall, activity = Context.current()): NodeLog {
  const { deploymentId, tenant } = unscopedId(call.deployment_id);
  const attributes = {
    deployment_id: deploymentId,
    ...(tenant === null ? {} : { tenant }),
    node_id: call.node.node_id,
    resource: nodeLabel(call.node),
  };
  return (level, message) => {
    activity.log[level](message, attributes);
  };
}

/**
 * Runs one attempt of `operation`, logging its start and its end: `completed`, `answered pending` (an apply or
 * poll whose effect is still under way), or the failure it ends in (as toFailure makes it: what the run records).
 * A look again at a pending effect logs at debug unless it ends the wait: a long wait looks many times (its
 * `waiting: ...` lines come from the run).
 */
export async function loggedAttempt<R>(
  log: NodeLog,
  operation: NodeOperation,
  attempt: number,
  run: () => Promise<R>,
): Promise<R> {
  const which = attempt > 1 ? ` (attempt ${attempt})` : '';
  const look = operation === 'poll';
  log(look ? 'debug' : 'info', `${operation} started${which}`);
  try {
    const result = await run();
    const pending = typeof result === 'object' && result !== null && 'pending' in result && result.pending;
    log(look && pending ? 'debug' : 'info', `${operation} ${pending ? 'answered pending' : 'completed'}${which}`);
    return result;
  } catch (err) {
    const failure = toFailure(err, attempt);
    log('warn', `${operation} failed${which} (${failure.type ?? 'error'}): ${failure.message}`);
    throw failure;
  }
}
