/**
 * GET /health: is the API up, is Temporal reachable, are workers polling the task queue; with
 * GITHUB_HEALTH_TOKEN, the token checked against GitHub, also in seed 003's fields (`repo`,
 * `scopes`, `rate_limit`). `?shape=seed003` answers `status` and `github` in seed 003's words too.
 */
import { z } from 'zod';
import { ERROR_NAMES } from '../../model/error-names';
import { githubOwner, githubRepoName } from '../../resources/github/secret-properties';

const statusSchema = z.enum(['ok', 'degraded', 'unavailable']).meta({
  description:
    'ok: all good; degraded: no worker polls the task queue (runs would wait); unavailable: Temporal is unreachable',
});

/** Seed 003's words for each status (`?shape=seed003`). */
export const SEED_STATUS = { ok: 'healthy', degraded: 'degraded', unavailable: 'unhealthy' } as const;
const seedStatusSchema = z
  .enum(SEED_STATUS)
  .meta({ description: "Seed 003's words for status: healthy (ok), degraded, unhealthy (unavailable)" });

const rateLimitSchema = z
  .object({
    limit: z.number().int(),
    remaining: z.number().int(),
    reset_at: z.number().int().meta({ description: 'Unix seconds' }),
  })
  .nullable();

const githubSchema = z.object({
  ok: z.boolean(),
  login: z.string().nullable(),
  scopes: z
    .array(z.string())
    .nullable()
    .meta({ description: "The token's OAuth scopes (x-oauth-scopes); empty for fine-grained tokens" }),
  rate_limit: rateLimitSchema,
  error: z.object({ type: z.string(), message: z.string() }).nullable(),
});

const ONLY_ADMINS = 'Only when GITHUB_HEALTH_TOKEN is configured and the caller is an admin (or API_KEYS is unset)';

/** Seed 003's fields about the token: the same check as `github`, in the seed's shape. */
const seedGitHubFields = {
  repo: z
    .string()
    .nullable()
    .optional()
    .meta({ description: `${ONLY_ADMINS}: the repository named by ?repo= and read with the token, or null` }),
  scopes: z
    .object({ repo: z.boolean().nullable(), workflow: z.boolean().nullable() })
    .nullable()
    .optional()
    .meta({
      description: `${ONLY_ADMINS}: whether the token has the repo and workflow scopes (null: a fine-grained token, which has none to show); null when the check failed`,
    }),
  rate_limit: rateLimitSchema
    .optional()
    .meta({ description: `${ONLY_ADMINS}: the token's core rate limit; null when the check failed` }),
};

export const healthResponseSchema = z
  .object({
    status: statusSchema,
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
    github: githubSchema.optional().meta({ description: `${ONLY_ADMINS}: the token checked against the GitHub API` }),
    ...seedGitHubFields,
  })
  .meta({ id: 'Health' });

/** What /health shows a caller that is not an admin: no names, addresses or error text. */
export const publicHealthSchema = z
  .object({ status: statusSchema, temporal: z.object({ reachable: z.boolean() }) })
  .meta({
    id: 'PublicHealth',
    description: 'GET /health for anonymous callers and non-admin keys (while API_KEYS is set)',
  });

export const seedHealthResponseSchema = healthResponseSchema
  .extend({
    status: seedStatusSchema,
    github: z
      .enum(['connected', ...ERROR_NAMES])
      .optional()
      .meta({ description: `${ONLY_ADMINS}: connected, or seed 003's name of the error (the message: without shape)` }),
  })
  .meta({ id: 'SeedHealth', description: 'GET /health?shape=seed003 for admins' });

export const seedPublicHealthSchema = publicHealthSchema
  .extend({ status: seedStatusSchema })
  .meta({ id: 'SeedPublicHealth', description: 'GET /health?shape=seed003 for anonymous callers and non-admin keys' });

export const healthQuerySchema = z.object({
  shape: z
    .enum(['seed003'])
    .optional()
    .meta({ description: "seed003: status and github in seed 003's words (healthy, connected, …)" }),
  repo: z
    .string()
    .regex(/^[^/]+\/[^/]+$/, 'repo must be owner/name')
    .transform((text) => text.split('/'))
    .pipe(z.tuple([githubOwner('the owner in repo'), githubRepoName('the name in repo')]))
    .optional()
    .meta({ description: 'owner/name: the health token also reads this repository (admins only; seed 003 `repo`)' }),
});

export type GitHubHealth = z.output<typeof githubSchema>;
export type PublicHealth = z.output<typeof publicHealthSchema>;
export type Health = z.output<typeof healthResponseSchema>;
