/**
 * A halted run's wait for a decision (retry, skip, rollback or abort) and its timeout.
 */
import * as wf from '@temporalio/workflow';
import { DECISION_DEADLINE_PATCH } from './patches';
import type { RunContext } from './run-context';

/**
 * Failed nodes and nothing running: waits for retry, skip, rollback or abort; false when the
 * decision timeout passes first. The timeout counts from when these nodes halted the run: a
 * control that decides nothing about them (a continue, a breakpoint) does not restart it, and
 * another node failing meanwhile starts a new wait naming it too (DECISION_DEADLINE_PATCH;
 * before it, every accepted control restarted the wait and a new failure did not end it).
 */
export async function awaitDecision(run: RunContext, failed: string[]): Promise<boolean> {
  const timeout = run.input.settings.decision_timeout_ms;
  const now = new Date().getTime();
  const key = [...failed].sort().join(',');
  const patched = wf.patched(DECISION_DEADLINE_PATCH);
  const kept = run.decisionWait?.failed === key && patched;
  const at = kept ? (run.decisionWait?.at ?? now + timeout) : now + timeout;
  run.decisionWait = { failed: key, at };
  const deadline = new Date(at).toISOString();
  run.setPhase('awaiting_decision', { kind: 'decision', node_ids: failed, deadline });
  if (!kept)
    run.state.log(
      'warn',
      `${failed.length} node(s) failed: waiting for retry, skip, rollback or abort until ${deadline}`,
    );
  const seq = run.decisionSeq;
  // Another node failing meanwhile (a gate's timeout) is news too: the wait starts again naming it.
  const more = (): boolean => patched && run.state.idsWith('failed').length !== failed.length;
  return wf.condition(() => run.decisionSeq !== seq || more(), Math.max(1, at - now));
}
