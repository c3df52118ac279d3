/**
 * A run's current details in words, for the Temporal Web UI's run page (the workflow's current
 * details): what it is doing, what it waits for and how to go on, and the last control it refused.
 * Pure: the workflow sets it from its state at each change of phase and at each refused signal.
 */
import { nodeLabel } from './node-names';
import type { NodeState, RejectedControl, RunPhase, WaitReason, WaitingFor } from './run-types';

const REASONS: Readonly<Record<WaitReason, string>> = {
  approval: 'approval of',
  pause_edge: 'a continue (pause edge) before',
  breakpoint: 'a continue (breakpoint) before',
  step: 'a continue (STEP mode) before',
};

const clock = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

function waiting(waitingFor: WaitingFor): string {
  const waits = (waitingFor.waits ?? []).map(
    (w) => `${REASONS[w.reason]} ${nodeLabel(w)}${w.deadline === null ? '' : ` (deadline ${clock(w.deadline)})`}`,
  );
  const names = (waitingFor.waits ?? []).map((w) => nodeLabel(w));
  return `waiting for ${waits.join('; ')}; continue with the signal continue {"node_id": "${names[0] ?? ''}"} or POST /deploy/continue`;
}

function halted(failed: readonly NodeState[], waitingFor: WaitingFor | null): string {
  const what = failed.map((node) => `${nodeLabel(node)} failed (${node.error_type ?? 'error'}): ${node.error ?? ''}`);
  const until = waitingFor?.deadline ? ` until ${clock(waitingFor.deadline)}` : '';
  return `halted: ${what.join('; ')}; retry, skip, rollback or abort${until}`;
}

export function runDetails(
  phase: RunPhase,
  waitingFor: WaitingFor | null,
  failed: readonly NodeState[],
  rejected: RejectedControl | null,
): string {
  const now =
    phase === 'paused' && waitingFor
      ? waiting(waitingFor)
      : phase === 'awaiting_decision'
        ? halted(failed, waitingFor)
        : phase.replace('_', ' ');
  return rejected
    ? `${now}\nlast refused: signal ${rejected.control} at ${clock(rejected.at)}: ${rejected.reason}`
    : now;
}
