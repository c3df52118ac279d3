/** Operator decisions on a run: continue a pause, retry / skip failed nodes, roll back, abort, set a breakpoint. */
import { z } from 'zod';
import { deploymentIdSchema, graphIdSchema, runIdSchema } from './common';
import { executionSchema } from './status';

const target = {
  deployment_id: deploymentIdSchema.optional().meta({ description: 'The deployment (give it or graph_id)' }),
  graph_id: graphIdSchema.optional().meta({ description: "Seed 001's form: the latest run of this graph" }),
  run_id: runIdSchema.optional().meta({ description: 'A specific run; the latest run when omitted' }),
};

/** A decision names its run by deployment id or graph id, one of them. */
function oneTarget(body: { deployment_id?: string | undefined; graph_id?: string | undefined }, ctx: z.RefinementCtx) {
  if ((body.deployment_id === undefined) === (body.graph_id === undefined))
    ctx.addIssue({ code: 'custom', path: ['deployment_id'], message: 'give deployment_id or graph_id (one of them)' });
}
const nodeIds = z
  .array(z.string().min(1).max(64))
  .min(1)
  .max(10_000)
  .optional()
  .meta({ description: 'Nodes the decision applies to; every failed node when omitted' });

export const decisionRequests = {
  continue: z
    .object({
      ...target,
      node_id: z
        .string()
        .min(1)
        .max(64)
        .optional()
        .meta({ description: 'One paused node or approval gate; every paused node when omitted' }),
      from_node: z.string().min(1).max(64).optional().meta({ description: "Seed 001's name for node_id" }),
    })
    .strict()
    .superRefine(oneTarget)
    .superRefine((body, ctx) => {
      if (body.node_id !== undefined && body.from_node !== undefined)
        ctx.addIssue({ code: 'custom', path: ['from_node'], message: 'give node_id or from_node, not both' });
    })
    .meta({ id: 'ContinueRequest' }),
  retry: z
    .object({ ...target, node_ids: nodeIds })
    .strict()
    .superRefine(oneTarget)
    .meta({ id: 'RetryRequest' }),
  skip: z
    .object({ ...target, node_ids: nodeIds })
    .strict()
    .superRefine(oneTarget)
    .meta({ id: 'SkipRequest' }),
  rollback: z
    .object({ ...target })
    .strict()
    .superRefine(oneTarget)
    .meta({ id: 'RollbackRequest' }),
  abort: z
    .object({ ...target, reason: z.string().max(1_000).optional() })
    .strict()
    .superRefine(oneTarget)
    .meta({ id: 'AbortRequest' }),
  breakpoint: z
    .object({
      ...target,
      node_id: z
        .string()
        .min(1)
        .max(64)
        .meta({ description: 'The pending node to pause before: its resource id, resource[region] or node id' }),
    })
    .strict()
    .superRefine(oneTarget)
    .meta({ id: 'BreakpointRequest' }),
} as const;

export const decisionResponseSchema = executionSchema
  .extend({
    deployment_id: z.string(),
    accepted: z.literal(true),
    action: z.string(),
    node_ids: z.array(z.string()).meta({ description: 'Nodes the decision affected' }),
    nodes: z
      .array(
        z.object({
          node_id: z.string(),
          resource_id: z.string(),
          region: z.string().nullable(),
          name: z.string().meta({ description: 'As operators name it: the resource id, or resource[region]' }),
        }),
      )
      .optional()
      .meta({ description: 'The same nodes as the config names them (absent when the run’s worker predates it)' }),
  })
  .meta({ id: 'DecisionResult' });
