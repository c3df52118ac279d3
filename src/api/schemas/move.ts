/** POST /deploy/move (seed 001 A.3): move a deployment's regional resources from one region to another. */
import { z } from 'zod';
import { AWS_REGION, credentialsSchema } from '../../model/config-schema';
import { deploymentIdSchema, graphIdSchema } from './common';
import { modeSchema } from './plan';
import { waitSchema } from './runs';

const region = z.string().regex(AWS_REGION, 'must be an AWS region such as us-east-1');

export const moveRequestSchema = z
  .object({
    deployment_id: deploymentIdSchema.meta({ description: 'The deployment whose last apply is moved' }),
    from_region: region.meta({ description: 'Where its regional resources are now' }),
    to_region: region.meta({ description: 'Where they go (a region the deployment is not in)' }),
    graph_id: graphIdSchema.optional().meta({
      description:
        'The graph id of the last apply you planned against; a different one is a 409 (the deployment changed meanwhile)',
    }),
    delete_after_verify: z.boolean().default(true).meta({
      description: 'Delete the old region once the new one is verified and switched to (false: copy, keep the old)',
    }),
    credentials: credentialsSchema
      .optional()
      .meta({ description: 'Sealed credentials for the move; default: those of the last apply' }),
    mode: modeSchema.optional(),
    wait: waitSchema.optional(),
    on_failure: z.enum(['rollback', 'halt']).default('rollback').meta({
      description:
        'rollback (default): a failure before the deletes removes what was created in the new region; halt: wait for retry/skip/rollback/abort',
    }),
  })
  .strict()
  .meta({ id: 'MoveRequest' });

export type MoveRequest = z.output<typeof moveRequestSchema>;
