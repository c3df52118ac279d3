/**
 * POST /deploy/continue|retry|skip|rollback|abort|breakpoint: operator decisions, sent as workflow Updates.
 * A decision the run cannot take now is refused by the workflow's validator: 409 with its reason.
 * An Idempotency-Key becomes the update id, so a retried request is applied once.
 */
import type { ApiContext } from '../context';
import { defineOperation, type Operation } from '../openapi/operation';
import { idempotencyHeaders } from '../schemas/common';
import { decisionRequests, decisionResponseSchema } from '../schemas/decisions';
import { findRun, findRunOfGraph } from '../services/run-lookup';
import { decide, executionOf, type Decision } from '../services/run-state';

const SUMMARIES: Readonly<Record<Decision, string>> = {
  continue: 'Continue a paused run (one node or every paused node)',
  retry: 'Retry failed nodes of a halted run',
  skip: 'Skip failed nodes of a halted run (their dependents may then run)',
  rollback: 'Roll the run back: compensate completed nodes in reverse dependency order',
  abort: 'Abort the run: nothing new starts, in-flight nodes are cancelled, nothing is compensated',
  breakpoint: 'Set a breakpoint: a pending node pauses before it starts, until continued (the pause_before update)',
};

function decisionOperation(ctx: ApiContext, decision: Decision): Operation {
  return defineOperation({
    method: 'post',
    path: `/deploy/${decision}`,
    summary: SUMMARIES[decision],
    tag: 'decisions',
    access: 'operate',
    body: decisionRequests[decision],
    headers: idempotencyHeaders,
    responses: { 200: { description: 'The run took the decision', schema: decisionResponseSchema } },
    errors: [404, 409, 503],
    async handle({ body, headers, principal }) {
      const ref = body.deployment_id
        ? await findRun(ctx, principal, body.deployment_id, body.run_id)
        : await findRunOfGraph(ctx, principal, body.graph_id ?? '');
      // Seed 001 names the node to continue `from_node`.
      const named = 'from_node' in body && body.from_node !== undefined ? { node_id: body.from_node } : {};
      const result = await decide(ctx, ref, decision, { ...body, ...named }, headers['idempotency-key']);
      return {
        status: 200,
        body: {
          ...executionOf(ctx, ref),
          deployment_id: ref.deploymentId,
          ...result,
          node_ids: [...result.node_ids],
          ...(result.nodes ? { nodes: [...result.nodes] } : {}),
        },
      };
    },
  });
}

export const decisionOperations = (ctx: ApiContext): Operation[] =>
  (['continue', 'retry', 'skip', 'rollback', 'abort', 'breakpoint'] as const).map((decision) =>
    decisionOperation(ctx, decision),
  );
