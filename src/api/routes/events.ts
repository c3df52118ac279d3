/**
 * GET /deploy/events/{id}: a run as Server-Sent Events. The status query is polled; each change
 * becomes an event; the stream ends after run_finished (or when the client goes away).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Response } from 'express';
import { isFinished, type RunStatus } from '../../model/run-types';
import type { ApiContext } from '../context';
import { toApiError } from '../errors/error-middleware';
import { defineOperation, type Operation } from '../openapi/operation';
import { runAddressParams } from '../schemas/common';
import { statusQuerySchema } from '../schemas/status';
import { findRun, type RunRef } from '../services/run-lookup';
import { runEvents, type RunEvent } from '../services/run-events';
import { readStatus } from '../services/run-state';

const send = (res: Response, { event, data }: RunEvent): void => {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
};

/** Re-reads the run each poll: a run Temporal ended (terminate, timeout) finishes the stream too. */
async function follow(ctx: ApiContext, ref: RunRef, res: Response, pollMs: number, closed: AbortSignal): Promise<void> {
  let last: RunStatus | null = null;
  while (!closed.aborted) {
    const info = await ctx.client().workflow.getHandle(ref.workflowId, ref.runId).describe();
    const status = await readStatus(ctx, { ...ref, info });
    for (const event of runEvents(last, status)) send(res, event);
    last = status;
    if (isFinished(status.status) || info.status.name !== 'RUNNING') {
      if (!isFinished(status.status))
        send(res, { event: 'run_finished', data: { status: info.status.name.toLowerCase(), counts: status.counts } });
      return;
    }
    await sleep(pollMs, undefined, { signal: closed }).catch(() => undefined);
  }
}

export function eventOperations(ctx: ApiContext, pollMs = 500): Operation[] {
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
          description: 'An event stream that ends when the run ends',
          schema: z.string(),
          contentType: 'text/event-stream',
        },
      },
      errors: [404, 503],
      async handle({ params, query, principal, req, res }) {
        const ref = await findRun(ctx, principal, params.id, query.run_id);
        res
          .status(200)
          .set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' })
          .flushHeaders();
        const closed = new AbortController();
        req.on('close', () => closed.abort());
        try {
          await follow(ctx, ref, res, pollMs, closed.signal);
        } catch (err) {
          const error = toApiError(err);
          send(res, {
            event: 'error',
            data: { type: error?.type ?? 'internal', message: error?.message ?? 'the event stream failed' },
          });
          if (!error) req.log.error({ err }, 'event stream failed');
        }
        res.end();
        return undefined;
      },
    }),
  ];
}
