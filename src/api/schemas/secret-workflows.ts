/**
 * POST /workflows/plan and /workflows/execute (seed 000): a list of secret operations on one
 * repository. The request becomes a deployment config of `github:secret:repo` resources
 * (services/secret-workflows.ts); the responses keep the seed's shapes.
 */
import { z } from 'zod';
import { errorNameSchema } from './status';
import { ownerSchema, repoNameSchema, secretNameSchema } from '../../resources/github/secret-properties';
import { SECRET_READS } from '../../resources/github/secret-reads';

const ACTIONS = ['create', 'delete', ...SECRET_READS] as const;

export const workflowOperationSchema = z
  .object({
    action: z.enum(ACTIONS, { error: 'must be create, delete, exists, get or list' }).meta({
      description:
        'create: create or update the secret; delete: delete it (no-op when absent); ' +
        'exists: data {exists}; get: data is its metadata (fails when absent); list: data {secrets: [...]}, every secret of the repository. ' +
        'Reads run in their place in the order and return names and dates, never values',
    }),
    secret_name: secretNameSchema
      .optional()
      .meta({ description: 'Letters, digits and _; GitHub stores it upper-cased. Every action but list needs it' }),
    secret_value: z.string().min(1).optional().meta({
      description: "create only: the value, sealed to the service's public key (GET /keys/public, npm run seal)",
    }),
  })
  .strict()
  .superRefine((op, ctx) => {
    const add = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (op.action === 'create' && op.secret_value === undefined) add('secret_value', 'is required for create');
    if (op.action !== 'create' && op.secret_value !== undefined) add('secret_value', `is not allowed for ${op.action}`);
    if (op.action === 'list' && op.secret_name !== undefined) add('secret_name', 'is not allowed for list');
    if (op.action !== 'list' && op.secret_name === undefined) add('secret_name', `is required for ${op.action}`);
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
          'false: every operation is attempted, independently of the others and possibly at once (a read may run before an operation listed earlier)',
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
    secret_name: z.string().nullable().meta({ description: 'null for list' }),
    will_create: z.boolean(),
    will_update: z.boolean(),
    will_delete: z.boolean(),
    is_noop: z.boolean(),
    current_exists: z
      .boolean()
      .nullable()
      .meta({ description: 'null for list, and when the current state could not be read (see error)' }),
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
    secret_name: z.string().nullable().meta({ description: 'null for list' }),
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
    error_name: errorNameSchema,
    data: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({
        description:
          'What the operation reported: create {secret_name, location, created, updated_at}, delete {…, deleted}, ' +
          'exists {exists}, get {name, created_at, updated_at}, list {secrets: [{name, created_at, updated_at}]}; never a value',
      }),
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
