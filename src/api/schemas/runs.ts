/** Starting runs: apply a config, or verify / destroy a deployment (its stored config or a new one). */
import { z } from 'zod';
import { AWS_REGION, credentialsSchema } from '../../model/config-schema';
import { deploymentIdSchema } from './common';
import { componentRef, settingsOverrideSchema } from './components';
import { modeSchema } from './plan';

/** What POST /deploy/apply parses besides the config (the config is checked by the spec validator). */
export const applyEnvelope = z
  .object({ mode: modeSchema.optional(), settings: settingsOverrideSchema.optional() })
  .strict();

export const applyRequestSchema = z
  .object({
    config: componentRef('DeploymentConfig'),
    mode: modeSchema.optional(),
    settings: componentRef('SettingsOverride').optional(),
  })
  .meta({ id: 'ApplyRequest' });

export const lifecycleEnvelope = z
  .object({
    deployment_id: deploymentIdSchema
      .optional()
      .meta({ description: 'Use the stored config of the deployment’s last apply' }),
  })
  .strict();

export const lifecycleRequestSchema = lifecycleEnvelope
  .extend({
    config: componentRef('DeploymentConfig').optional().meta({ description: 'Or this config' }),
  })
  .meta({
    id: 'LifecycleRequest',
    description: 'Give deployment_id (the stored config of its last apply) or a config',
  });

export const tagScanSchema = z
  .object({
    regions: z
      .array(z.string().regex(AWS_REGION, 'must be an AWS region such as us-east-1'))
      .min(1)
      .max(32)
      .meta({ description: 'Regions to scan for regional resources; IAM (global) is always scanned' }),
  })
  .strict()
  .meta({
    id: 'TagScan',
    description:
      'Destroy what carries the tag mgraph:deploy-id = deployment_id, found by a scan, instead of the last apply’s config',
  });

/** POST /deploy/destroy also takes a tag scan (no run history needed) and the credentials to scan and delete with. */
export const destroyEnvelope = lifecycleEnvelope
  .extend({
    scan: tagScanSchema.optional(),
    credentials: credentialsSchema.optional().meta({
      description:
        'With scan: sealed credentials to scan and delete with (default: the service’s own AWS credential chain)',
    }),
  })
  .strict();

export const destroyRequestSchema = destroyEnvelope
  .extend({
    config: componentRef('DeploymentConfig').optional().meta({ description: 'Or this config' }),
  })
  .meta({
    id: 'DestroyRequest',
    description:
      'Give deployment_id (the stored config of its last apply), a config, or deployment_id with scan (the resources tagged with it)',
  });

export const startedRunSchema = z
  .object({
    deployment_id: z.string(),
    workflow_id: z.string(),
    run_id: z.string(),
    graph_id: z.string(),
    action: z.enum(['apply', 'verify', 'destroy']),
    mode: modeSchema,
    status_url: z.string().meta({ description: 'GET it for the run state' }),
    events_url: z.string().meta({ description: 'GET it for a live event stream' }),
    web_ui_url: z.string().meta({ description: 'The run in the Temporal Web UI' }),
  })
  .meta({ id: 'StartedRun' });

export type StartedRunResponse = z.output<typeof startedRunSchema>;

/** The 202 of every route that starts a run. */
export const startedResponses = {
  202: {
    description: 'The run started (or, for a repeated Idempotency-Key, the run it started before)',
    schema: startedRunSchema,
  },
};
