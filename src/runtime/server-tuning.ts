/**
 * Temporal server settings (dynamic config) that a run's per-step latency depends on, each kept
 * because `npm run bench` measured it (docs/measurement.md, "Where a step's time goes"):
 *
 * - `history.transferProcessorMaxPollRPS`: Temporal's default (20) lets each history shard read its
 *   transfer queue at most 20 times a second once a short burst is spent, so a workflow task or
 *   activity task made by a completed step waits up to 50 ms (35 ms on average) before it is handed
 *   to the worker already polling for it. A run lives on one shard: its chain of steps walks at 20
 *   steps a second whatever the cluster's size. The queue is still read only when there is work.
 * - `history.maximumBufferedEventsBatch`: events that arrive while a workflow task is being processed
 *   are buffered; past Temporal's default of 100 the server fails that task (FORCE_CLOSE_COMMAND), the
 *   worker's answer is thrown away ("Workflow task not found") and the run is replayed from its whole
 *   history. Each node that finishes adds two events (started, completed), so 50 nodes finishing during
 *   one workflow task were enough: a wide or busy run (max_parallel up to 1,000) kept losing its tasks.
 * - `system.enableActivityEagerExecution`: the activity a workflow task schedules comes back in the
 *   answer to that task instead of through the task queue (the worker asks for it by default); off in
 *   a cluster by default, on in the dev server.
 *
 * The dev server gets them as flags (dev-server.ts); a cluster from deploy/temporal-dynamic-config.yaml,
 * which docker-compose.yml mounts (test/runtime/compose.test.ts keeps the two equal).
 */
export const SERVER_TUNING: Readonly<Record<string, number | boolean>> = {
  'history.transferProcessorMaxPollRPS': 1_000,
  'history.maximumBufferedEventsBatch': 2_500,
  'system.enableActivityEagerExecution': true,
};

/** The dev server's `--dynamic-config-value KEY=VALUE` flags for `settings` (values are JSON). */
export const dynamicConfigFlags = (settings: Readonly<Record<string, number | boolean>>): string[] =>
  Object.entries(settings).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
