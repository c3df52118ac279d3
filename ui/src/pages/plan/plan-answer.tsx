/**
 * A plan as the plan page and the template forms show it (POST /deploy/plan's and POST
 * /templates/{id}/plan's answer): per node action and what changes, parallel groups, time,
 * irreversible steps, warnings. The actions and changes are the API's: a live plan's from the
 * resource types' reading of the current state, else from comparing the config with the
 * deployment's last apply (`compared_with`), which the page names. A node whose state could not
 * be read (seed 003's "Pod acme/prod already exists.") is shown as what will stop the run.
 */
import type { ReactNode } from 'react';
import { counted, formatSeconds, formatTime } from '../../shell/format';
import type { Action, Plan, PlanNode } from '../../../../src/model/plan-answer';
import './plan-answer.css';

const SYMBOL: Record<Action, string> = { create: '+', update: '~', 'no-op': '=', delete: '-' };

/** A value as a change shows it. */
const shown = (value: unknown): string => (value === undefined ? '(none)' : JSON.stringify(value));

function Basis({ plan }: { readonly plan: Plan }): ReactNode {
  const applied = plan.compared_with;
  if (!applied) return <p className="muted">Never applied before: every node is new.</p>;
  const when = applied.applied_at ? ` on ${formatTime(applied.applied_at)}` : '';
  return (
    <p className="muted">
      Compared with the last apply of {plan.deployment_id}: {applied.version}, run <code>{applied.run_id}</code>
      {when}.
    </p>
  );
}

function Notice({
  title,
  items,
  className = 'notice',
}: {
  readonly title: string;
  readonly items: readonly ReactNode[];
  readonly className?: string;
}): ReactNode {
  if (items.length === 0) return null;
  return (
    <div className={className} role={className === 'error' ? 'alert' : undefined}>
      <h3>{title}</h3>
      <ul>
        {items.map((item, i) => (
          <li key={i}>{item}</li>
        ))}
      </ul>
    </div>
  );
}

export function PlanAnswer({
  plan,
  title,
  offline,
  className,
}: {
  readonly plan: Plan;
  readonly title: string;
  /** Where a plan that did not read the current state comes from, in words. */
  readonly offline: string;
  readonly className: string;
}): ReactNode {
  const counts = new Map<string, number>();
  for (const node of plan.nodes) counts.set(node.action, (counts.get(node.action) ?? 0) + 1);
  const byId = new Map(plan.nodes.map((node) => [node.node_id, node.resource_id]));
  const titleId = `${className}-title`;
  return (
    <section className={`card plan-preview ${className}`} aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      <p>
        {counted(plan.nodes.length, 'operation')} in {counted(plan.parallel_groups.length, 'group')}:{' '}
        {[...counts].map(([action, n]) => `${n} ${action}`).join(', ')} · estimated {formatSeconds(plan.estimated_time)}{' '}
        · mode {plan.mode} · {plan.live ? 'read from the current state' : offline}
      </p>
      {plan.concurrency.limits.length > 0 && (
        <p className="plan-limits">
          In flight at once: {plan.concurrency.max_parallel} nodes;{' '}
          {plan.concurrency.limits.map((l) => `${l.key} ${l.limit} (${counted(l.nodes, 'node')})`).join(', ')}
        </p>
      )}
      <Basis plan={plan} />
      <Notice
        title="This would fail: the current state could not be read"
        className="error"
        items={plan.nodes.flatMap((node) =>
          node.live_error ? [`${node.resource_id}: ${node.live_error.message} (${node.live_error.type})`] : [],
        )}
      />
      <Notice
        title="Cannot be undone by a rollback"
        className="notice irreversible"
        items={plan.irreversible.map((step) => (
          <>
            <strong>{step.resource_id}</strong>: {step.reason}
          </>
        ))}
      />
      <Notice title="Warnings" items={plan.warnings} />
      <h3>Nodes</h3>
      <ul className="plan-nodes">
        {plan.nodes.map((node) => (
          <NodeItem key={node.node_id} node={node} />
        ))}
      </ul>
      {plan.removed.length > 0 && (
        <>
          <h3>Removed from the config</h3>
          <ul className="plan-nodes" aria-label="Removed from the config">
            {plan.removed.map((node) => (
              <li key={node.node_id} className="plan-node" aria-label={`${node.resource_id}: removed`}>
                <span className="action action-delete">- removed</span> <strong>{node.resource_id}</strong>{' '}
                <span className="muted">
                  {node.type}
                  {node.region && ` · ${node.region}`} · an apply leaves it in place, not destroyed
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Parallel groups</h3>
      <ol className="plan-groups">
        {plan.parallel_groups.map((group, i) => (
          <li key={i}>{group.map((id) => byId.get(id) ?? id).join(', ')}</li>
        ))}
      </ol>
    </section>
  );
}

function NodeItem({ node }: { readonly node: PlanNode }): ReactNode {
  return (
    <li className="plan-node" aria-label={`${node.resource_id}: ${node.action}`}>
      <span className={`action action-${node.action}`}>
        {SYMBOL[node.action]} {node.action}
      </span>{' '}
      <strong>{node.resource_id}</strong>{' '}
      <span className="muted">
        {node.type}
        {node.region && ` · ${node.region}`} · group {node.group + 1}
      </span>
      {node.pauses_before && <span className="tag">waits for a continue</span>}
      {node.irreversible && <span className="tag danger-tag">irreversible: {node.irreversible}</span>}
      {node.changes.length > 0 && (
        <ul className="diff" aria-label={`Changes to ${node.resource_id}`}>
          {node.changes.map((c) => (
            <li key={c.path}>
              <code>{c.path}</code>: <del>{shown(c.before)}</del> → <ins>{shown(c.after)}</ins>
            </li>
          ))}
        </ul>
      )}
      {node.diff.length > 0 && (
        <ul className="diff" aria-label={`Current state of ${node.resource_id} differs`}>
          {node.diff.map((d) => (
            <li key={d.property}>
              <code>{d.property}</code>: <del>{shown(d.actual)}</del> → <ins>{shown(d.desired)}</ins>
            </li>
          ))}
        </ul>
      )}
      {node.warnings.map((warning) => (
        <p key={warning} className="muted">
          {warning}
        </p>
      ))}
    </li>
  );
}
