/** Desired vs actual, property by property: the diff of a plan and the drift of a verify. */
import { canonicalJson } from '../../model/hash';
import type { DriftItem } from '../../model/run-types';
import type { PlanResult } from '../resource-type';

export const MISSING: DriftItem = { property: 'exists', desired: true, actual: false };

export const sameValue = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/** One drift item per key of `desired` whose value differs in `actual` (compared as canonical JSON). */
export function fieldDrift(
  desired: Readonly<Record<string, unknown>>,
  actual: Readonly<Record<string, unknown>>,
): DriftItem[] {
  return Object.entries(desired)
    .filter(([key, value]) => !sameValue(value, actual[key] ?? null))
    .map(([property, value]) => ({ property, desired: value, actual: actual[property] ?? null }));
}

/** The plan of an existing resource: update when anything differs. */
export const updatePlan = (diff: readonly DriftItem[], warnings: readonly string[] = []): PlanResult => ({
  action: diff.length > 0 ? 'update' : 'no-op',
  diff,
  warnings,
});

/** The plan of an absent resource. */
export const createPlan = (warnings: readonly string[] = []): PlanResult => ({
  action: 'create',
  diff: [MISSING],
  warnings,
});

/** The plan of a name taken by a resource that is not this node's: a create whose apply will refuse it, saying why. */
export const takenPlan = (warnings: readonly string[]): PlanResult => ({ ...createPlan(warnings), taken: true });
