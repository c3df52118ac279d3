/**
 * Response shapes of a run's state (seed 001 §6.2): the workflow's `status` query plus the
 * execution's ids. Typed against run-types.ts so the documented shape follows the contract.
 */
import { z } from 'zod';
import { ERROR_NAMES } from '../../model/error-names';
import type { OperationStatus } from '../../model/run-outcome';
import {
  NODE_STATUSES,
  RUN_PHASES,
  type LogEntry,
  type NodeState,
  type RunGraph,
  type RunStatus,
} from '../../model/run-types';
import { driftItemSchema, runIdSchema } from './common';

/** Seed 003's name of a node's error_type: a union, not .nullable(), so the OpenAPI enum lists null too. */
export const errorNameSchema = z
  .union([z.enum(ERROR_NAMES), z.null()])
  .meta({ description: "Seed 003's name for error_type (forbidden, validation, api_error, …)" });

const nodeStatusSchema = z.enum(NODE_STATUSES);
export const runPhaseSchema = z.enum(RUN_PHASES);
const isoTime = z.string().meta({ format: 'date-time' });

const nodeStateSchema = z
  .object({
    node_id: z.string(),
    resource_id: z.string(),
    type: z.string(),
    region: z.string().nullable(),
    status: nodeStatusSchema,
    started_at: isoTime.nullable(),
    completed_at: isoTime.nullable(),
    duration_seconds: z.number().nullable(),
    attempts: z.number().int(),
    outputs: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
    error_type: z.string().nullable(),
    error_name: errorNameSchema,
    error_rate_limit: z
      .object({
        remaining: z.number().int(),
        reset_at: z.number().int().nullable().meta({ description: 'Unix seconds; null when the provider did not say' }),
      })
      .nullable()
      .meta({ description: 'Only when error_name is rate_limited: the calls left (0) and when the limit resets' }),
    action: z.string().nullable(),
    drift: z.array(driftItemSchema).nullable(),
    compensation: z.string().nullable(),
    waiting_on: z.string().nullable().meta({
      description: 'While the node waits between looks at an effect under way (checks, a release): what for; else null',
    }),
    aws_account: z.string().optional().meta({
      description:
        "The AWS account an AWS node's apply acted in, as STS named it; absent for other types and before the apply",
    }),
  })
  .meta({ id: 'NodeState' }) satisfies z.ZodType<NodeState>;

const runStatusFields = z.object({
  deployment_id: z.string(),
  graph_id: z.string(),
  version: z.string(),
  action: z.enum(['apply', 'verify', 'destroy']),
  mode: z.enum(['FULL', 'STEP', 'DRY_RUN']),
  status: runPhaseSchema,
  started_at: isoTime,
  completed_at: isoTime.nullable(),
  counts: z.record(nodeStatusSchema, z.number().int()),
  waiting_for: z
    .object({
      kind: z.enum(['continue', 'decision']),
      node_ids: z.array(z.string()),
      deadline: isoTime
        .nullable()
        .meta({ description: "When the wait times out: a decision's timeout, or the earliest approval gate's" }),
      waits: z
        .array(
          z.object({
            node_id: z.string(),
            resource_id: z.string(),
            region: z.string().nullable(),
            reason: z.enum(['approval', 'pause_edge', 'breakpoint', 'step']),
            deadline: isoTime.nullable().meta({ description: "An approval gate's timeout; null when it has none" }),
          }),
        )
        .optional()
        .meta({
          description: 'kind continue: each paused node, why it waits (continue it by resource id) and until when',
        }),
    })
    .nullable(),
  last_rejected: z.object({ control: z.string(), reason: z.string(), at: isoTime }).nullable().optional().meta({
    description:
      'The last control signal the run refused and why (a signal has no caller to answer: Web UI, temporal CLI); also in the Web UI’s current details',
  }),
  nodes: z.array(nodeStateSchema),
}) satisfies z.ZodType<RunStatus>;

export const executionSchema = z.object({
  workflow_id: z.string(),
  run_id: z.string(),
  execution_status: z.string().meta({ description: 'Temporal execution status: RUNNING, COMPLETED, TERMINATED, …' }),
  web_ui_url: z.string(),
});

export const operationStatusSchema = z
  .object({
    node_id: z.string(),
    resource_id: z.string(),
    type: z.string(),
    region: z.string().nullable(),
    status: z.enum(NODE_STATUSES),
    error: z.string().nullable(),
    error_type: z.string().nullable(),
    error_name: errorNameSchema,
  })
  .meta({ id: 'OperationStatus' }) satisfies z.ZodType<OperationStatus>;

/** Seed 001's status fields (§13.2), beside the run's own. */
const seedStatusFields = z.object({
  created_at: isoTime.meta({ description: "Seed 001's name for started_at" }),
  operations: z.array(operationStatusSchema).meta({ description: 'Every node as an operation, in graph order' }),
  spec_graph_ref: z
    .object({ graph_id: z.string(), deployment_id: z.string(), version: z.string() })
    .meta({ description: 'The spec graph the run executes' }),
  aws_accounts: z.array(z.string()).meta({
    description:
      "The AWS accounts the run's nodes acted in (one, unless nodes' credentials differ), whether or not the config named credentials.aws.account_id",
  }),
});

export const statusResponseSchema = runStatusFields
  .extend(executionSchema.shape)
  .extend(seedStatusFields.shape)
  .meta({ id: 'RunStatus' });

const logEntrySchema = z.object({
  at: isoTime,
  level: z.enum(['info', 'warn', 'error']),
  node_id: z.string().nullable(),
  resource: z
    .string()
    .nullable()
    .optional()
    .meta({ description: 'The node as the config names it (resource id, resource[region]); null for run entries' }),
  message: z.string(),
}) satisfies z.ZodType<LogEntry>;

export const logsQuerySchema = z.object({
  since: z.coerce.number().int().min(0).default(0).meta({ description: 'Index of the first entry to return' }),
});

export const logsResponseSchema = executionSchema
  .extend({
    entries: z.array(logEntrySchema),
    next_since: z.number().int().meta({ description: 'Pass as `since` to get only newer entries' }),
  })
  .meta({ id: 'RunLogs' });

export const runGraphResponseSchema = executionSchema
  .extend({
    graph_id: z.string(),
    edges: z
      .array(
        z.object({
          from: z.string().meta({ description: 'The node that comes first (node id)' }),
          to: z.string().meta({ description: 'The node that waits for it' }),
          kind: z.enum(['dependency', 'pause', 'end']).meta({
            description:
              "dependency: `to` starts after `from`; pause: and only after a continue; end: `to` is the run's end",
          }),
        }),
      )
      .meta({ description: "The run's edges, as depends_on in the config made them" }),
    points_of_no_return: z.array(z.string()).meta({
      description: 'Node ids marked point_of_no_return: once they complete, the run cannot be rolled back past them',
    }),
  } satisfies Record<keyof RunGraph, z.ZodType>)
  .meta({ id: 'RunGraph' });

export const statusQuerySchema = z.object({
  run_id: runIdSchema.optional().meta({ description: 'A specific run of the deployment' }),
});
