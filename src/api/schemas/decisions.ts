/** Operator decisions on a run: continue a pause, retry / skip failed nodes, roll back, abort. */
import { z } from 'zod';
import { deploymentIdSchema, runIdSchema } from './common';
import { executionSchema } from './status';

const target = {
  deployment_id: deploymentIdSchema,
  run_id: runIdSchema.optional().meta({ description: 'A specific run; the latest run when omitted' }),
};
const nodeIds = z
  .array(z.string().min(1).max(64))
  .min(1)
  .max(10_000)
  .optional()
  .meta({ description: 'Nodes the decision applies to; every failed node when omitted' });

export const decisionRequests = {
  continue: z
    .object({
      ...target,
      node_id: z
        .string()
        .min(1)
        .max(64)
        .optional()
        .meta({ description: 'One paused node or approval gate; every paused node when omitted' }),
    })
    .strict()
    .meta({ id: 'ContinueRequest' }),
  retry: z
    .object({ ...target, node_ids: nodeIds })
    .strict()
    .meta({ id: 'RetryRequest' }),
  skip: z
    .object({ ...target, node_ids: nodeIds })
    .strict()
    .meta({ id: 'SkipRequest' }),
  rollback: z
    .object({ ...target })
    .strict()
    .meta({ id: 'RollbackRequest' }),
  abort: z
    .object({ ...target, reason: z.string().max(1_000).optional() })
    .strict()
    .meta({ id: 'AbortRequest' }),
} as const;

export const decisionResponseSchema = executionSchema
  .extend({
    deployment_id: z.string(),
    accepted: z.literal(true),
    action: z.string(),
    node_ids: z.array(z.string()).meta({ description: 'Nodes the decision affected' }),
  })
  .meta({ id: 'DecisionResult' });
