/** Starting runs: apply a config, or verify / destroy a deployment (its stored config or a new one). */
import { z } from 'zod';
import { deploymentConfigSchema, settingsSchema } from '../../spec/config-schema';
import { deploymentIdSchema } from './common';
import { modeSchema } from './plan';

type SettingsShape = typeof settingsSchema.shape;
/** The config's settings without their defaults: only what the request names overrides the config. */
const overrideFields = Object.fromEntries(Object.entries(settingsSchema.shape).map(([key, field]) => [key, field.unwrap().optional()])) as
  { [K in keyof SettingsShape]: z.ZodOptional<ReturnType<SettingsShape[K]['unwrap']>> };

export const settingsOverrideSchema = z.object(overrideFields).strict()
  .meta({ id: 'SettingsOverride', description: "Overrides of the config's settings for this run (fields of config.settings)" });

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
