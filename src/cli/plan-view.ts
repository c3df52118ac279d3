/** A plan as people read it, like `terraform plan`: + create, ~ update (with its diff), - delete, = no-op. */
import type { Plan, PlanNode } from '../model/plan-answer';
import type { Colors } from './output';
import { nodeLabel } from './run-text';

const SYMBOL = { create: '+', update: '~', delete: '-', 'no-op': '=' } as const;

/** Whether applying the plan would change anything (`--detailed-exitcode`). */
export const hasChanges = (plan: Plan): boolean => plan.nodes.some((node) => node.action !== 'no-op');

const color = (action: PlanNode['action'], c: Colors) =>
  ({ create: c.green, update: c.yellow, delete: c.red, 'no-op': c.dim })[action];

const shown = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value));

function nodeLines(node: PlanNode, c: Colors): string[] {
  const paint = color(node.action, c);
  const notes = [node.pauses_before ? 'waits for a continue first' : '', node.irreversible ? 'irreversible' : '']
    .filter(Boolean)
    .join(', ');
  const lines = [
    `  ${paint(`${SYMBOL[node.action]} ${nodeLabel(node)}`)} ${c.dim(node.type)}${notes ? ` (${notes})` : ''}`,
  ];
  for (const item of node.diff)
    lines.push(`      ${c.yellow('~')} ${item.property}: ${shown(item.actual)} → ${shown(item.desired)}`);
  for (const warning of node.warnings) lines.push(`      ${c.yellow('!')} ${warning}`);
  if (node.live_error)
    lines.push(`      ${c.red('?')} state unreadable (${node.live_error.type}): ${node.live_error.message}`);
  return lines;
}

function summary(plan: Plan): string {
  const count = (action: PlanNode['action']) => plan.nodes.filter((node) => node.action === action).length;
  const groups = plan.parallel_groups.length;
  return (
    `Plan: ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete, ` +
    `${count('no-op')} unchanged; ${groups} parallel group${groups === 1 ? '' : 's'}, ` +
    `estimated time ${plan.estimated_time}s.`
  );
}

/** settings.limits beside max_parallel, e.g. "In flight at once: 10 nodes; github 2 (3 nodes), aws:iam:role 1 (2 nodes)." */
function concurrencyLine({ max_parallel, limits }: Plan['concurrency']): string {
  const each = limits.map((l) => `${l.key} ${l.limit} (${l.nodes} node${l.nodes === 1 ? '' : 's'})`);
  return `In flight at once: ${max_parallel} nodes; ${each.join(', ')}.`;
}

export function planLines(plan: Plan, c: Colors): string[] {
  const lines = [
    `${c.bold(`deployment ${plan.deployment_id}`)} ${plan.version}, graph ${plan.graph_id}, mode ${plan.mode}` +
      `${plan.live ? ', from live state' : ', from the config (--live reads current state)'}`,
    '',
  ];
  plan.parallel_groups.forEach((group, index) => {
    lines.push(c.dim(`group ${index + 1}${group.length > 1 ? ` (${group.length} in parallel)` : ''}`));
    for (const node of plan.nodes.filter((n) => n.group === index)) lines.push(...nodeLines(node, c));
  });
  if (plan.irreversible.length > 0) {
    lines.push('', c.red('Irreversible (a rollback cannot undo these):'));
    for (const step of plan.irreversible) lines.push(`  ! ${step.resource_id}: ${step.reason}`);
  }
  if (plan.warnings.length > 0) {
    lines.push('', c.yellow('Warnings:'));
    for (const warning of plan.warnings) lines.push(`  ! ${warning}`);
  }
  lines.push('', summary(plan));
  if (plan.concurrency.limits.length > 0) lines.push(concurrencyLine(plan.concurrency));
  if (plan.saved_plan) {
    lines.push(
      `Saved plan ${plan.saved_plan.graph_id} (until ${plan.saved_plan.expires_at}): apply exactly it with ` +
        `deployctl apply --plan ${plan.saved_plan.graph_id}`,
    );
  }
  return lines;
}
