/**
 * The undo journal of an update (DESIGN.md §4–§5): `apply` of an existing resource returns the
 * previous values a rollback's `compensate` restores. Activities are at-least-once, so a worker
 * that dies after an update's changes but before the activity returns leaves a retry that reads
 * the changed resource, finds nothing to change and would return an empty undo. So an update
 * computes its undo from the state it read before changing anything, records it in a heartbeat
 * (`{ undo }`) before its first change, and a retry of the same activity takes it back from
 * `ctx.lastHeartbeat`, merged with its own so that the earliest previous values win: they
 * describe the resource before this run touched it.
 *
 * The journal is the second line. The first is durable: a type with `prepare` (prepareOwned in
 * owned.ts) has its undo read in an activity of its own before the apply, the workflow's history
 * keeps it, and every attempt, an operator's retry included, starts from it (`ctx.prepared`,
 * merged over the heartbeated journal as the earliest values).
 *
 * It guarantees, for an update that makes its changes after `record` and heartbeats only through
 * the journal's `ctx`:
 * - every heartbeat it sends carries the recorded undo beside the type's own details, so a later
 *   heartbeat (a wait's progress) does not erase the journal; a retry's heartbeats carry the
 *   carried undo from its start, before it records its own;
 * - the undo a retry returns holds every previous value an earlier attempt recorded: a value
 *   whole (the earliest wins), a `map` (name → previous value, e.g. `tags_previous`) entry by
 *   entry (the earliest entry wins), a `list` (what the run added) as the union.
 *
 * It does not:
 * - know what was done: it records what an update is about to change, so a compensation may
 *   restore a value that was never changed (the restores of the types using it are idempotent);
 * - make a heartbeat durable: Temporal sends heartbeats asynchronously, without an answer, and
 *   throttles those after the first, so a worker that dies right after `record` may die before
 *   the journal reached the server; without `prepare`, that retry returns what it sees;
 * - cross activities: an operator's `retry` decision, a new run or a compensation is a new
 *   activity without the earlier heartbeats (with `prepare`, the prepared undo crosses them);
 * - record what only a change tells (the id of the policy version IAM creates): the update records
 *   it afterwards, and a retry must find it in the state it reads (iam-policy does);
 * - survive a heartbeat through the original `ctx` after `record`, which replaces the journal.
 */
import type { OperationContext } from '../resource-type';

export type Undo = Record<string, unknown>;

/** How a key of a type's undo merges, beyond a whole value: `map` entry by entry, `list` as the union of its (primitive) items. */
export type UndoShape = Readonly<Record<string, 'map' | 'list'>>;

/** Every AWS type's `tags_previous` (tags.ts `previousTagValues`) is a map of tag key → previous value. */
const SHARED_SHAPE: UndoShape = { tags_previous: 'map' };

/** Where the journal lives in a heartbeat's details. */
const JOURNAL_KEY = 'undo';

const isRecord = (value: unknown): value is Undo =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Two undos of one update merged: the earlier one's previous values win. */
export function mergeUndo(earlier: Undo, later: Undo, shape: UndoShape = {}): Undo {
  const merged: Undo = { ...later, ...earlier };
  for (const [key, kind] of Object.entries({ ...SHARED_SHAPE, ...shape })) {
    const [first, then] = [earlier[key], later[key]];
    if (kind === 'map' && isRecord(first) && isRecord(then)) merged[key] = { ...then, ...first };
    if (kind === 'list' && Array.isArray(first) && Array.isArray(then))
      merged[key] = [...new Set<unknown>([...(first as unknown[]), ...(then as unknown[])])];
  }
  return merged;
}

/**
 * What is known of the resource before this run changed it: the undo the node's `prepare` read
 * before the apply's first attempt (durable: the workflow's history holds it), merged over the one
 * an earlier attempt of this activity heartbeated; null when there is neither.
 */
export function carriedUndo(ctx: OperationContext, shape: UndoShape = {}): Undo | null {
  const last = ctx.lastHeartbeat;
  const beat = isRecord(last) ? last[JOURNAL_KEY] : undefined;
  const heartbeated = isRecord(beat) ? beat : null;
  const prepared = ctx.prepared ?? null;
  if (prepared && heartbeated) return mergeUndo(prepared, heartbeated, shape);
  return prepared ?? heartbeated;
}

export interface UndoJournal {
  /** The context to go on with: its heartbeats carry the recorded undo. */
  readonly ctx: OperationContext;
  /** What an earlier attempt recorded, or null. */
  readonly carried: Undo | null;
  /** Records `undo` (before the first change), merged under what is recorded already; returns the merged undo to return. */
  record(undo: Undo): Undo;
}

/** The journal of one update, holding what an earlier attempt recorded. */
export function undoJournal(ctx: OperationContext, shape: UndoShape = {}): UndoJournal {
  const carried = carriedUndo(ctx, shape);
  if (carried && !ctx.prepared)
    ctx.log('an earlier attempt of this apply recorded its undo data: keeping its previous values');
  let recorded = carried;
  const heartbeat = (details?: unknown): void => {
    if (recorded === null) {
      ctx.heartbeat(details);
      return;
    }
    const own = details === undefined ? {} : isRecord(details) ? details : { details };
    ctx.heartbeat({ ...own, [JOURNAL_KEY]: recorded });
  };
  return {
    ctx: { ...ctx, heartbeat },
    carried,
    record(undo) {
      const merged = recorded === null ? undo : mergeUndo(recorded, undo, shape);
      recorded = merged;
      heartbeat();
      return merged;
    },
  };
}
