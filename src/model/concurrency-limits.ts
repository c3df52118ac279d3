/**
 * `settings.limits`: how many nodes may be in flight at once per provider (`"github": 2`) or per
 * resource type (`"aws:iam:role": 3`), besides `max_parallel` for the whole run. Providers throttle
 * per API (GitHub's secondary rate limits on concurrent writes, the Lambda and IAM control planes),
 * not per run. A node counts against its type's limit and its provider's (its type up to the first
 * colon); the scheduler keeps the critical-path order among the nodes a limit lets start.
 */
import type { ResourceCatalog } from './catalog';
import type { SpecNode } from './graph-types';
import { issue, type ValidationIssue } from './issues';

export type ConcurrencyLimits = Readonly<Record<string, number>>;

/** The provider of a type: `aws` for `aws:iam:role`. */
export const providerOf = (type: string): string => type.split(':', 1)[0] as string;

/** The limit keys a node of `type` counts against: its type, then its provider. */
export const limitKeysOf = (type: string): readonly string[] => [type, providerOf(type)];

/** Keys that name no provider and no type of the catalog, as issues at settings.limits.<key>. */
export function limitKeyIssues(limits: unknown, catalog: ResourceCatalog): ValidationIssue[] {
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) return [];
  const types = [...catalog.keys()];
  const providers = [...new Set(types.map(providerOf))].sort();
  return Object.keys(limits)
    .filter((key) => !catalog.has(key) && !providers.includes(key))
    .map((key) =>
      issue(
        ['settings', 'limits', key],
        `"${key}" is neither a provider (${providers.join(', ')}) nor a resource type: limits are per provider or per type`,
      ),
    );
}

/** Each limit with the number of the graph's nodes it bounds, in the config's order (what a plan shows). */
export function limitsOver(
  limits: ConcurrencyLimits | undefined,
  nodes: readonly Pick<SpecNode, 'type'>[],
): { readonly key: string; readonly limit: number; readonly nodes: number }[] {
  return Object.entries(limits ?? {}).map(([key, limit]) => ({
    key,
    limit,
    nodes: nodes.filter((node) => limitKeysOf(node.type).includes(key)).length,
  }));
}

/**
 * Nodes in flight per limit key, for one walk (a run's, or its rollback's). `take` when a node
 * starts, `release` when it ends; a key at its limit is `full` until one of its nodes ends.
 */
export class LimitSlots {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly limits: ConcurrencyLimits) {}

  /** The first of the type's keys with no slot free, or null when a node of `type` may start. */
  full(type: string): string | null {
    for (const key of limitKeysOf(type)) {
      const limit = this.limits[key];
      if (limit !== undefined && (this.inFlight.get(key) ?? 0) >= limit) return key;
    }
    return null;
  }

  take(type: string): void {
    for (const key of limitKeysOf(type)) {
      if (this.limits[key] !== undefined) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    }
  }

  /** Frees a node of `type`'s slots; answers the limited keys it freed a slot in. */
  release(type: string): string[] {
    const freed: string[] = [];
    for (const key of limitKeysOf(type)) {
      const count = this.inFlight.get(key);
      if (count === undefined) continue;
      this.inFlight.set(key, count - 1);
      freed.push(key);
    }
    return freed;
  }
}
