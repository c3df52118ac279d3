/** Shapes shared by many routes: the error body, ids, pagination. */
import { z } from 'zod';

export const errorResponseSchema = z
  .object({
    error: z.object({
      type: z
        .string()
        .meta({ description: 'Stable machine-readable kind: validation_error, not_found, run_active, wrong_state, …' }),
      message: z.string(),
      details: z.unknown().meta({
        description:
          'Kind-specific: the failing field paths of a 400, the running execution of a 409, the limit of a 413/429.',
      }),
      request_id: z.string(),
    }),
    success: z.literal(false).optional().meta({ description: 'Seed 001: with validation_errors, on a 400' }),
    validation_errors: z.array(z.string()).optional().meta({
      description: "Seed 001: a 400's problems as readable lines, each naming its field (and resource)",
    }),
  })
  .meta({ id: 'Error' });

/** Deployment ids as configs define them ([a-z0-9-], 1..63), also safe inside visibility queries. */
export const deploymentIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 characters of a-z, 0-9 and -')
  .meta({ description: 'Deployment id (deployment_id of the config)', example: 'my-app-prod' });

/**
 * Temporal run ids are UUIDs, written in lower case. No regex flags: the OpenAPI document carries
 * the pattern's source only, so a flag would be lost there (or worse, copied into the pattern).
 */
export const runIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a run id (UUID)')
  .meta({ description: 'Temporal run id', example: '0193b7a2-6f7e-7c3e-8d51-2a3b4c5d6e7f' });

/** A spec graph's content hash (16 hex digits). */
export const graphIdSchema = z
  .string()
  .regex(/^[0-9a-f]{16}$/, 'must be a graph id (16 hex digits)')
  .meta({ description: 'Graph id (content hash of a spec graph)', example: '494eed2b2f4f0213' });

/** A deployment id (its latest run), a run id, or a graph id (the latest run of that graph). */
export const runAddressParams = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a deployment id, a run id or a graph id')
    .meta({ description: 'Deployment id (latest run), run id, or graph id (its latest run)', example: 'my-app-prod' }),
});

export const pageQuery = z.object({
  page_size: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'Items per page (1-100)' }),
  page_token: z.string().max(4_096).optional().meta({ description: 'next_page_token of the previous page' }),
});

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1-200 visible ASCII characters')
    .optional()
    .meta({ description: 'Retries of a request with the same key get the first answer instead of a second effect' }),
});

/** One difference between the desired and the actual state of a resource (plans and verify runs). */
export const driftItemSchema = z.object({ property: z.string(), desired: z.unknown(), actual: z.unknown() });
