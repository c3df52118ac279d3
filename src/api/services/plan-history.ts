/**
 * What a plan reads from the deployment's record, in one read: its past node durations by type
 * (for estimated_time), the last apply's graph (what the plan is compared with) and, for a live
 * plan, its outputs (for references). A plan must
 * work while Temporal is down or slow: past a short deadline it goes on without them, a live plan
 * with a warning saying why its references lack the outputs, any plan with typical durations.
 */
import type { DeploymentRecord } from '../../model/deployment-record';
import type { DurationHistory } from '../../model/estimates';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { readRecord } from './deployment-records';
import type { AppliedBasis } from './plan-against-applied';
import { lastApplyIn, type StoredApply } from './run-input';

/** How long a plan waits for the deployment's record before it plans without it: a live plan reads providers anyway. */
const RECORD_DEADLINE_MS = { live: 3_000, config: 1_000 };

export interface PlanHistory {
  readonly durations: DurationHistory;
  readonly outputs: Record<string, Record<string, unknown>>;
  /** The last apply to compare the plan with, or null (never applied, or unread). */
  readonly applied: AppliedBasis | null;
  /** Why a live plan's references were planned without the last apply's outputs, or null. */
  readonly warning: string | null;
}

export async function planHistory(
  ctx: ApiContext,
  principal: Principal,
  deploymentId: string,
  live: boolean,
): Promise<PlanHistory> {
  try {
    return await ctx.client().withDeadline(Date.now() + RECORD_DEADLINE_MS[live ? 'live' : 'config'], async () => {
      const record = await readRecord(ctx, principal, deploymentId);
      const applied = record ? await lastApplyIn(ctx, record) : null;
      return {
        durations: record?.durations ?? {},
        outputs: live ? { ...applied?.outputs } : {},
        // Destroyed (and not applied since): nothing is deployed to compare with.
        applied: record && applied && !record.tombstone ? basisOf(record, applied) : null,
        warning: null,
      };
    });
  } catch (err) {
    const warning = live
      ? `the outputs of the last apply could not be read (${(err as Error).message}): references are planned without them`
      : null;
    return { durations: {}, outputs: {}, applied: null, warning };
  }
}

function basisOf(record: DeploymentRecord, applied: StoredApply): AppliedBasis {
  const run = record.runs.find((r) => r.run_id === applied.runId);
  const { graph } = applied.input;
  return {
    graph,
    run_id: applied.runId,
    version: graph.version,
    applied_at: run ? (run.closed_at ?? run.started_at) : null,
  };
}
