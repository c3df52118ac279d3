/**
 * `"operation": "delete"` for every type: a node that asks for its resource to be gone. Types whose
 * own operations read `node.operation` (`handlesDelete`, e.g. GitHub secrets) are left as they are;
 * every other type gets this behaviour around its own operations, in the registry, so runs, live
 * plans and region moves (whose old-region nodes are delete nodes) all see the same thing:
 *
 * - plan: `delete` (diff exists true → false) while the resource is there, `no-op` once it is gone;
 * - apply: the type's own `destroy` (absent is done), recorded as `{ deleted: true }`;
 * - verify: drift only while the resource still exists;
 * - compensate: irreversible (what was deleted is not brought back).
 */
import type { DriftItem } from '../model/run-types';
import type { NodeTarget, ResourceType } from './resource-type';

export const DELETED_IRREVERSIBLE =
  'irreversible: the resource was deleted (operation delete) and is not re-created by a rollback';

const STILL_THERE: DriftItem = { property: 'exists', desired: false, actual: true };

const isDelete = (target: NodeTarget<unknown>): boolean => target.node.operation === 'delete';

/** The type's own verify says the resource is missing. */
const missing = (drift: readonly DriftItem[]): boolean =>
  drift.some((d) => d.property === 'exists' && d.actual === false);

export function withDeleteOperation<P>(type: ResourceType<P>): ResourceType<P> {
  if (type.handlesDelete) return type;
  return {
    ...type,
    async plan(ctx, target) {
      const current = await type.plan(ctx, target);
      if (!isDelete(target)) return current;
      // A taken name is a resource that is there but not ours: the delete will say why it refuses.
      return current.action === 'create' && !current.taken
        ? { action: 'no-op', diff: [], warnings: ['already absent'] }
        : { action: 'delete', diff: [STILL_THERE], warnings: current.warnings };
    },
    async apply(ctx, target) {
      if (!isDelete(target)) return type.apply(ctx, target);
      await type.destroy(ctx, target, null);
      return { outputs: { deleted: true }, undo: { deleted: true } };
    },
    async verify(ctx, target, outputs) {
      const verified = await type.verify(ctx, target, outputs);
      if (!isDelete(target)) return verified;
      return { drift: missing(verified.drift) ? [] : [STILL_THERE] };
    },
    async compensate(ctx, target, undo) {
      if (isDelete(target)) return { outcome: DELETED_IRREVERSIBLE };
      return type.compensate(ctx, target, undo);
    },
  };
}
