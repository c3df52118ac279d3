/**
 * Following a run to its end (apply, watch, verify, destroy, move): its events through the view
 * that fits the output, and the exit code its outcome means.
 */
import type { CommandContext } from './context';
import { EXIT } from './exit-codes';
import { liveView } from './live-view';
import type { RunAddress } from './run-events';
import { followRun } from './run-events';
import { SUCCESSFUL_PHASES } from './run-text';
import { jsonView, lineView, type RunView } from './run-views';

export interface FollowFlags {
  /** Stop following (exit 3) when the run pauses or waits for a decision. */
  readonly detachOnPause?: boolean | undefined;
}

const WAITING = new Set(['paused', 'awaiting_decision']);

export async function followToEnd({ api, output }: CommandContext, run: RunAddress, flags: FollowFlags) {
  const view: RunView = output.json
    ? jsonView(output)
    : output.tty
      ? await liveView(api, output, run)
      : lineView(output, run);
  const onReconnect = (reason: string) => output.note(`event stream dropped (${reason}): reconnecting`);
  try {
    for await (const event of followRun(api, run, { onReconnect })) {
      view.show(event);
      if (event.event === 'run_finished') return SUCCESSFUL_PHASES.has(event.data.status) ? EXIT.ok : EXIT.error;
      if (event.event === 'run_status' && flags.detachOnPause && WAITING.has(event.data.status)) return EXIT.paused;
    }
    return EXIT.error;
  } finally {
    await view.end();
  }
}
