/**
 * The tags on every AWS resource the service creates (seed 001 §7.2) and what they decide:
 * a resource of the wanted name carrying our `mgraph:node-id` is ours to adopt; one without it,
 * or with another node's, is a conflict that names it. `mgraph:created-by` records the run that
 * created it, so an apply retried after a crash knows it created the resource it now adopts.
 */
import type { DriftItem } from '../../model/run-types';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget } from '../resource-type';

export const NODE_ID_TAG = 'mgraph:node-id';
export const GRAPH_ID_TAG = 'mgraph:graph-id';
export const DEPLOY_ID_TAG = 'mgraph:deploy-id';
export const RESOURCE_ID_TAG = 'mgraph:resource-id';
export const CREATED_BY_TAG = 'mgraph:created-by';

export type Tags = Record<string, string>;

/** The run this apply belongs to, as the workflow passes it (`$run_key`); null outside a run. */
export const runKeyOf = (target: NodeTarget<unknown>): string | null => {
  const key = target.refs['$run_key'];
  return typeof key === 'string' ? key : null;
};

/** User tags plus ours (ours win): what a resource should carry after an apply. */
export function desiredTags(target: NodeTarget<unknown>): Tags {
  return {
    ...target.node.tags,
    [NODE_ID_TAG]: target.node.node_id,
    [GRAPH_ID_TAG]: target.graph_id,
    [DEPLOY_ID_TAG]: target.deployment_id,
    [RESOURCE_ID_TAG]: target.node.resource_id,
  };
}

/** Tags for a create: the desired ones and the creating run. */
export function creationTags(target: NodeTarget<unknown>): Tags {
  const run = runKeyOf(target);
  return run === null ? desiredTags(target) : { ...desiredTags(target), [CREATED_BY_TAG]: run };
}

/** Whether this run created the resource (an earlier attempt of it, before a crash). */
export const createdByThisRun = (tags: Tags, target: NodeTarget<unknown>): boolean => {
  const run = runKeyOf(target);
  return run !== null && tags[CREATED_BY_TAG] === run;
};

/** Throws `conflict` unless the existing resource carries this node's id. */
export function assertOurs(tags: Tags, target: NodeTarget<unknown>, label: string): void {
  const owner = tags[NODE_ID_TAG];
  if (owner === target.node.node_id) return;
  const whose =
    owner === undefined
      ? `it has no ${NODE_ID_TAG} tag`
      : `it belongs to node ${owner}${tags[DEPLOY_ID_TAG] ? ` of deployment ${tags[DEPLOY_ID_TAG]}` : ''}${tags[RESOURCE_ID_TAG] ? ` (resource ${tags[RESOURCE_ID_TAG]})` : ''}`;
  throw new OperationError(
    'conflict',
    `${label} already exists and is not managed by this node (${whose}): choose another name, or delete or tag it to adopt it`,
    { retryable: false },
  );
}

/** Plan/verify wording for the same check: a warning instead of an error. */
export function foreignWarning(tags: Tags, target: NodeTarget<unknown>, label: string): string[] {
  try {
    assertOurs(tags, target, label);
    return [];
  } catch (err) {
    return [`${(err as Error).message}; apply will fail`];
  }
}

/**
 * Tag drift: user tags and the identity tags must be present with their values. The graph id is
 * left out: it changes with every config change, and a new graph id alone is not an update.
 */
export function tagDrift(actual: Tags, target: NodeTarget<unknown>): DriftItem[] {
  return Object.entries(desiredTags(target))
    .filter(([key, value]) => key !== GRAPH_ID_TAG && actual[key] !== value)
    .map(([key, value]) => ({ property: `tags.${key}`, desired: value, actual: actual[key] ?? null }));
}

/** The tags an update must set: missing or different ones, the graph id included. */
export function tagsToSet(actual: Tags, target: NodeTarget<unknown>): Tags {
  return Object.fromEntries(Object.entries(desiredTags(target)).filter(([key, value]) => actual[key] !== value));
}

export const tagList = (tags: Tags): { Key: string; Value: string }[] =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export const tagMap = (list: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined): Tags =>
  Object.fromEntries((list ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? '']])));

/** What `changed` overwrites, for undo: each key's value before, or null where it was absent. */
export const previousTagValues = (actual: Tags, changed: Tags): Record<string, string | null> =>
  Object.fromEntries(Object.keys(changed).map((key) => [key, actual[key] ?? null]));

/** Splits undo's previous tag values into tags to set again and keys to remove. */
export function restoreTags(previous: unknown): { readonly set: Tags; readonly remove: string[] } {
  const entries =
    previous !== null && typeof previous === 'object' ? Object.entries(previous as Record<string, unknown>) : [];
  return {
    set: Object.fromEntries(entries.filter((e): e is [string, string] => typeof e[1] === 'string')),
    remove: entries.filter(([, value]) => value === null).map(([key]) => key),
  };
}

/** S3 sets a whole tag set at once (buckets and objects): the current tags with undo's previous values put back. */
export function restoredTagSet(current: Tags, previous: unknown): Tags {
  const restored = restoreTags(previous);
  return Object.fromEntries(
    Object.entries({ ...current, ...restored.set }).filter(([key]) => !restored.remove.includes(key)),
  );
}
