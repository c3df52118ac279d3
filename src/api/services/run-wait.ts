/**
 * Seed 001's synchronous apply: the answer waits, up to a bound the client chose, for the run to
 * complete, fail or pause (whatever comes first), through the same shared poller the event streams
 * use, and then carries the run's outcome as of that moment.
 */
import { runOutcome, settled } from '../../model/run-outcome';
import type { RunStatus } from '../../model/run-types';
import type { StartedRunResponse } from '../schemas/runs';
import type { RunRef } from './run-lookup';
import type { RunUpdate, RunWatchers } from './run-watcher';

/** The run's latest state once it settled, or when `ms` ran out or `abort` fired (then `settled` is false). */
function nextSettled(
  watchers: RunWatchers,
  ref: RunRef,
  ms: number,
  abort: AbortSignal,
): Promise<{ readonly status: RunStatus | null; readonly settled: boolean }> {
  return new Promise((resolve, reject) => {
    let latest: RunStatus | null = null;
    let done = false;
    // The listener may run inside watch() (a poller's latest state), before watch() returns its unsubscribe.
    const subscription: { unsubscribe?: () => void } = {};
    const finish = (isSettled: boolean, error?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      abort.removeEventListener('abort', onAbort);
      subscription.unsubscribe?.();
      if (error) reject(error);
      else resolve({ status: latest, settled: isSettled });
    };
    const onAbort = (): void => finish(false);
    const timer = setTimeout(() => finish(false), ms);
    abort.addEventListener('abort', onAbort);
    subscription.unsubscribe = watchers.watch(ref, (update: RunUpdate) => {
      if ('error' in update) return finish(false, update.error);
      latest = update.status;
      if (update.ended || settled(update.status.status)) finish(true);
    });
    if (done) subscription.unsubscribe();
  });
}

export interface WaitedRun {
  readonly body: StartedRunResponse;
  /** Whether the run completed, failed or paused in time (else it is still at work). */
  readonly settled: boolean;
}

/** The started run's answer after waiting up to `seconds` for it to settle. */
export async function waitForRun(
  watchers: RunWatchers,
  ref: RunRef,
  started: StartedRunResponse,
  seconds: number,
  abort: AbortSignal,
): Promise<WaitedRun> {
  const { status, settled: isSettled } = await nextSettled(watchers, ref, seconds * 1000, abort);
  if (!status) return { body: started, settled: false };
  return { body: { ...started, ...runOutcome(status), status: status.status }, settled: isSettled };
}
