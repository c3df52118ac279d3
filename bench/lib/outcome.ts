/**
 * What a finished run did to the world, from its final status and the core:delay ledger: nodes
 * completed, nodes applied more than once (duplicated side effects), applies of nodes the run
 * does not count as completed (orphans), and completed nodes without an apply (lost effects).
 */
import type { RunStatus } from '../../src/model/run-types';
import { ledgerOf } from './harness';

export interface Outcome {
  readonly status: string;
  readonly completed: number;
  readonly nodes: number;
  readonly duplicated: string[];
  readonly orphans: string[];
  readonly lost: string[];
  /** Retries of nodes beyond their first attempt (from the status). */
  readonly extraAttempts: number;
}

export async function outcomeOf(ledger: string, runKey: string, status: RunStatus): Promise<Outcome> {
  const lines = await ledgerOf(ledger, runKey);
  const completed = new Set(status.nodes.filter((n) => n.status === 'completed').map((n) => n.node_id));
  const applies = (id: string): number => (lines.get(id) ?? []).filter((l) => l.event === 'apply').length;
  return {
    status: status.status,
    completed: completed.size,
    nodes: status.nodes.length,
    duplicated: [...lines.keys()].filter((id) => applies(id) > 1),
    orphans: [...lines.keys()].filter((id) => applies(id) > 0 && !completed.has(id)),
    lost: [...completed].filter((id) => applies(id) === 0),
    extraAttempts: status.nodes.reduce((sum, n) => sum + Math.max(0, n.attempts - 1), 0),
  };
}

/** A run is correct when it completed every node, each applied exactly once. */
export const correct = (o: Outcome): boolean =>
  o.status === 'completed' && o.completed === o.nodes && o.duplicated.length + o.orphans.length + o.lost.length === 0;
