/** GET /health: is the API up, is Temporal reachable, are workers polling the task queue. */
import { z } from 'zod';

export const healthResponseSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'unavailable']).meta({
      description:
        'ok: all good; degraded: no worker polls the task queue (runs would wait); unavailable: Temporal is unreachable',
    }),
    api: z.literal('up'),
    temporal: z.object({
      reachable: z.boolean(),
      namespace: z.string(),
      error: z.string().nullable(),
    }),
    workers: z.object({
      task_queue: z.string(),
      pollers: z
        .number()
        .int()
        .nullable()
        .meta({ description: 'Workers polling the task queue recently; null when Temporal is unreachable' }),
    }),
    github: z
      .object({
        ok: z.boolean(),
        login: z.string().nullable(),
        scopes: z
          .array(z.string())
          .nullable()
          .meta({ description: "The token's OAuth scopes (x-oauth-scopes); empty for fine-grained tokens" }),
        rate_limit: z
          .object({
            limit: z.number().int(),
            remaining: z.number().int(),
            reset_at: z.number().int().meta({ description: 'Unix seconds' }),
          })
          .nullable(),
        error: z.object({ type: z.string(), message: z.string() }).nullable(),
      })
      .optional()
      .meta({
        description:
          'Only when GITHUB_HEALTH_TOKEN is configured and the caller is an admin (or API_KEYS is unset): the token checked against the GitHub API',
      }),
  })
  .meta({ id: 'Health' });

export type GitHubHealth = NonNullable<z.output<typeof healthResponseSchema>['github']>;
