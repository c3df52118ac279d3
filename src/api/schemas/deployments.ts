/** Seed 002's deploy / undeploy / redeploy / status / list payloads (deployment ids instead of workflow ids). */
import { z } from 'zod';
import { DEPLOYMENT_STATES } from '../../model/deployment-state';
import { deploymentIdSchema } from './common';
import { componentRef } from './components';
import { runSummarySchema } from './listing';
import { scheduleSchema } from './schedules';

export const deployEnvelope = z.object({}).strict();

export const deployRequestSchema = z.object({ config: componentRef('DeploymentConfig') }).meta({ id: 'DeployRequest' });

export const undeployRequestSchema = z
  .object({ deployment_id: deploymentIdSchema })
  .strict()
  .meta({ id: 'UndeployRequest' });

export const redeployRequestSchema = z
  .object({
    deployment_id: deploymentIdSchema,
    version: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .meta({ description: 'Redeploy under this version (default: the version of the last apply)' }),
  })
  .strict()
  .meta({ id: 'RedeployRequest' });

export const deploymentStateSchema = z
  .enum(DEPLOYMENT_STATES)
  .meta({ id: 'DeploymentState', description: 'Derived from the latest apply or destroy run' });

const tombstoneSchema = z
  .object({
    destroyed_at: z.string().meta({ format: 'date-time' }),
    run_id: z.string(),
    version: z.string(),
    graph_id: z.string(),
    node_ids: z.array(z.string()),
  })
  .meta({ id: 'DeploymentTombstone' });

export const deploymentSchema = z
  .object({
    deployment_id: z.string(),
    deployment_status: deploymentStateSchema,
    is_deployed: z.boolean(),
    version: z.string().nullable(),
    last_run: z
      .union([runSummarySchema, z.null()])
      .meta({ description: 'The apply or destroy run the status comes from; null when the deployment never ran' }),
    runs_total: z
      .number()
      .int()
      .meta({ description: 'How many runs the deployment has had (GET /deploy/history lists them)' }),
    tombstone: z
      .union([tombstoneSchema, z.null()])
      .meta({ description: 'What a completed destroy removed, and when; null unless destroyed' }),
    schedules: z
      .array(scheduleSchema)
      .optional()
      .meta({ description: 'The schedules that act on it (GET /deployments/{deployment_id} only)' }),
  })
  .meta({ id: 'Deployment' });

export const deploymentsQuerySchema = z.object({ status: deploymentStateSchema.optional() });

export const deploymentsSchema = z
  .object({ deployments: z.array(deploymentSchema), count: z.number().int() })
  .meta({ id: 'Deployments' });
