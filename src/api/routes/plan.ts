/** POST /deploy/plan: validate a config and show what a run would do. Never starts a workflow. */
import { resolveSettings } from '../../spec/config-schema';
import { defineOperation, type Operation } from '../openapi/operation';
import { configRequestParser } from '../schemas/config-request';
import { planEnvelope, planRequestSchema, planResponseSchema } from '../schemas/plan';
import { planDeployment } from '../services/plan';

export function planOperations(): Operation[] {
  const parseBody = configRequestParser(planEnvelope, true);
  return [
    defineOperation({
      method: 'post',
      path: '/deploy/plan',
      summary: 'Validate a config and plan it: nodes in order, parallel groups, actions, pauses, irreversible steps, warnings',
      tag: 'deploy',
      access: 'read',
      body: planRequestSchema,
      parseBody,
      responses: { 200: { description: 'The plan', schema: planResponseSchema } },
      handle: ({ body }) => Promise.resolve({ status: 200, body: planDeployment(body.config, body.mode ?? resolveSettings(body.config.settings).mode) }),
    }),
  ];
}
