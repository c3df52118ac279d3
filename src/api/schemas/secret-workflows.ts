/**
 * POST /workflows/plan and /workflows/execute (seed 000): a list of secret operations on one
 * repository. The request becomes a deployment config of `github:secret:repo` resources
 * (services/secret-workflows.ts); the responses keep the seed's shapes.
 */
import { z } from 'zod';
import { ownerSchema, repoNameSchema, secretNameSchema } from '../../resources/github/secret-properties';

const ACTIONS = ['create', 'delete'] as const;

export const workflowOperationSchema = z
  .object({
    action: z
      .enum(ACTIONS, {
        error:
          'must be create or delete (exists, get and list are not operations: POST /workflows/plan reports current_exists for every secret)',
      })
      .meta({ description: 'create: create or update the secret; delete: delete it (no-op when absent)' }),
    secret_name: secretNameSchema.meta({ description: 'Letters, digits and _; GitHub stores it upper-cased' }),
    secret_value: z.string().min(1).optional().meta({
      description: "create only: the value, sealed to the service's public key (GET /keys/public, npm run seal)",
    }),
  })
  .strict()
  .superRefine((op, ctx) => {
    if (op.action === 'create' && op.secret_value === undefined)
      ctx.addIssue({ code: 'custom', path: ['secret_value'], message: 'is required for create' });
    if (op.action === 'delete' && op.secret_value !== undefined)
      ctx.addIssue({ code: 'custom', path: ['secret_value'], message: 'is not allowed for delete' });
  });

export const workflowRequestSchema = z
  .object({
    credentials: z
      .object({
        encrypted_pat: z.string().min(1).meta({ description: "A GitHub PAT sealed to the service's public key" }),
      })
      .strict(),
    workflow: z
      .object({
        target: z.object({ owner: ownerSchema, repo: repoNameSchema }).strict(),
        operations: z.array(workflowOperationSchema).min(1, 'a workflow needs at least one operation').max(200),
      })
      .strict(),
    stop_on_error: z
      .boolean()
      .default(true)
      .meta({
        description:
          'true (default): operations run one after another and the first failure stops the rest (they stay not run); ' +
          'false: every operation is attempted, independently of the others',
      }),
    wait_seconds: z.number().int().min(0).max(120).default(60).meta({
      description: 'execute only: how long to wait for the run to finish before answering 202 with its status URL',
    }),
  })
  .strict()
  .meta({ id: 'WorkflowRequest' });

export type WorkflowRequest = z.output<typeof workflowRequestSchema>;

const errorSchema = z.object({ type: z.string(), message: z.string() });

export const plannedOperationSchema = z
  .object({
    index: z.number().int(),
    action: z.enum(ACTIONS),
    secret_name: z.string(),
    will_create: z.boolean(),
    will_update: z.boolean(),
    will_delete: z.boolean(),
    is_noop: z.boolean(),
    current_exists: z
      .boolean()
      .nullable()
      .meta({ description: 'null when the current state could not be read (see error)' }),
    warnings: z.array(z.string()),
    error: errorSchema
      .nullable()
      .meta({ description: 'Why the current state could not be read (error_type and message), or null' }),
  })
  .meta({ id: 'WorkflowPlannedOperation' });

export const workflowPlanResponseSchema = z
  .object({
    success: z.literal(true),
    valid: z.boolean().meta({ description: 'false when some operation cannot be carried out (its error says why)' }),
    deployment_id: z
      .string()
      .meta({ description: 'The deployment the workflow runs as (one run per repository at a time)' }),
    target_owner: z.string(),
    target_repo: z.string(),
    total_operations: z.number().int(),
    operations_by_action: z.record(z.string(), z.number().int()),
    planned_operations: z.array(plannedOperationSchema),
    warnings: z.array(z.string()),
    duration: z.number().meta({ description: 'Seconds' }),
  })
  .meta({ id: 'WorkflowPlan' });

export const operationResultSchema = z
  .object({
    index: z.number().int(),
    action: z.enum(ACTIONS),
    secret_name: z.string(),
    success: z.boolean(),
    status: z.string().meta({
      description:
        "The node's status in the run: completed, failed, blocked (not run: an earlier operation failed), pending, running…",
    }),
    error: z.string().nullable(),
    error_type: z
      .string()
      .nullable()
      .meta({ description: 'auth, permission, not_found, invalid_input, rate_limited, unavailable, …' }),
    data: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: 'What the operation reported: created, deleted, updated_at…' }),
  })
  .meta({ id: 'WorkflowOperationResult' });

export const workflowExecuteResponseSchema = z
  .object({
    success: z.boolean().meta({ description: 'Every operation succeeded' }),
    finished: z
      .boolean()
      .meta({ description: 'false: the run had not finished within wait_seconds (status 202); follow status_url' }),
    target_owner: z.string(),
    target_repo: z.string(),
    total_operations: z.number().int(),
    operations_succeeded: z.number().int(),
    operations_failed: z.number().int(),
    operations_not_run: z
      .number()
      .int()
      .meta({ description: 'Not run (yet): after a failure with stop_on_error, or still pending' }),
    results: z.array(operationResultSchema),
    duration: z.number().meta({ description: 'Seconds' }),
    stop_on_error: z.boolean(),
    deployment_id: z.string(),
    workflow_id: z.string(),
    run_id: z.string(),
    run_status: z.string().meta({ description: "The run's status: completed, failed, running…" }),
    status_url: z.string(),
  })
  .meta({ id: 'WorkflowExecution' });

export type WorkflowPlanResponse = z.output<typeof workflowPlanResponseSchema>;
export type WorkflowExecuteResponse = z.output<typeof workflowExecuteResponseSchema>;
