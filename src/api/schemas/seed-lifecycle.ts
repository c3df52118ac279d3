/** Seed 002's deploy / undeploy / redeploy / status / list payloads (deployment ids instead of workflow ids). */
import { z } from 'zod';
import { SEED_STATUSES } from '../../lifecycle/seed-status';
import { deploymentIdSchema } from './common';
import { componentRef } from './components';
import { runSummarySchema } from './listing';

export const deployEnvelope = z.object({}).strict();

export const deployRequestSchema = z.object({ config: componentRef('DeploymentConfig') }).meta({ id: 'SeedDeployRequest' });

export const undeployRequestSchema = z.object({ deployment_id: deploymentIdSchema }).strict().meta({ id: 'SeedUndeployRequest' });

export const redeployRequestSchema = z.object({
  deployment_id: deploymentIdSchema,
  version: z.string().min(1).max(128).optional().meta({ description: 'Redeploy under this version (default: the version of the last apply)' }),
}).strict().meta({ id: 'SeedRedeployRequest' });

export const seedStatusSchema = z.enum(SEED_STATUSES).meta({ id: 'SeedDeploymentStatus', description: 'Derived from the latest apply or destroy run' });

export const seedDeploymentSchema = z.object({
  deployment_id: z.string(),
  deployment_status: seedStatusSchema,
  is_deployed: z.boolean(),
  version: z.string().nullable(),
  last_run: z.union([runSummarySchema, z.null()]).meta({ description: 'The apply or destroy run the status comes from; null when the deployment never ran' }),
}).meta({ id: 'SeedDeployment' });

export const seedListQuerySchema = z.object({ status: seedStatusSchema.optional() });

export const seedListSchema = z.object({ deployments: z.array(seedDeploymentSchema), count: z.number().int() }).meta({ id: 'SeedDeploymentList' });
