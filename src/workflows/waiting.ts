/**
 * What a paused run says it waits for: each paused node with the reason it holds (an approval
 * gate, a pause edge, a breakpoint, STEP mode), named as the config names it, and a gate's
 * deadline; the run's own deadline is the earliest of them.
 */
import { APPROVAL_TYPE } from '../model/gates';
import type { NodeWait, WaitReason, WaitingFor } from '../model/run-types';
import type { RunContext } from './run-context';

function reasonOf(run: RunContext, id: string): WaitReason {
  if (run.graph.nodes.get(id)?.type === APPROVAL_TYPE) return 'approval';
  if (run.breakpoints.has(id)) return 'breakpoint';
  return (run.graph.preds.get(id) ?? []).some((link) => link.kind === 'pause') ? 'pause_edge' : 'step';
}

export function waitingForContinue(run: RunContext, paused: readonly string[]): WaitingFor {
  const waits: NodeWait[] = paused.map((id) => {
    const node = run.state.node(id);
    return {
      node_id: id,
      resource_id: node.resource_id,
      region: node.region,
      reason: reasonOf(run, id),
      deadline: run.gateDeadlines.get(id) ?? null,
    };
  });
  const deadlines = waits.flatMap((wait) => (wait.deadline === null ? [] : [wait.deadline])).sort();
  return { kind: 'continue', node_ids: paused, deadline: deadlines[0] ?? null, waits };
}
