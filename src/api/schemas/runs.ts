/** Starting runs: apply a config, or verify / destroy a deployment (its stored config or a new one). */
import { z } from 'zod';
import { deploymentIdSchema } from './common';
import { componentRef, settingsOverrideSchema } from './components';
import { modeSchema } from './plan';

/** What POST /deploy/apply parses besides the config (the config is checked by the spec validator). */
export const applyEnvelope = z.object({ mode: modeSchema.optional(), settings: settingsOverrideSchema.optional() }).strict();

export const applyRequestSchema = z.object({
  config: componentRef('DeploymentConfig'),
  mode: modeSchema.optional(),
  settings: componentRef('SettingsOverride').optional(),
}).meta({ id: 'ApplyRequest' });

export const lifecycleEnvelope = z.object({
  deployment_id: deploymentIdSchema.optional().meta({ description: 'Use the stored config of the deployment’s last apply' }),
}).strict();

export const lifecycleRequestSchema = lifecycleEnvelope.extend({
  config: componentRef('DeploymentConfig').optional().meta({ description: 'Or this config' }),
}).meta({ id: 'LifecycleRequest', description: 'Give deployment_id (the stored config of its last apply) or a config' });

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
