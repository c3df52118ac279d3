/** A run's state, graph and logs, by deployment id (latest run) or run id; finished runs included. */
import { seedStatusFields } from '../../model/run-outcome';
import type { ApiContext } from '../context';
import { defineOperation, type Operation } from '../openapi/operation';
import { runAddressParams } from '../schemas/common';
import {
  logsQuerySchema,
  logsResponseSchema,
  runGraphResponseSchema,
  statusQuerySchema,
  statusResponseSchema,
} from '../schemas/status';
import { findRun } from '../services/run-lookup';
import { executionOf, readGraph, readLogs, readStatus } from '../services/run-state';

export function statusOperations(ctx: ApiContext): Operation[] {
  return [
    defineOperation({
      method: 'get',
      path: '/deploy/status/{id}',
      summary: 'Execution state of a run: every node with its status, times, attempts, outputs and errors',
      tag: 'runs',
      access: 'read',
      params: runAddressParams,
      query: statusQuerySchema,
      responses: { 200: { description: 'The run: its phase and one record per node', schema: statusResponseSchema } },
      errors: [404, 503],
      async handle({ params, query, principal }) {
        const ref = await findRun(ctx, principal, params.id, query.run_id);
        const run = await readStatus(ctx, ref);
        return { status: 200, body: { ...run, ...executionOf(ctx, ref), ...seedStatusFields(run) } };
      },
    }),
    defineOperation({
      method: 'get',
      path: '/deploy/graph/{id}',
      summary: "A run's graph: its edges (dependency, pause, end) and points of no return, for drawing it",
      tag: 'runs',
      access: 'read',
      params: runAddressParams,
      query: statusQuerySchema,
      responses: { 200: { description: "The run's edges", schema: runGraphResponseSchema } },
      errors: [404, 503],
      async handle({ params, query, principal }) {
        const ref = await findRun(ctx, principal, params.id, query.run_id);
        const graph = await readGraph(ctx, ref);
        return { status: 200, body: { ...executionOf(ctx, ref), ...graph, edges: [...graph.edges] } };
      },
    }),
    defineOperation({
      method: 'get',
      path: '/deploy/logs/{id}',
      summary: "A run's log entries (from index `since`)",
      tag: 'runs',
      access: 'read',
      params: runAddressParams,
      query: logsQuerySchema.extend(statusQuerySchema.shape),
      responses: { 200: { description: 'Log entries, oldest first', schema: logsResponseSchema } },
      errors: [404, 503],
      async handle({ params, query, principal }) {
        const ref = await findRun(ctx, principal, params.id, query.run_id);
        const entries = await readLogs(ctx, ref, query.since);
        return { status: 200, body: { ...executionOf(ctx, ref), entries, next_since: query.since + entries.length } };
      },
    }),
  ];
}
