/**
 * Points of no return. A config marks a node `point_of_no_return` (the release train's first
 * merge): once it has completed, a failure never compensates automatically, whatever on_failure
 * says: the run halts for a decision, and settings.alerts gets a post naming the failed step and
 * what is already done. A rollback asked for then undoes only what came after the point (its
 * descendants), and says what it left. A region move has its own: once a delete of the old region
 * has started, on_failure rollback halts instead (a rollback is refused then: operator-decisions.ts).
 *
 * Versioning: runs of configs without the mark behave as before; the mark is new with this file.
 */
import { namesInLine, nodeLabel } from '../model/node-names';
import type { NodeCalls } from './node-calls';
import type { RunContext } from './run-context';

/** Nodes marked point_of_no_return that have completed. */
export function pointsPassed(run: RunContext): string[] {
  const passed: string[] = [];
  for (const [id, spec] of run.graph.nodes)
    if (spec.point_of_no_return && run.state.node(id).status === 'completed') passed.push(id);
  return passed;
}

/** Every node below the given ones, along the dependencies (not the nodes themselves). */
export function after(run: RunContext, points: readonly string[]): Set<string> {
  const below = new Set<string>();
  const stack = [...points];
  while (stack.length > 0)
    for (const link of run.graph.succs.get(stack.pop() as string) ?? []) {
      if (below.has(link.id)) continue;
      below.add(link.id);
      stack.push(link.id);
    }
  return below;
}

/**
 * After node `id` failed: whether a point of no return makes the run halt instead of what
 * on_failure says (then it has logged why, and alerted where settings.alerts says).
 */
export function haltedPastPoint(run: RunContext, calls: NodeCalls, id: string): boolean {
  const { input, state } = run;
  if (input.action !== 'apply' || input.settings.mode === 'DRY_RUN') return false;
  const points = pointsPassed(run);
  if (points.length > 0) {
    run.halted = true;
    const failed = state.node(id);
    const done = namesInLine(state.nodes, state.idsWith('completed'));
    const point = namesInLine(state.nodes, points);
    state.log(
      'warn',
      `failed past the point of no return (${point}): no automatic rollback; waiting for a decision`,
      id,
    );
    const text =
      `${input.graph.deployment_id}: ${nodeLabel(failed)} failed past the point of no return (${point}): ` +
      `${failed.error ?? 'no reason given'}. Already done, and not undone automatically: ${done}. ` +
      'The run waits for a decision: retry, skip, abort, or a rollback of what came after the point.';
    if (input.settings.alerts) calls.alert(id, input.settings.alerts.slack.channel, text);
    return true;
  }
  if (input.settings.on_failure !== 'rollback' || !run.pastPointOfNoReturn()) return false;
  run.halted = true;
  state.log(
    'warn',
    'past the move’s point of no return (the old region is being deleted): waiting for retry, skip or abort instead of rolling back',
    id,
  );
  return true;
}
