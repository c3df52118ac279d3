/**
 * A node whose apply answered `pending` (its effect under way: checks running, a release not made
 * yet) waits on durable timers between looks (the type's `poll`): no worker slot is held while
 * it waits, and the wait survives worker and server restarts. Looks come after interval_ms, then
 * twice as long each time up to max_interval_ms, spread ±20% by a jitter drawn from the node and
 * the look's number (deterministic, so replays take the same timers); past timeout_ms from the
 * first pending answer the node fails with error_type `timeout`. The run's log and the node's
 * `waiting_on` say what it waits for whenever that changes. A wait the type calls `overridable`
 * also ends on an operator's continue naming the node: the next look is told so (`$override`).
 *
 * Versioning: histories from before this file never had a pending answer, so they never enter
 * the loop and replay unchanged.
 */
import * as wf from '@temporalio/workflow';
import type { AppliedNode } from '../activities/node-call';
import type { NodeState } from '../model/run-types';
import type { RunContext } from './run-context';

const JITTER = 0.2;

/** A fraction in [0, 1) from a string (FNV-1a): the same node and look always get the same jitter. */
function fraction(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash / 0x1_0000_0000;
}

const seconds = (ms: number): string => (ms % 1_000 === 0 ? `${ms / 1_000} s` : `${ms} ms`);

/** Polls until the apply is done; the answer's undo is the latest that said one. */
export async function untilDone(
  run: RunContext,
  node: NodeState,
  first: AppliedNode,
  poll: (state: Record<string, unknown>, undo: Record<string, unknown> | null) => Promise<AppliedNode>,
): Promise<AppliedNode> {
  let answer = first;
  let undo = first.undo;
  const since = new Date().getTime();
  for (let look = 1; answer.pending; look++) {
    const { pending } = answer;
    if (pending.waiting_on !== node.waiting_on) {
      node.waiting_on = pending.waiting_on;
      run.state.log('info', `waiting: ${pending.waiting_on}`, node.node_id);
      run.changed();
    }
    const left = since + pending.timeout_ms - new Date().getTime();
    if (left <= 0) {
      node.waiting_on = null;
      throw wf.ApplicationFailure.create({
        type: 'timeout',
        message: `${pending.waiting_on}: still not done after ${seconds(pending.timeout_ms)}`,
        nonRetryable: true,
      });
    }
    const interval = Math.min(pending.interval_ms * 2 ** (look - 1), pending.max_interval_ms);
    const spread = pending.jitter === false ? 1 : 1 + JITTER * (2 * fraction(`${node.node_id}:${look}`) - 1);
    const id = node.node_id;
    if (pending.overridable === undefined) run.overridable.delete(id);
    else run.overridable.set(id, pending.overridable);
    await wf.condition(() => run.overridden.has(id), Math.max(1, Math.min(Math.round(interval * spread), left)));
    const overridden = run.overridden.delete(id);
    answer = await poll(overridden ? { ...pending.state, $override: true } : pending.state, undo);
    undo = answer.undo ?? undo;
  }
  return doneAt(run, node, { ...answer, undo });
}

/** The node's wait is over with `answer` (at once, when its apply did not answer pending). */
export function doneAt(run: RunContext, node: NodeState, answer: AppliedNode): AppliedNode {
  run.overridable.delete(node.node_id);
  node.waiting_on = null;
  return answer;
}
