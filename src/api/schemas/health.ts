/** GET /health: is the API up, is Temporal reachable, are workers polling the task queue. */
import { z } from 'zod';

export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'degraded', 'unavailable']).meta({ description: 'ok: all good; degraded: no worker polls the task queue (runs would wait); unavailable: Temporal is unreachable' }),
  api: z.literal('up'),
  temporal: z.object({
    reachable: z.boolean(),
    namespace: z.string(),
    error: z.string().nullable(),
  }),
  workers: z.object({
    task_queue: z.string(),
    pollers: z.number().int().nullable().meta({ description: 'Workers polling the task queue recently; null when Temporal is unreachable' }),
  }),
}).meta({ id: 'Health' });
