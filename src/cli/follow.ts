/**
 * Following a run to its end (apply, watch, verify, destroy, move): its events through the view
 * that fits the output, and the exit code its outcome means. On an interactive terminal a pause or
 * a decision wait is also offered to go on from here (offer.ts).
 */
import type { CommandContext } from './context';
import { EXIT } from './exit-codes';
import { liveView } from './live-view';
import { canOffer, offerToGoOn } from './offer';
import type { NodeEventData, RunAddress } from './run-events';
import { followRun } from './run-events';
import { nodeLabel, SUCCESSFUL_PHASES } from './run-text';
import { jsonView, lineView, type RunView } from './run-views';

export interface FollowFlags {
  /** Stop following (exit 3) when the run pauses or waits for a decision. */
  readonly detachOnPause?: boolean | undefined;
}

const WAITING = new Set(['paused', 'awaiting_decision']);

export async function followToEnd(ctx: CommandContext, run: RunAddress, flags: FollowFlags) {
  const { api, output } = ctx;
  const view: RunView = output.json
    ? jsonView(output)
    : output.tty
      ? await liveView(api, output, run)
      : lineView(output, run);
  const asker = view.ask && canOffer() && !flags.detachOnPause ? (view as Required<RunView>) : undefined;
  const labels = new Map<string, string>();
  let question: AbortController | undefined;
  const onReconnect = (reason: string) => output.note(`event stream dropped (${reason}): reconnecting`);
  try {
    for await (const event of followRun(api, run, { onReconnect })) {
      if (event.event === 'run_status' || event.event === 'run_finished') {
        question?.abort();
        asker?.ask(null);
      } else labels.set((event.data as NodeEventData).node_id, nodeLabel(event.data as NodeEventData));
      view.show(event);
      if (event.event === 'run_finished') return SUCCESSFUL_PHASES.has(event.data.status) ? EXIT.ok : EXIT.error;
      if (event.event !== 'run_status' || !WAITING.has(event.data.status)) continue;
      if (flags.detachOnPause) return EXIT.paused;
      if (asker && event.data.waiting_for) {
        question = new AbortController();
        void offerToGoOn(ctx, run, event.data.waiting_for, labels, asker, question.signal);
      }
    }
    return EXIT.error;
  } finally {
    question?.abort();
    await view.end();
  }
}
