/** GET /health (public) and GET /metrics (Prometheus text). */
import { z } from 'zod';
import { roleAllows } from '../auth/principal';
import type { ApiContext } from '../context';
import { defineOperation, type Operation } from '../openapi/operation';
import { healthResponseSchema } from '../schemas/health';
import { githubHealth, type GitHubHealthCheck } from '../services/github-health';

const HEALTH_DEADLINE_MS = 3_000;

async function pollers(ctx: ApiContext): Promise<number> {
  const client = ctx.client();
  const response = await client.withDeadline(Date.now() + HEALTH_DEADLINE_MS, () =>
    client.workflowService.describeTaskQueue({
      namespace: ctx.namespace,
      taskQueue: { name: ctx.taskQueue },
      taskQueueType: 1,
    }),
  );
  return response.pollers?.length ?? 0;
}

export function healthOperations(ctx: ApiContext, github?: GitHubHealthCheck): Operation[] {
  return [
    defineOperation({
      method: 'get',
      path: '/health',
      summary: 'API up, Temporal reachable, workers polling the task queue',
      tag: 'ops',
      access: 'public',
      responses: {
        200: {
          description: 'Temporal reachable (status ok, or degraded when no worker polls)',
          schema: healthResponseSchema,
        },
        503: { description: 'Temporal unreachable', schema: healthResponseSchema },
      },
      async handle({ principal }) {
        const workers = { task_queue: ctx.taskQueue, pollers: null as number | null };
        try {
          workers.pollers = await pollers(ctx);
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          return {
            status: 503,
            body: {
              status: 'unavailable',
              api: 'up',
              temporal: { reachable: false, namespace: ctx.namespace, error },
              workers,
            },
          };
        }
        const status = workers.pollers > 0 ? 'ok' : 'degraded';
        const body = {
          status,
          api: 'up',
          temporal: { reachable: true, namespace: ctx.namespace, error: null },
          workers,
        } as const;
        // The token's login and scopes are for admins (or the local operator without API_KEYS), not for anyone who can reach /health.
        const showGitHub = github !== undefined && roleAllows(principal.role, 'admin');
        return { status: 200, body: showGitHub ? { ...body, github: await githubHealth(github) } : body };
      },
    }),
    defineOperation({
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics: requests by route and status, latency, runs started and runs by outcome',
      tag: 'ops',
      access: 'admin',
      responses: { 200: { description: 'Prometheus text format', schema: z.string(), contentType: 'text/plain' } },
      async handle({ res }) {
        res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
        return undefined;
      },
    }),
  ];
}
