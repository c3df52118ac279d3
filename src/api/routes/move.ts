/** POST /deploy/move: one saga that moves a deployment's regional resources to another region. */
import type { ApiContext } from '../context';
import { defineOperation, type Operation } from '../openapi/operation';
import { idempotencyHeaders } from '../schemas/common';
import { moveRequestSchema } from '../schemas/move';
import { startedRunSchema } from '../schemas/runs';
import { moveInput } from '../services/move-input';
import { startRun } from '../services/start-run';

export function moveOperations(ctx: ApiContext): Operation[] {
  return [
    defineOperation({
      method: 'post',
      path: '/deploy/move',
      summary:
        'Move a deployment between regions: create in the new one, verify, switch references, then delete the old (a failure before the deletes rolls back)',
      tag: 'deploy',
      access: 'admin',
      body: moveRequestSchema,
      headers: idempotencyHeaders,
      responses: {
        202: {
          description: 'The move run started (or, for a repeated Idempotency-Key, the run it started before)',
          schema: startedRunSchema,
        },
      },
      errors: [404, 409, 503],
      async handle({ body, headers, principal }) {
        const input = await moveInput(ctx, principal, body);
        return { status: 202, body: await startRun(ctx, principal, input, headers['idempotency-key']) };
      },
    }),
  ];
}
