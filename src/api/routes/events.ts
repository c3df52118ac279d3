/**
 * GET /deploy/events/{id}: a run as Server-Sent Events. The run is polled (describe + status query),
 * once per poll for all its streams (services/run-watcher); each change becomes an event; the stream
 * ends after run_finished (or when the client goes away). Bounded:
 * at most `perClient` streams at once per client (API key, or address without one; a 429 beyond),
 * and each stream lasts at most `maxLifetimeMs`, then ends with `retry:` and an `event: reconnect`
 * so clients resume on a fresh stream (a paused run would otherwise hold its stream forever).
 */
import { z } from 'zod';
import type { Response } from 'express';
import { isFinished, type RunStatus } from '../../model/run-types';
import type { ApiContext } from '../context';
import { ApiError } from '../errors/api-errors';
import { toApiError } from '../errors/error-middleware';
import type { ClientIdentity } from '../middleware/client-identity';
import { defineOperation, type Operation } from '../openapi/operation';
import { runAddressParams } from '../schemas/common';
import { statusQuerySchema } from '../schemas/status';
import { findRun, type RunRef } from '../services/run-lookup';
import { runEvents, type RunEvent } from '../services/run-events';
import { RunWatchers } from '../services/run-watcher';

export interface EventStreamOptions {
  /** How often a run with streams open is polled (ms). */
  readonly pollMs: number;
  /** Streams one client may hold open at once. */
  readonly perClient: number;
  /** How long one stream lasts before the server ends it with a reconnect event (ms). */
  readonly maxLifetimeMs: number;
  /** The SSE `retry:` (ms) sent with the reconnect event: how long clients wait before reconnecting. */
  readonly retryMs: number;
}

export const EVENT_STREAM_DEFAULTS: EventStreamOptions = {
  pollMs: 500,
  perClient: 10,
  maxLifetimeMs: 15 * 60_000,
  retryMs: 1_000,
};

/** setTimeout's longest delay (a longer one fires at once). */
const MAX_TIMER_MS = 2_147_483_647;

const send = (res: Response, { event, data }: RunEvent): void => {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
};

/**
 * Sends the run's events from the states its shared poller reads, each diffed against the last state
 * this stream sent (so a stream that joins late starts from the run's current state). True when the
 * run ended; false when `stop` aborted first (the client went away, or time is up).
 */
function follow(watchers: RunWatchers, ref: RunRef, res: Response, stop: AbortSignal): Promise<boolean> {
  if (stop.aborted) return Promise.resolve(false);
  let last: RunStatus | null = null;
  return new Promise<boolean>((resolve, reject) => {
    // After an error or an ended state the poller has stopped: no call follows.
    const unsubscribe = watchers.watch(ref, (update) => {
      if ('error' in update) return reject(update.error);
      for (const event of runEvents(last, update.status)) send(res, event);
      last = update.status;
      if (!update.ended) return undefined;
      if (!isFinished(update.status.status)) {
        const data = { status: update.execution.toLowerCase(), counts: update.status.counts };
        send(res, { event: 'run_finished', data });
      }
      return resolve(true);
    });
    stop.addEventListener(
      'abort',
      () => {
        unsubscribe();
        resolve(false);
      },
      { once: true },
    );
  });
}

/** Open streams per client; an entry lives only while its client has a stream open. */
class StreamCounter {
  private readonly open = new Map<string, number>();

  constructor(private readonly perClient: number) {}

  /** Takes a slot for `client` (a 429 when it has none left); the returned function gives it back. */
  acquire(client: string): () => void {
    const count = this.open.get(client) ?? 0;
    if (count >= this.perClient) {
      throw new ApiError(
        429,
        'too_many_streams',
        `too many event streams: at most ${this.perClient} open at once per API key (per client address without one); close one first`,
        { limit: this.perClient },
        { 'Retry-After': '5' },
      );
    }
    this.open.set(client, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(client) ?? 1) - 1;
      if (left > 0) this.open.set(client, left);
      else this.open.delete(client);
    };
  }
}

export function eventOperations(
  ctx: ApiContext,
  identify: ClientIdentity,
  options: Partial<EventStreamOptions> = {},
): Operation[] {
  const { pollMs, perClient, maxLifetimeMs, retryMs } = { ...EVENT_STREAM_DEFAULTS, ...options };
  const streams = new StreamCounter(perClient);
  const watchers = new RunWatchers(ctx, pollMs);
  return [
    defineOperation({
      method: 'get',
      path: '/deploy/events/{id}',
      summary:
        'Live events of a run (Server-Sent Events): node_started/completed/failed/paused, run_status, run_finished',
      tag: 'runs',
      access: 'read',
      params: runAddressParams,
      query: statusQuerySchema,
      responses: {
        200: {
          description:
            'An event stream that ends when the run ends, or at its maximum lifetime (15 min by default) with `retry:` and an event `reconnect`: reconnect to resume',
          schema: z.string(),
          contentType: 'text/event-stream',
        },
      },
      errors: [404, 503],
      async handle({ params, query, principal, req, res }) {
        const release = streams.acquire(identify(req));
        const closed = new AbortController();
        res.once('close', () => closed.abort()); // the client went away (also while the run is looked up)
        const expired = new AbortController();
        const timer = setTimeout(() => expired.abort(), Math.min(maxLifetimeMs, MAX_TIMER_MS));
        try {
          const ref = await findRun(ctx, principal, params.id, query.run_id);
          res
            .status(200)
            .set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' })
            .flushHeaders();
          const ended = await follow(watchers, ref, res, AbortSignal.any([closed.signal, expired.signal]));
          if (!ended && !closed.signal.aborted) {
            res.write(
              `retry: ${retryMs}\nevent: reconnect\ndata: ${JSON.stringify({
                reason: 'max_lifetime',
                max_lifetime_seconds: maxLifetimeMs / 1000,
                message: `this stream reached its maximum lifetime (${maxLifetimeMs / 1000} s): reconnect to resume (the new stream starts from the run's current state)`,
              })}\n\n`,
            );
          }
        } catch (err) {
          if (!res.headersSent) throw err;
          const error = toApiError(err);
          send(res, {
            event: 'error',
            data: { type: error?.type ?? 'internal', message: error?.message ?? 'the event stream failed' },
          });
          if (!error) req.log.error({ err }, 'event stream failed');
        } finally {
          clearTimeout(timer);
          release();
        }
        res.end();
        return undefined;
      },
    }),
  ];
}
