/**
 * POST /deploy/apply, /deploy/verify, /deploy/destroy (also by tag scan): start a run. One run per deployment at a
 * time (409 names the active one); an Idempotency-Key makes a retried submit return the same run.
 */
import type { Request } from 'express';
import type { OperationDeps } from '../../activities/operation-context';
import type { DeploymentConfig } from '../../model/config-schema';
import type { SealedCredentials } from '../../model/run-types';
import type { ApiContext } from '../context';
import { offloaded } from '../offload/offloaded';
import { defineOperation, type Operation } from '../openapi/operation';
import { idempotencyHeaders } from '../schemas/common';
import { configBodies } from '../schemas/config-bodies';
import {
  applyRequestSchema,
  destroyRequestSchema,
  lifecycleRequestSchema,
  MAX_WAIT_SECONDS,
  applyHeaders,
  startedResponses,
  startedRunSchema,
} from '../schemas/runs';
import { inputFromConfig, lastApplyOutputs, lifecycleInput } from '../services/run-input';
import { findRun } from '../services/run-lookup';
import { waitForRun } from '../services/run-wait';
import { RunWatchers } from '../services/run-watcher';
import { plannedConfig } from '../services/saved-plans';
import { startRun } from '../services/start-run';
import { scanDestroyInput } from '../services/tag-scan';

/** How often a waiting apply reads its run's state. */
const WAIT_POLL_MS = 500;

function lifecycleOperation(ctx: ApiContext, action: 'verify'): Operation {
  return defineOperation({
    method: 'post',
    path: `/deploy/${action}`,
    summary: 'Verify a deployment: compare every resource with its config and report drift',
    tag: 'deploy',
    access: 'operate',
    body: lifecycleRequestSchema,
    parseBody: configBodies[action],
    offload: offloaded(action),
    headers: idempotencyHeaders,
    responses: startedResponses,
    errors: [404, 409, 503],
    async handle({ body, headers, principal }) {
      const input = await lifecycleInput(ctx, principal, action, body);
      return { status: 202, body: await startRun(ctx, principal, input, headers['idempotency-key']) };
    },
  });
}

/** Destroy: of the last apply's config, of a given config, or of what a tag scan finds (`scan`, no history needed). */
function destroyOperation(ctx: ApiContext, deps: OperationDeps): Operation {
  return defineOperation({
    method: 'post',
    path: '/deploy/destroy',
    summary:
      'Destroy a deployment: delete its resources in reverse dependency order (of its last apply, a config, or a tag scan)',
    tag: 'deploy',
    access: 'admin',
    body: destroyRequestSchema,
    parseBody: configBodies.destroy,
    offload: offloaded('destroy'),
    headers: idempotencyHeaders,
    responses: startedResponses,
    errors: [404, 409, 502, 503],
    async handle({ body, headers, principal }) {
      const input =
        body.scan && body.deployment_id
          ? await scanDestroyInput(deps, principal, ctx.serviceAwsTenants, {
              deploymentId: body.deployment_id,
              regions: body.scan.regions,
              credentials: (body.credentials ?? null) as SealedCredentials | null,
            })
          : await lifecycleInput(ctx, principal, 'destroy', body);
      return { status: 202, body: await startRun(ctx, principal, input, headers['idempotency-key']) };
    },
  });
}

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

export function runOperations(ctx: ApiContext, deps: OperationDeps = { clients: {}, secrets: null }): Operation[] {
  const watchers = new RunWatchers(ctx, WAIT_POLL_MS);
  return [
    defineOperation({
      method: 'post',
      path: '/deploy/apply',
      summary: 'Start a deployment run (mode FULL, STEP or DRY_RUN); optionally wait for it to complete, fail or pause',
      tag: 'deploy',
      access: 'operate',
      body: applyRequestSchema,
      parseBody: configBodies.apply,
      offload: offloaded('apply'),
      headers: applyHeaders,
      responses: {
        200: { description: 'Waited (`wait`): the run completed, failed or paused in time', schema: startedRunSchema },
        ...startedResponses,
      },
      errors: [404, 409, 503],
      async handle({ body, headers, principal, req, res }) {
        const saved =
          body.graph_id === undefined ? null : await plannedConfig(ctx, principal, body.graph_id, body.config);
        const config = saved?.config ?? (body.config as DeploymentConfig);
        const mode = body.mode ?? saved?.mode;
        const input = inputFromConfig(config, 'apply', principal, { mode, settings: body.settings });
        // A dry run plans like a live plan: references from the last apply's outputs.
        const planned =
          input.settings.mode === 'DRY_RUN'
            ? { ...input, previous_outputs: await lastApplyOutputs(ctx, principal, input.graph.deployment_id) }
            : input;
        const started = await startRun(ctx, principal, planned, headers['idempotency-key']);
        const preferred = preferredWait(headers.prefer);
        const wait = body.wait ?? preferred ?? 0;
        if (wait === 0) return { status: 202, body: started };
        if (body.wait === undefined) res.setHeader('Preference-Applied', `wait=${wait}`);
        const ref = await findRun(ctx, principal, started.deployment_id, started.run_id);
        const waited = await waitForRun(watchers, ref, started, wait, untilClosed(req));
        return { status: waited.settled ? 200 : 202, body: waited.body };
      },
    }),
    lifecycleOperation(ctx, 'verify'),
    destroyOperation(ctx, deps),
  ];
}
