/**
 * POST /deploy/apply, /deploy/verify, /deploy/destroy (also by tag scan): start a run. One run per deployment at a
 * time (409 names the active one); an Idempotency-Key makes a retried submit return the same run.
 */
import type { OperationDeps } from '../../activities/operation-context';
import type { DeploymentConfig } from '../../model/config-schema';
import type { SealedCredentials } from '../../model/run-types';
import type { ApiContext } from '../context';
import { offloaded } from '../offload/offloaded';
import { defineOperation, type Operation } from '../openapi/operation';
import { configBodies } from '../schemas/config-bodies';
import {
  applyRequestSchema,
  destroyRequestSchema,
  lifecycleRequestSchema,
  startHeaders,
  waitedResponses,
} from '../schemas/runs';
import { applyInput, lifecycleInput } from '../services/run-input';
import { startAndAnswer, WAIT_POLL_MS } from '../services/run-wait';
import { RunWatchers } from '../services/run-watcher';
import { plannedConfig } from '../services/saved-plans';
import { scanDestroyInput } from '../services/tag-scan';

function lifecycleOperation(ctx: ApiContext, watchers: RunWatchers, action: 'verify'): Operation {
  return defineOperation({
    method: 'post',
    path: `/deploy/${action}`,
    summary: 'Verify a deployment: compare every resource with its config and report drift',
    tag: 'deploy',
    access: 'operate',
    body: lifecycleRequestSchema,
    parseBody: configBodies[action],
    offload: offloaded(action),
    headers: startHeaders,
    responses: waitedResponses,
    errors: [404, 409, 503],
    async handle(call) {
      const { body, principal } = call;
      const input = await lifecycleInput(ctx, principal, action, body);
      return startAndAnswer(ctx, watchers, input, call);
    },
  });
}

/** Destroy: of the last apply's config, of a given config, or of what a tag scan finds (`scan`, no history needed). */
function destroyOperation(ctx: ApiContext, watchers: RunWatchers, deps: OperationDeps): Operation {
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
    headers: startHeaders,
    responses: waitedResponses,
    errors: [404, 409, 502, 503],
    async handle(call) {
      const { body, principal } = call;
      const input =
        body.scan && body.deployment_id
          ? await scanDestroyInput(ctx, deps, principal, {
              deploymentId: body.deployment_id,
              regions: body.scan.regions,
              credentials: (body.credentials ?? null) as SealedCredentials | null,
            })
          : await lifecycleInput(ctx, principal, 'destroy', body);
      return startAndAnswer(ctx, watchers, input, call);
    },
  });
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
      headers: startHeaders,
      responses: waitedResponses,
      errors: [404, 409, 503],
      async handle(call) {
        const { body, principal } = call;
        const saved =
          body.graph_id === undefined ? null : await plannedConfig(ctx, principal, body.graph_id, body.config);
        const config = saved?.config ?? (body.config as DeploymentConfig);
        const mode = body.mode ?? saved?.mode;
        const input = await applyInput(ctx, principal, config, { mode, settings: body.settings });
        return startAndAnswer(ctx, watchers, input, call);
      },
    }),
    lifecycleOperation(ctx, watchers, 'verify'),
    destroyOperation(ctx, watchers, deps),
  ];
}
