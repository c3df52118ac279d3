/**
 * What plan, apply, compensate and destroy of every tagged AWS type share, around the type's own
 * read, create, update, diff, delete and restore: an absent resource is a create (plan, apply),
 * already gone (compensate) or done (destroy); one present without this node's `mgraph:node-id` is
 * taken (plan: a create whose apply will refuse it) or refused, naming it (apply, compensate,
 * destroy); one of ours is updated (apply), with its undo recorded in the undo journal
 * (undo-journal.ts) before the update's first change.
 *
 * Types without tags do not fit: a layer version's owner is a marker in its description
 * (lambda-layer.ts), and an attachment's is the apply that saw it (iam-policy-attach.ts).
 */
import { OperationError } from '../../providers/operation-error';
import type { ApplyResult, CompensateResult, NodeTarget, OperationContext, PlanResult } from '../resource-type';
import { createPlan, takenPlan } from './drift';
import { assertOurs, createdByThisRun, foreignWarning, NODE_ID_TAG, type Tags } from './tags';
import { carriedUndo, type Undo, undoJournal, type UndoJournal, type UndoShape } from './undo-journal';

interface Owned<S> {
  /** The resource as the type read it, or null when it is absent. */
  readonly state: S | null;
  readonly target: NodeTarget<unknown>;
  /** Names it in messages (`IAM role my-role`). */
  readonly label: string;
}

type Tagged = { readonly tags: Tags };

export async function planOwned<S extends Tagged>(
  owned: Owned<S>,
  diff: (state: S) => PlanResult | Promise<PlanResult>,
): Promise<PlanResult> {
  const { state, target, label } = owned;
  if (!state) return createPlan();
  const foreign = foreignWarning(state.tags, target, label);
  return foreign.length > 0 ? takenPlan(foreign) : diff(state);
}

/** What a create or an update did: the apply's outputs and its undo, beside the `created` flag the skeleton sets. */
export interface Applied {
  readonly outputs: Record<string, unknown>;
  /** An update's undo where it is not the one recorded before its change: all of it (unjournaled), or the journal's latest (a policy's new version). */
  readonly undo?: Undo | undefined;
  /** Beside `created: true`, when this run created the resource: what compensate deletes (an S3 object's version). */
  readonly createdUndo?: Undo;
}

/**
 * An update of a resource of ours, planned from the state read before it changes anything: `undo`,
 * what it is about to change, is recorded in the journal (merged by `shape`) before `change` runs,
 * whose heartbeats go through `journal.ctx`. An update whose undo only its result tells (an S3
 * object's conditional write) has no `undo`, records nothing and returns its undo in its result.
 */
export type Update =
  | { readonly undo: Undo; readonly shape?: UndoShape; change(journal: UndoJournal): Promise<Applied> }
  | { readonly undo?: undefined; change(): Promise<Applied> };

export interface ApplySteps<S> {
  /** The resource as the type reads it, or null when it is absent. */
  read(): Promise<S | null>;
  /** Why a resource that must exist may not read back yet, in the retry's message (`IAM is eventually consistent`). */
  readonly lag?: string;
  /**
   * Creates the absent resource, tagged for this node and run: what it did, or null when one of
   * that name appeared meanwhile (read back, then adopted or refused). `readBack` reads it, now that it must exist.
   */
  create(readBack: () => Promise<S>): Promise<Applied | null>;
  /** Plans the update of a resource of ours; `carried` is what an earlier attempt of this apply recorded (undo-journal.ts), or null. */
  update(state: S, carried: Undo | null): Update;
}

/**
 * Creates the resource, or adopts one of ours and updates what differs: undo `{ created: true }`
 * when this run created it (an earlier attempt, before a crash, included), else `{ created: false }`
 * and the update's undo. One that is not this node's is refused, naming it.
 */
export async function applyOwned<S extends Tagged>(
  ctx: OperationContext,
  owned: Omit<Owned<S>, 'state'>,
  steps: ApplySteps<S>,
): Promise<ApplyResult> {
  const { target, label } = owned;
  const readBack = async (): Promise<S> => {
    const state = await steps.read();
    if (!state)
      throw new OperationError(
        'unavailable',
        `${label} cannot be read back yet${steps.lag === undefined ? '' : ` (${steps.lag})`}: retrying`,
      );
    return state;
  };
  const existing = await steps.read();
  const created = existing ? null : await steps.create(readBack);
  if (created) return { outputs: created.outputs, undo: { created: true, ...created.createdUndo } };
  const state = existing ?? (await readBack());
  assertOurs(state.tags, target, label);
  const updated = await change(ctx, steps.update(state, carriedUndo(ctx)));
  return {
    outputs: updated.outputs,
    undo: createdByThisRun(state.tags, target)
      ? { created: true, ...updated.createdUndo }
      : { created: false, ...updated.undo },
  };
}

/**
 * A type's `prepare`: what an update of a resource of ours would overwrite, read before the apply
 * changes anything (its update's undo, from the state now), which the workflow keeps in history;
 * null when there is nothing to record (absent, another's, created by this run, or an update whose
 * undo only its result tells).
 */
export async function prepareOwned<S extends Tagged>(
  target: NodeTarget<unknown>,
  steps: Pick<ApplySteps<S>, 'read' | 'update'>,
): Promise<Undo | null> {
  const state = await steps.read();
  return updatable(state, target) ? (steps.update(state, null).undo ?? null) : null;
}

/** Whether an apply would update `state` in place: present, this node's, and not created by this run. */
export const updatable = <S extends Tagged>(state: S | null, target: NodeTarget<unknown>): state is S =>
  state !== null && state.tags[NODE_ID_TAG] === target.node.node_id && !createdByThisRun(state.tags, target);

/** Runs an update, its undo recorded first; the result's undo is the update's latest. */
async function change(ctx: OperationContext, update: Update): Promise<Applied> {
  if (update.undo === undefined) return update.change();
  const journal = undoJournal(ctx, update.shape);
  const recorded = journal.record(update.undo);
  const applied = await update.change(journal);
  return { ...applied, undo: applied.undo ?? recorded };
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
  if (!state)
    return {
      outcome: undo?.['created'] === true ? 'compensated (already gone)' : `nothing to undo (the ${what} is gone)`,
    };
  assertOurs(state.tags, target, label);
  if (!undo) return { outcome: 'nothing to undo' };
  if (undo['created'] === true) {
    await remove(state, undo);
    return { outcome: 'compensated' };
  }
  return { outcome: (await restore(state, undo)) ?? 'compensated' };
}

export async function destroyOwned<S extends Tagged>(
  owned: Owned<S>,
  remove: (state: S) => Promise<void>,
): Promise<void> {
  if (!owned.state) return;
  assertOurs(owned.state.tags, owned.target, owned.label);
  await remove(owned.state);
}
