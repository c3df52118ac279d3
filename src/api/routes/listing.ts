/** GET /deploy/history/{deployment_id} and GET /deploy/list: runs and deployments from Temporal visibility. */
import { z } from 'zod';
import type { ApiContext } from '../context';
import { defineOperation, type Operation } from '../openapi/operation';
import { deploymentIdSchema, pageQuery } from '../schemas/common';
import { historyResponseSchema, listQuerySchema, listResponseSchema } from '../schemas/listing';
import { history, latestPerDeployment } from '../services/listing';

export function listingOperations(ctx: ApiContext): Operation[] {
  return [
    defineOperation({
      method: 'get',
      path: '/deploy/history/{deployment_id}',
      summary: 'Every run of a deployment, newest first, paginated',
      tag: 'runs',
      access: 'read',
      params: z.object({ deployment_id: deploymentIdSchema }),
      query: pageQuery,
      responses: { 200: { description: 'One page of runs', schema: historyResponseSchema } },
      errors: [404, 503],
      handle: async ({ params, query, principal }) => ({
        status: 200,
        body: await history(ctx, principal, params.deployment_id, query.page_size, query.page_token),
      }),
    }),
    defineOperation({
      method: 'get',
      path: '/deploy/list',
      summary: 'Deployments with the status of their latest run, filtered by status, paginated',
      tag: 'runs',
      access: 'read',
      query: listQuerySchema,
      responses: { 200: { description: 'One page of deployments', schema: listResponseSchema } },
      errors: [503],
      handle: async ({ query, principal }) => ({
        status: 200,
        body: await latestPerDeployment(ctx, principal, {
          status: query.status,
          pageSize: query.page_size,
          pageToken: query.page_token,
        }),
      }),
    }),
  ];
}
