/** Starting runs: apply a config, or verify / destroy a deployment (its stored config or a new one). */
import { z } from 'zod';
import { AWS_REGION, credentialsSchema } from '../../model/config-schema';
import type { RunPhase } from '../../model/run-types';
import type { RunOutcome } from '../../model/run-outcome';
import { deploymentIdSchema, graphIdSchema, idempotencyHeaders } from './common';
import { componentRef, settingsOverrideSchema } from './components';
import { modeSchema } from './plan';
import { operationStatusSchema, runPhaseSchema } from './status';

/** The longest an apply waits for its run to settle (seconds): `wait`, or `Prefer: wait=N`. */
export const MAX_WAIT_SECONDS = 300;

export const waitSchema = z
  .number()
  .int()
  .min(0)
  .max(MAX_WAIT_SECONDS)
  .meta({
    description:
      'Seconds to wait for the run to complete, fail or pause before answering (seed 001: apply is synchronous); ' +
      'also `Prefer: wait=N`. 200 with the final state when it settled in time, else 202 with the state as of then',
  });

/** What POST /deploy/apply parses besides the config (the config is checked by the spec validator). */
const plannedGraphSchema = graphIdSchema.meta({
  description:
    'Seed 001: apply the plan saved under this graph id (POST /deploy/plan with validate_only false); with a config, it must build exactly that graph (else 409 naming the differences)',
});

export const applyEnvelope = z
  .object({
    mode: modeSchema.optional(),
    settings: settingsOverrideSchema.optional(),
    wait: waitSchema.optional(),
    graph_id: plannedGraphSchema.optional(),
  })
  .strict();

export const applyRequestSchema = z
  .object({
    config: componentRef('DeploymentConfig').optional().meta({ description: 'Required unless graph_id is given' }),
    mode: modeSchema.optional(),
    settings: componentRef('SettingsOverride').optional(),
    wait: waitSchema.optional(),
    graph_id: plannedGraphSchema.optional(),
  })
  .meta({ id: 'ApplyRequest' });

/** The apply's headers: Idempotency-Key, and RFC 7240's `Prefer: wait=N` (other preferences are ignored). */
export const startHeaders = idempotencyHeaders.extend({
  prefer: z
    .string()
    .optional()
    .meta({ description: '`wait=N`: like the body field `wait` (the body wins); answered with Preference-Applied' }),
});

export const lifecycleEnvelope = z
  .object({
    deployment_id: deploymentIdSchema
      .optional()
      .meta({ description: 'Use the stored config of the deployment’s last apply' }),
    graph_id: graphIdSchema.optional().meta({
      description:
        "Seed 001's form: the deployment whose latest run has this graph; it must be the last apply's graph (else 409)",
    }),
    credentials: credentialsSchema.optional().meta({
      description:
        'Sealed credentials for this run only, instead of those stored with the last apply (with deployment_id or graph_id; with scan: to scan and delete with)',
    }),
    wait: waitSchema.optional(),
  })
  .strict();

export const lifecycleRequestSchema = lifecycleEnvelope
  .extend({
    config: componentRef('DeploymentConfig').optional().meta({ description: 'Or this config' }),
  })
  .meta({
    id: 'LifecycleRequest',
    description: 'Give deployment_id or graph_id (the stored config of its last apply), or a config',
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
export const destroyEnvelope = lifecycleEnvelope.extend({ scan: tagScanSchema.optional() }).strict();

export const destroyRequestSchema = destroyEnvelope
  .extend({
    config: componentRef('DeploymentConfig').optional().meta({ description: 'Or this config' }),
  })
  .meta({
    id: 'DestroyRequest',
    description:
      'Give deployment_id or graph_id (the stored config of its last apply), a config, or deployment_id with scan (the resources tagged with it)',
  });

/** Seed 001's apply answer (§13.2), from the run's state. */
export const runOutcomeSchema = z.object({
  success: z
    .boolean()
    .meta({ description: 'False once the run failed, rolled back, was aborted, or waits for a decision' }),
  cache_id: z.string().meta({ description: "Seed 001's name for the run id" }),
  status: runPhaseSchema,
  operations_completed: z.number().int(),
  operations_failed: z.number().int(),
  operations_pending: z.number().int().meta({ description: 'Pending, running, paused or blocked' }),
  failed_operation: operationStatusSchema.nullable(),
  outputs: z.record(z.string(), z.record(z.string(), z.unknown())).meta({ description: '{node_id: outputs}' }),
  next_operation: operationStatusSchema
    .nullable()
    .meta({ description: 'The operation a paused or STEP run waits to continue' }),
}) satisfies z.ZodType<RunOutcome & { cache_id: string; status: RunPhase }>;

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
  .extend(runOutcomeSchema.shape)
  .meta({
    id: 'StartedRun',
    description: 'The run, and its outcome as of the answer (all pending when not waited for)',
  });

export type StartedRunResponse = z.output<typeof startedRunSchema>;

/** The 202 of every route that starts a run. */
export const startedResponses = {
  202: {
    description: 'The run started (or, for a repeated Idempotency-Key, the run it started before)',
    schema: startedRunSchema,
  },
};

/** A route that starts a run and can wait for it (`wait`, `Prefer: wait=N`): 200 when it settled in time. */
export const waitedResponses = {
  200: { description: 'Waited (`wait`): the run completed, failed or paused in time', schema: startedRunSchema },
  ...startedResponses,
};
