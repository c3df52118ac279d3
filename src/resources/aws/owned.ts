/**
 * What plan, compensate and destroy of every tagged AWS type share, around the type's own read,
 * diff, delete and restore: an absent resource is a create (plan), already gone (compensate) or
 * done (destroy); one present without this node's `mgraph:node-id` is taken (plan: a create whose
 * apply will refuse it) or refused, naming it (compensate, destroy).
 */
import type { CompensateResult, NodeTarget, PlanResult } from '../resource-type';
import { createPlan, takenPlan } from './drift';
import { assertOurs, foreignWarning, type Tags } from './tags';

interface Owned<S> {
  /** The resource as the type read it, or null when it is absent. */
  readonly state: S | null;
  readonly target: NodeTarget<unknown>;
  /** Names it in messages (`IAM role my-role`). */
  readonly label: string;
}

type Tagged = { readonly tags: Tags };

export async function planOwned<S extends Tagged>(owned: Owned<S>, diff: (state: S) => PlanResult | Promise<PlanResult>): Promise<PlanResult> {
  const { state, target, label } = owned;
  if (!state) return createPlan();
  const foreign = foreignWarning(state.tags, target, label);
  return foreign.length > 0 ? takenPlan(foreign) : diff(state);
}

/**
 * Undoes this run's apply from its undo data: `created` → `remove`, else `restore` (whose string,
 * if any, is the outcome). `what` names the kind in "the role is gone".
 */
export async function compensateOwned<S extends Tagged>(
  owned: Owned<S> & { readonly what: string; readonly undo: Record<string, unknown> | null },
  remove: (state: S, undo: Record<string, unknown>) => Promise<void>,
  restore: (state: S, undo: Record<string, unknown>) => Promise<string | void>,
): Promise<CompensateResult> {
  const { state, target, label, what, undo } = owned;
  if (!state) return { outcome: undo?.['created'] === true ? 'compensated (already gone)' : `nothing to undo (the ${what} is gone)` };
  assertOurs(state.tags, target, label);
  if (!undo) return { outcome: 'nothing to undo' };
  if (undo['created'] === true) {
    await remove(state, undo);
    return { outcome: 'compensated' };
  }
  return { outcome: (await restore(state, undo)) ?? 'compensated' };
}

export async function destroyOwned<S extends Tagged>(owned: Owned<S>, remove: (state: S) => Promise<void>): Promise<void> {
  if (!owned.state) return;
  assertOurs(owned.state.tags, owned.target, owned.label);
  await remove(owned.state);
}
