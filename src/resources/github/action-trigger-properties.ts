/**
 * The properties of `github:action:trigger` (action-trigger.ts): which workflow to dispatch (owner, repo, the workflow
 * file name or id, the ref) with which inputs (at most 25, as GitHub accepts; strings, numbers or booleans, sent as the
 * strings GitHub requires: `true` as "true", `3` as "3", seed 003), the optional `correlation_input` that
 * finds the dispatched run on servers without run details and lets a retried apply adopt its run, whether and how long
 * to wait for the run (poll interval, completion and find timeouts, whether it must succeed), and whether a rollback
 * cancels a run still in progress.
 */
import { z } from 'zod';
import { ownerSchema, repoNameSchema } from './secret-properties';

export const actionTriggerProperties = z
  .object({
    owner: ownerSchema,
    repo: repoNameSchema,
    /** Workflow file name (`deploy.yml`) or numeric id. */
    workflow: z.union([
      z.string().regex(/^[\w.-]+\.ya?ml$/, 'must be a workflow file name such as deploy.yml'),
      z.number().int().positive(),
    ]),
    ref: z.string().min(1).max(255).default('main'),
    inputs: z
      .record(
        z.string(),
        z.union([z.string(), z.number(), z.boolean()]).transform((value) => String(value)),
      )
      .default({})
      .refine((inputs) => Object.keys(inputs).length <= 25, 'GitHub accepts at most 25 inputs'),
    /** A workflow input the trigger sets to a unique id, shown in the workflow's run-name: finds the run on servers without run details, and makes a retried apply adopt its run. */
    correlation_input: z
      .string()
      .regex(/^[A-Za-z_][\w-]*$/)
      .optional(),
    wait_for_completion: z.boolean().default(false),
    /** A run that concludes other than success fails the node (only when waiting). */
    require_success: z.boolean().default(true),
    poll_interval_ms: z.number().int().min(10).max(300_000).default(5_000),
    timeout_ms: z
      .number()
      .int()
      .positive()
      .max(6 * 3_600_000)
      .default(3_600_000),
    /** How long to look for the run after a dispatch without run details. */
    find_timeout_ms: z.number().int().positive().max(600_000).default(60_000),
    cancel_on_rollback: z.boolean().default(false),
  })
  .strict();

export type ActionTriggerProperties = z.output<typeof actionTriggerProperties>;
