/**
 * Deleting needs the admin role. Destroy and undeploy are admin routes; an apply whose graph holds
 * `operation: "delete"` nodes runs those types' destroy too, so it needs the same role (a dry run
 * changes nothing and needs none). The plan warns of it beforehand.
 */
import type { SpecNode } from '../../model/graph-types';
import type { DeploymentInput } from '../../model/run-types';
import { ForbiddenError } from '../errors/api-errors';
import { roleAllows, type Principal } from './principal';

/** The resources these nodes delete, each named once. */
export const deletedResources = (nodes: Iterable<SpecNode>): string[] => [
  ...new Set([...nodes].filter((node) => node.operation === 'delete').map((node) => node.resource_id)),
];

export function requireDeleteRight(principal: Principal, input: DeploymentInput): void {
  if (input.action !== 'apply' || input.settings.mode === 'DRY_RUN' || roleAllows(principal.role, 'admin')) return;
  const deleted = deletedResources(input.graph.nodes);
  if (deleted.length === 0) return;
  throw new ForbiddenError(
    `this run deletes ${deleted.join(', ')} (operation "delete"): deleting needs an admin key, and this key's role is ${principal.role}`,
  );
}
