/**
 * The hand-over of a long run to a fresh execution (continue-as-new), so that its history stays within Temporal's
 * limits: when the history is long enough to hand over (only while nodes still wait to start; the walk then drains the
 * nodes in flight), and the hand-over itself, which carries into the next execution the run's state with its undo
 * data, breakpoints, released nodes, approval gates' deadlines and whether an end edge was reached, and counts the hand-overs in the memo.
 */
import * as wf from '@temporalio/workflow';
import type { deploymentWorkflow } from './deployment';
import type { RunContext } from './run-context';

/** Continue-as-new once history holds this many events (Temporal's hard limit is 51,200). */
export const CONTINUE_AS_NEW_EVENTS = 8_000;

/** Time to hand over to a fresh run: only while there is still work to start (`readyNodes` queued). */
export function historyIsLong(readyNodes: number): boolean {
  const info = wf.workflowInfo();
  return (info.continueAsNewSuggested || info.historyLength > CONTINUE_AS_NEW_EVENTS) && readyNodes > 0;
}

/** Once the run has drained and its handlers have finished, continues it as new with everything it carries. */
export async function continueAsNew(run: RunContext): Promise<never> {
  await wf.condition(wf.allHandlersFinished);
  const info = wf.workflowInfo();
  const previous = (info.memo?.['continued_as_new'] as number | undefined) ?? 0;
  wf.upsertMemo({ continued_as_new: previous + 1 });
  return wf.continueAsNew<typeof deploymentWorkflow>(
    run.input,
    run.state.carry({
      run_key: run.runKey,
      undo: Object.fromEntries(run.undo),
      breakpoints: [...run.breakpoints],
      released: [...run.released],
      gate_deadlines: Object.fromEntries(run.gateDeadlines),
      end_reached: run.endReached,
      continued_as_new: previous + 1,
    }),
  );
}
