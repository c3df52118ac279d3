/** POST /deploy/move: one saga that moves a deployment's regional resources to another region. */
import type { ApiContext } from '../context';
import { defineOperation, type Operation } from '../openapi/operation';
import { moveRequestSchema } from '../schemas/move';
import { startHeaders, waitedResponses } from '../schemas/runs';
import { startAndAnswer, WAIT_POLL_MS } from '../services/run-wait';
import { RunWatchers } from '../services/run-watcher';
import { moveInput } from '../services/move-input';

export function moveOperations(ctx: ApiContext): Operation[] {
  const watchers = new RunWatchers(ctx, WAIT_POLL_MS);
  return [
    defineOperation({
      method: 'post',
      path: '/deploy/move',
      summary:
        'Move a deployment between regions: create in the new one, verify, switch references, then delete the old (a failure before the deletes rolls back)',
      tag: 'deploy',
      access: 'admin',
      body: moveRequestSchema,
      headers: startHeaders,
      responses: waitedResponses,
      errors: [404, 409, 503],
      async handle(call) {
        const { body, principal } = call;
        const input = await moveInput(ctx, principal, body);
        return startAndAnswer(ctx, watchers, input, call);
      },
    }),
  ];
}
