/**
 * A change to the step packages, made safely wherever the store is shared: among the processes
 * sharing the folder (its lock), and among a fleet's API processes (the change starts from the
 * shared index as it is now, and the changed index is written back only over that one; when
 * another process changed it meanwhile, the change starts again on the new one, up to
 * CHANGE_ATTEMPTS times). The index goes back whether the change succeeded or was refused (its
 * log says which). The store out of reach is a 503 store_unavailable.
 */
import { BucketConflict } from '../../providers/package-bucket';
import { messageOf } from '../../resources/packages/package-loader';
import { StoreBusyError } from '../../resources/packages/package-store';
import type { PackageSync } from '../../resources/packages/package-sync';
import { UnavailableError } from '../errors/api-errors';

const CHANGE_ATTEMPTS = 5;

/** A step on the shared store; its failure is a 503 (a conflict passes through, for the retry). */
export async function storeStep<T>(sync: PackageSync, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof BucketConflict) throw err;
    throw new UnavailableError(
      `the step-package store ${sync.where} cannot be reached: ${messageOf(err)}`,
      'store_unavailable',
    );
  }
}

async function attempts<T>(sync: PackageSync, change: () => T | Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const basis = await storeStep(sync, () => sync.pullForChange());
    const outcome = await Promise.resolve()
      .then(change)
      .then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
    try {
      await storeStep(sync, () => sync.publishIndex(basis));
    } catch (err) {
      if (!(err instanceof BucketConflict)) throw err;
      if (attempt < CHANGE_ATTEMPTS) continue;
      throw new UnavailableError(
        `the step-package store ${sync.where} changed under this change ${attempt} times: try again`,
        'store_unavailable',
      );
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }
}

export async function changeOnLatestIndex<T>(sync: PackageSync, change: () => T | Promise<T>): Promise<T> {
  try {
    return await sync.store.exclusively(() => attempts(sync, change));
  } catch (err) {
    throw err instanceof StoreBusyError ? new UnavailableError(err.message, 'store_unavailable') : err;
  }
}
