/**
 * Seed 001's synchronous apply (and verify, destroy, move): the answer waits, up to a bound the
 * client chose, for the run to complete, fail or pause (whatever comes first), through a shared
 * per-run poller as the event streams do, and then carries the run's outcome as of that moment.
 */
import { runOutcome, settled } from '../../model/run-outcome';
import type { DeploymentInput, RunStatus } from '../../model/run-types';
import type { Request, Response } from 'express';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { MAX_WAIT_SECONDS, type StartedRunResponse } from '../schemas/runs';
import { findRun } from './run-lookup';
import { startRun } from './start-run';
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

/** How often a waiting request reads its run's state (through the run's shared poller). */
export const WAIT_POLL_MS = 500;

/** RFC 7240's `wait=N` among a Prefer header's preferences, capped; null when absent. */
function preferredWait(prefer: string | undefined): number | null {
  const seconds = /(?:^|[,;\s])wait\s*=\s*"?(\d{1,6})"?/i.exec(prefer ?? '')?.[1];
  return seconds === undefined ? null : Math.min(Number(seconds), MAX_WAIT_SECONDS);
}

/** The client going away ends a wait for it. */
function untilClosed(req: Request): AbortSignal {
  const closed = new AbortController();
  req.once('close', () => closed.abort());
  return closed.signal;
}

/** What a route that starts a run hands over: its handler's caller, headers, body, request and response. */
export interface StartCall {
  readonly principal: Principal;
  readonly headers: { readonly 'idempotency-key'?: string | undefined; readonly prefer?: string | undefined };
  readonly body: { readonly wait?: number | undefined };
  readonly req: Request;
  readonly res: Response;
}

/**
 * Starts the run (startRun) and answers: 202 at once, or, asked to wait (`wait` in the body, or
 * `Prefer: wait=N`, answered with Preference-Applied), 200 once the run settled, else 202 as of then.
 */
export async function startAndAnswer(
  ctx: ApiContext,
  watchers: RunWatchers,
  input: DeploymentInput,
  call: StartCall,
): Promise<{ status: number; body: StartedRunResponse }> {
  const started = await startRun(ctx, call.principal, input, call.headers['idempotency-key']);
  const wait = call.body.wait ?? preferredWait(call.headers.prefer) ?? 0;
  if (wait === 0) return { status: 202, body: started };
  if (call.body.wait === undefined) call.res.setHeader('Preference-Applied', `wait=${wait}`);
  const ref = await findRun(ctx, call.principal, started.deployment_id, started.run_id);
  const waited = await waitForRun(watchers, ref, started, wait, untilClosed(call.req));
  return { status: waited.settled ? 200 : 202, body: waited.body };
}
