/** POST /deploy/plan: what a config would do, without starting anything. */
import { z } from 'zod';
import type { Plan } from '../../model/plan-answer';
import { driftItemSchema } from './common';
import { componentRef } from './components';

export const modeSchema = z
  .enum(['FULL', 'STEP', 'DRY_RUN'])
  .meta({ description: 'FULL runs through; STEP waits for a continue before each node; DRY_RUN plans only' });

export const planEnvelope = z
  .object({
    mode: modeSchema.optional(),
    validate_only: z.boolean().default(true).meta({
      description:
        'Seed 001: false saves the plan under its graph id (spec_graph_id) for 7 days, so POST /deploy/apply {graph_id} runs exactly it',
    }),
    live: z
      .boolean()
      .optional()
      .meta({
        description:
          "Read each node's current state with its resource type's own plan (create/update/no-op/delete, diff, warnings), " +
          "using the config's sealed credentials; nothing is started or changed. Default: true when the config has `credentials`, " +
          "else false. A node whose state cannot be read keeps the config's action and carries `live_error`; the plan is still 200.",
      }),
  })
  .strict();

export const planRequestSchema = planEnvelope
  .extend({ config: componentRef('DeploymentConfig') })
  .meta({ id: 'PlanRequest' });

const configChangeSchema = z
  .object({
    path: z.string().meta({ description: 'e.g. properties.duration_ms, references.role, tags.team, depends_on' }),
    before: z.unknown().meta({ description: 'In the last apply (absent: it had none)' }),
    after: z.unknown().meta({ description: 'In this config (absent: it has none)' }),
  })
  .meta({ id: 'ConfigChange' });

const planNodeSchema = z
  .object({
    node_id: z.string(),
    resource_id: z.string(),
    type: z.string(),
    region: z.string().nullable(),
    action: z.enum(['create', 'update', 'no-op', 'delete']).meta({
      description:
        'From the node\'s current state when `live` is true; else, when the deployment was applied before (`compared_with`), from comparing the config with that apply: create (new node), no-op (equal), update (see `changes`), delete (operation "delete"); else from the config\'s operation (create unless it says update or delete)',
    }),
    live: z.boolean().meta({
      description:
        'Whether action, diff and warnings come from reading the current state (false for gates, non-live plans and unreadable nodes)',
    }),
    diff: z.array(driftItemSchema).meta({ description: 'What would change, property by property (live plans only)' }),
    changes: z.array(configChangeSchema).meta({
      description:
        'How this node differs from the last apply (`compared_with`): properties, references, tags, type, operation, point_of_no_return and depends_on; empty when it is equal, new, or nothing was applied',
    }),
    warnings: z
      .array(z.string())
      .meta({ description: "The resource type's own warnings for this node (live plans only)" }),
    live_error: z
      .object({
        type: z.string().meta({
          description: 'error_type: auth, permission, not_found, invalid_input, rate_limited, unavailable, …',
        }),
        message: z.string(),
      })
      .nullable()
      .meta({ description: "Why the current state could not be read (the action is then the config's), or null" }),
    group: z.number().int().meta({ description: 'Index of its parallel group' }),
    depends_on: z.array(z.object({ node_id: z.string(), kind: z.enum(['dependency', 'pause', 'end']) })),
    pauses_before: z.boolean().meta({ description: 'A pause edge or approval gate holds it until a continue' }),
    irreversible: z.string().nullable().meta({ description: 'Why its effect cannot be undone, if so' }),
  })
  .meta({ id: 'PlanNode' });

export const planResponseSchema = z
  .object({
    success: z.literal(true),
    deployment_id: z.string(),
    version: z.string(),
    graph_id: z.string().meta({ description: 'Content hash of the normalized spec: same config, same id' }),
    mode: modeSchema,
    live: z.boolean().meta({ description: 'Whether current state was read (see the request field `live`)' }),
    nodes: z.array(planNodeSchema).meta({ description: 'In topological order' }),
    parallel_groups: z
      .array(z.array(z.string()))
      .meta({ description: 'Node ids by level: a group depends only on earlier groups' }),
    irreversible: z.array(z.object({ node_id: z.string(), resource_id: z.string(), reason: z.string() })),
    warnings: z.array(z.string()),
    concurrency: z
      .object({
        max_parallel: z.number().int(),
        limits: z.array(z.object({ key: z.string(), limit: z.number().int(), nodes: z.number().int() })).meta({
          description: "settings.limits, each with how many of the graph's nodes it bounds",
        }),
      })
      .meta({
        description: 'What bounds the nodes in flight at once: the whole run, and each provider or type limited',
      }),
    counts: z.record(z.string(), z.number().int()).meta({ description: 'Nodes per action' }),
    spec_graph_id: z.string().meta({ description: "Seed 001's name for graph_id" }),
    saved_plan: z
      .object({ graph_id: z.string(), expires_at: z.string().meta({ format: 'date-time' }) })
      .nullable()
      .meta({ description: 'With validate_only false: the saved plan POST /deploy/apply {graph_id} runs' }),
    operations: z
      .array(
        z.object({
          node: z.string(),
          resource: z.string(),
          type: z.string(),
          action: z.string(),
          region: z.string().nullable(),
          group: z.number().int(),
        }),
      )
      .meta({ description: "Seed 001's operation summaries: one per node, in order" }),
    compared_with: z
      .object({
        run_id: z.string(),
        version: z.string(),
        applied_at: z.string().nullable().meta({
          format: 'date-time',
          description: 'When that run ended (its start while under way); null when the record no longer lists it',
        }),
      })
      .nullable()
      .meta({
        description:
          "The deployment's last apply the nodes' actions and `changes` are compared with; null when it was never applied, was destroyed since, or its record could not be read in time",
      }),
    removed: z
      .array(
        z.object({ node_id: z.string(), resource_id: z.string(), type: z.string(), region: z.string().nullable() }),
      )
      .meta({
        description:
          'Nodes of the last apply that this config no longer has. An apply does not destroy them: it leaves them in place and stops tracking them (a warning says so); to delete one, keep it with operation "delete" or destroy first',
      }),
    estimated_time: z.number().meta({
      description:
        "Seconds of the critical path of per-node estimates (the mean duration of the type's nodes in this deployment's past applies, else the type's typical duration), waits for people excluded",
    }),
    validation_errors: z
      .array(z.string())
      .meta({ description: 'Always empty here: an invalid config is a 400 that lists them' }),
  })
  .meta({ id: 'Plan' });

/** The clients read the answer as src/model/plan-answer.ts says: a compile error here says where it stopped holding. */
type ReadByClients<T extends Plan> = T;
export type PlanResponse = ReadByClients<z.output<typeof planResponseSchema>>;
