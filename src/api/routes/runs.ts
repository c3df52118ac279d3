/**
 * POST /deploy/apply, /deploy/verify, /deploy/destroy: start a run. One run per deployment at a
 * time (409 names the active one); an Idempotency-Key makes a retried submit return the same run.
 */
import type { ApiContext } from '../context';
import { defineOperation, type Operation } from '../openapi/operation';
import { idempotencyHeaders } from '../schemas/common';
import { configRequestParser } from '../schemas/config-request';
import { applyEnvelope, applyRequestSchema, lifecycleEnvelope, lifecycleRequestSchema, startedRunSchema } from '../schemas/runs';
import { inputFromConfig, lifecycleInput } from '../services/run-input';
import { startRun } from '../services/start-run';

const started = { 202: { description: 'The run started (or, for a repeated Idempotency-Key, the run it started before)', schema: startedRunSchema } };

function lifecycleOperation(ctx: ApiContext, action: 'verify' | 'destroy'): Operation {
  const parse = configRequestParser(lifecycleEnvelope, false, (body) =>
    (body['config'] === undefined && body['deployment_id'] === undefined ? [{ path: 'deployment_id', message: 'give deployment_id or config' }] : []));
  return defineOperation({
    method: 'post',
    path: `/deploy/${action}`,
    summary: action === 'verify'
      ? 'Verify a deployment: compare every resource with its config and report drift'
      : 'Destroy a deployment: delete its resources in reverse dependency order',
    tag: 'deploy',
    access: action === 'verify' ? 'operate' : 'admin',
    body: lifecycleRequestSchema,
    parseBody: parse,
    headers: idempotencyHeaders,
    responses: started,
    errors: [404, 409, 503],
    async handle({ body, headers, principal }) {
      const input = await lifecycleInput(ctx, principal, action, body);
      return { status: 202, body: await startRun(ctx, input, headers['idempotency-key']) };
    },
  });
}

export function runOperations(ctx: ApiContext): Operation[] {
  const parseApply = configRequestParser(applyEnvelope, true);
  return [
    defineOperation({
      method: 'post',
      path: '/deploy/apply',
      summary: 'Start a deployment run (mode FULL, STEP or DRY_RUN)',
      tag: 'deploy',
      access: 'operate',
      body: applyRequestSchema,
      parseBody: parseApply,
      headers: idempotencyHeaders,
      responses: started,
      errors: [409, 503],
      async handle({ body, headers, principal }) {
        const input = inputFromConfig(body.config, 'apply', principal, { mode: body.mode, settings: body.settings });
        return { status: 202, body: await startRun(ctx, input, headers['idempotency-key']) };
      },
    }),
    lifecycleOperation(ctx, 'verify'),
    lifecycleOperation(ctx, 'destroy'),
  ];
}
