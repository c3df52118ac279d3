/** The words for a run's events, shared by the line view and the live view. */
import type { Colors } from './output';
import type { NodeEventData, PhaseEventData, RunAddress, WaitingFor } from './run-events';

export const nodeLabel = (node: { resource_id: string; region: string | null }): string =>
  node.region ? `${node.resource_id}[${node.region}]` : node.resource_id;

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

const duration = (node: NodeEventData): string =>
  node.started_at && node.completed_at
    ? ` in ${seconds(Date.parse(node.completed_at) - Date.parse(node.started_at))}`
    : '';

/** What happened to a node, without its name: "completed in 1.3s", "failed after 2 attempts (…): …". */
export function nodeText(node: NodeEventData, c: Colors): string {
  switch (node.status) {
    case 'running':
      return node.attempts > 1 ? `started (attempt ${node.attempts})` : 'started';
    case 'completed':
      return c.green(`completed${duration(node)}`);
    case 'failed': {
      const attempts = node.attempts === 1 ? '1 attempt' : `${node.attempts} attempts`;
      return c.red(`failed after ${attempts} (${node.error_type ?? 'error'}): ${node.error ?? 'no message'}`);
    }
    case 'paused':
      return c.yellow('paused: waits for a continue');
    default:
      return node.error ? `${node.status}: ${node.error}` : node.status;
  }
}

export const countsText = (counts: Readonly<Record<string, number>>): string =>
  Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ') || 'no nodes';

const target = (run: RunAddress): string => run.deploymentId;

/** How to go on from a wait: the commands that continue it, or decide after a failure. */
export function waitHint(run: RunAddress, waiting: WaitingFor): string {
  if (waiting.kind === 'decision') {
    return `decide: deployctl retry ${target(run)} | skip ${target(run)} | rollback ${target(run)} | abort ${target(run)}`;
  }
  const waits = waiting.waits ?? [];
  const named = waits.map((wait) => `deployctl continue ${target(run)} --node ${nodeLabel(wait)}`);
  return `continue: ${named.length === 1 ? named[0] : `deployctl continue ${target(run)} (all), or ${named.join(' / ')}`}`;
}

/** The run's new phase, and for a wait, why and how to go on. */
export function phaseText(run: RunAddress, phase: PhaseEventData, c: Colors): string {
  const waiting = phase.waiting_for;
  if (phase.status === 'paused' && waiting) {
    const reasons = (waiting.waits ?? []).map((wait) => `${nodeLabel(wait)} (${wait.reason})`).join(', ');
    return c.yellow(`run paused: ${reasons || 'waiting for a continue'}; ${waitHint(run, waiting)}`);
  }
  if (phase.status === 'awaiting_decision' && waiting) {
    return c.yellow(`run waits for a decision after a failure; ${waitHint(run, waiting)}`);
  }
  return `run ${phase.status.replace('_', ' ')}`;
}

export const SUCCESSFUL_PHASES: ReadonlySet<string> = new Set(['completed', 'ended']);

export function finishedText(phase: PhaseEventData, elapsedMs: number, c: Colors): string {
  const text = `run ${phase.status.replace('_', ' ')} after ${seconds(elapsedMs)}: ${countsText(phase.counts)}`;
  return SUCCESSFUL_PHASES.has(phase.status) ? c.green(text) : c.red(text);
}
