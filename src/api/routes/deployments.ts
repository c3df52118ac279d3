/**
 * Seed 002's lifecycle over the deployment engine: POST /deploy/deploy (apply), /deploy/undeploy
 * (destroy of the last apply's stored config), /deploy/redeploy (apply of that config, optionally
 * under a new version), GET /deployments/{deployment_id} and GET /deployments (seed 002 statuses).
 * Logs are GET /deploy/logs/{id}.
 */
import { z } from 'zod';
import type { ApiContext } from '../context';
import { defineOperation, type Operation } from '../openapi/operation';
import { deploymentIdSchema, idempotencyHeaders } from '../schemas/common';
import { configRequestParser } from '../schemas/config-request';
import { startedResponses } from '../schemas/runs';
import {
  deployEnvelope,
  deployRequestSchema,
  redeployRequestSchema,
  deploymentSchema,
  deploymentsQuerySchema,
  deploymentsSchema,
  undeployRequestSchema,
} from '../schemas/deployments';
import { inputFromConfig, lifecycleInput } from '../services/run-input';
import { redeployInput, listDeployments, deploymentOf } from '../services/deployments';
import { startRun } from '../services/start-run';

export function deploymentOperations(ctx: ApiContext): Operation[] {
  const parseDeploy = configRequestParser(deployEnvelope, true);
  return [
    defineOperation({
      method: 'post',
      path: '/deploy/deploy',
      summary: 'Deploy: an apply run of this config',
      tag: 'deployments',
      access: 'operate',
      body: deployRequestSchema,
      parseBody: parseDeploy,
      headers: idempotencyHeaders,
      responses: startedResponses,
      errors: [409, 503],
      async handle({ body, headers, principal }) {
        const input = inputFromConfig(body.config, 'apply', principal);
        return { status: 202, body: await startRun(ctx, principal, input, headers['idempotency-key']) };
      },
    }),
    defineOperation({
      method: 'post',
      path: '/deploy/undeploy',
      summary: 'Undeploy: a destroy run of the last apply’s config',
      tag: 'deployments',
      access: 'admin',
      body: undeployRequestSchema,
      headers: idempotencyHeaders,
      responses: startedResponses,
      errors: [404, 409, 503],
      async handle({ body, headers, principal }) {
        const input = await lifecycleInput(ctx, principal, 'destroy', body);
        return { status: 202, body: await startRun(ctx, principal, input, headers['idempotency-key']) };
      },
    }),
    defineOperation({
      method: 'post',
      path: '/deploy/redeploy',
      summary: 'Redeploy: an apply run of the last apply’s config, optionally under a new version',
      tag: 'deployments',
      access: 'operate',
      body: redeployRequestSchema,
      headers: idempotencyHeaders,
      responses: startedResponses,
      errors: [404, 409, 503],
      async handle({ body, headers, principal }) {
        const input = await redeployInput(ctx, principal, body.deployment_id, body.version);
        return { status: 202, body: await startRun(ctx, principal, input, headers['idempotency-key']) };
      },
    }),
    defineOperation({
      method: 'get',
      path: '/deployments/{deployment_id}',
      summary: 'Deployment state: UNDEPLOYED, DEPLOYING, DEPLOYED, DEPLOYMENT_FAILED or UNDEPLOYING',
      tag: 'deployments',
      access: 'read',
      params: z.object({ deployment_id: deploymentIdSchema }),
      responses: {
        200: { description: 'The status, derived from the latest apply or destroy run', schema: deploymentSchema },
      },
      errors: [503],
      handle: async ({ params, principal }) => ({
        status: 200,
        body: await deploymentOf(ctx, principal, params.deployment_id),
      }),
    }),
    defineOperation({
      method: 'get',
      path: '/deployments',
      summary: 'Deployments with their state',
      tag: 'deployments',
      access: 'read',
      query: deploymentsQuerySchema,
      responses: { 200: { description: 'Every deployment that ran an apply or destroy', schema: deploymentsSchema } },
      errors: [503],
      handle: async ({ query, principal }) => ({
        status: 200,
        body: await listDeployments(ctx, principal, query.status),
      }),
    }),
  ];
}
