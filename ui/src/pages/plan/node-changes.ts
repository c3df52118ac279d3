/**
 * What the preview says a node does. A live plan's action and diff are the resource type's own
 * reading of the current state; a config-only plan says `create` for every node, so where this
 * browser applied the deployment before, the node is compared with that config instead.
 */
import { resourceChanges, type AppliedConfig, type Config, type PropertyChange } from './applied-configs';
import type { Action, PlanNode } from './plan-types';

export interface NodeChanges {
  readonly action: Action;
  readonly diff: readonly PropertyChange[];
  /** Where action and diff come from. */
  readonly basis: 'plan' | 'applied';
}

export function nodeChanges(node: PlanNode, applied: AppliedConfig | null, current: Config): NodeChanges {
  const fromPlan: NodeChanges = {
    action: node.action,
    diff: node.diff.map((d) => ({ property: d.property, before: d.actual, after: d.desired })),
    basis: 'plan',
  };
  if (node.live || node.action !== 'create' || !applied) return fromPlan;
  const diff = resourceChanges(applied.config, current, node.resource_id);
  if (diff === null) return fromPlan;
  return { action: diff.length > 0 ? 'update' : 'no-op', diff, basis: 'applied' };
}

export const SYMBOL: Record<Action, string> = { create: '+', update: '~', 'no-op': '=', delete: '-' };

/** A property value as the diff shows it. */
export const shown = (value: unknown): string => (value === undefined ? '(none)' : JSON.stringify(value));
