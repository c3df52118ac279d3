/**
 * GET /health (public) and GET /metrics (Prometheus text, admin). Only an admin (or the local
 * operator without API_KEYS) sees health details (namespace, task queue, pollers, Temporal's error
 * text, which names its address, and the health token's check); anyone else gets the status and
 * whether Temporal is reachable. `?shape=seed003` gives `status` and `github` in seed 003's words.
 * /metrics shows an admin key the requests and runs of its own tenant only (see metrics.ts).
 */
import { z } from 'zod';
import { errorName } from '../../model/error-names';
import { SEARCH_ATTRIBUTES } from '../../workflows/messages';
import { roleAllows, type Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import type { CountRuns } from '../metrics';
import { defineOperation, type Operation } from '../openapi/operation';
import {
  healthQuerySchema,
  healthResponseSchema,
  publicHealthSchema,
  SEED_STATUS,
  seedHealthResponseSchema,
  seedPublicHealthSchema,
  type Health,
  type PublicHealth,
} from '../schemas/health';
import { githubHealth, type GitHubHealthCheck } from '../services/github-health';
import { runsQuery } from '../services/visibility';

const HEALTH_DEADLINE_MS = 3_000;

const healthSchema = z.union([
  healthResponseSchema,
  publicHealthSchema,
  seedHealthResponseSchema,
  seedPublicHealthSchema,
]);

/** Seed 003's words for the two fields it names differently: status, and github as connected or the error's name. */
function inSeedShape(body: Health | PublicHealth) {
  const status = SEED_STATUS[body.status];
  if (!('github' in body) || body.github === undefined) return { ...body, status };
  const { error } = body.github;
  return { ...body, status, github: error === null ? 'connected' : errorName(error.type) };
}

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

/** The caller's runs in a phase: its tenant's (every run for the local operator). */
const runsOf =
  (ctx: ApiContext, principal: Principal): CountRuns =>
  async (phase) =>
    (await ctx.client().workflow.count(runsQuery(principal, { [SEARCH_ATTRIBUTES.deploymentStatus]: phase }))).count;

export function healthOperations(ctx: ApiContext, github?: GitHubHealthCheck): Operation[] {
  return [
    defineOperation({
      method: 'get',
      path: '/health',
      summary:
        "API up, Temporal reachable, workers polling the task queue; for admins the health token's check (seed 003)",
      tag: 'ops',
      access: 'public',
      query: healthQuerySchema,
      responses: {
        200: {
          description: 'Temporal reachable (status ok, or healthy with shape=seed003; degraded when no worker polls)',
          schema: healthSchema,
        },
        503: { description: 'Temporal unreachable', schema: healthSchema },
      },
      async handle({ principal, query }) {
        const admin = roleAllows(principal.role, 'admin');
        const reply = (status: number, body: Health | PublicHealth) => ({
          status,
          body: query.shape === 'seed003' ? inSeedShape(body) : body,
        });
        const workers = { task_queue: ctx.taskQueue, pollers: null as number | null };
        try {
          workers.pollers = await pollers(ctx);
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          if (!admin) return reply(503, { status: 'unavailable', temporal: { reachable: false } });
          return reply(503, {
            status: 'unavailable',
            api: 'up',
            temporal: { reachable: false, namespace: ctx.namespace, error },
            workers,
          });
        }
        const status = workers.pollers > 0 ? 'ok' : 'degraded';
        if (!admin) return reply(200, { status, temporal: { reachable: true } });
        const body = {
          status,
          api: 'up',
          temporal: { reachable: true, namespace: ctx.namespace, error: null },
          workers,
        } as const;
        // Admins only (checked above): the token's login and scopes, too, are not for anyone who can reach /health.
        return reply(200, github !== undefined ? { ...body, ...(await githubHealth(github, query.repo)) } : body);
      },
    }),
    defineOperation({
      method: 'get',
      path: '/metrics',
      summary:
        "Prometheus metrics: the process's, and the caller's tenant's requests by route and status, latency, runs started and runs by outcome",
      tag: 'ops',
      access: 'admin',
      responses: { 200: { description: 'Prometheus text format', schema: z.string(), contentType: 'text/plain' } },
      async handle({ res, principal }) {
        res.type(ctx.metrics.contentType).send(await ctx.metrics.scrape(principal.tenant, runsOf(ctx, principal)));
        return undefined;
      },
    }),
  ];
}
