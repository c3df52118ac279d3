/** Starting runs: apply a config, or verify / destroy a deployment (its stored config or a new one). */
import { z } from 'zod';
import { deploymentConfigSchema } from '../../spec/config-schema';
import { deploymentIdSchema } from './common';
import { modeSchema } from './plan';

export const settingsOverrideSchema = z.record(z.string(), z.unknown())
  .meta({ description: "Overrides of the config's settings for this run (same fields as config.settings)" });

export const applyRequestSchema = z.object({
  config: deploymentConfigSchema,
  mode: modeSchema.optional(),
  settings: settingsOverrideSchema.optional(),
}).strict().meta({ id: 'ApplyRequest' });

export const lifecycleRequestSchema = z.object({
  deployment_id: deploymentIdSchema.optional().meta({ description: 'Use the config of the deployment’s last apply' }),
  config: deploymentConfigSchema.optional().meta({ description: 'Or this config' }),
  settings: settingsOverrideSchema.optional(),
}).strict().meta({ id: 'LifecycleRequest', description: 'Give deployment_id (the stored config of its last apply) or a config' });

export const startedRunSchema = z.object({
  deployment_id: z.string(),
  workflow_id: z.string(),
  run_id: z.string(),
  graph_id: z.string(),
  action: z.enum(['apply', 'verify', 'destroy']),
  mode: modeSchema,
  status_url: z.string().meta({ description: 'GET it for the run state' }),
  events_url: z.string().meta({ description: 'GET it for a live event stream' }),
  web_ui_url: z.string().meta({ description: 'The run in the Temporal Web UI' }),
}).meta({ id: 'StartedRun' });

export type StartedRunResponse = z.output<typeof startedRunSchema>;
