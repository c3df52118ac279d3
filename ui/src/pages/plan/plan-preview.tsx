/**
 * A plan as the page shows it: per node action and what changes, parallel groups, time,
 * irreversible steps, warnings. The actions and changes are the API's: a live plan's from the
 * resource types' reading of the current state, else from comparing the config with the
 * deployment's last apply (`compared_with`), which the page names.
 */
import type { ReactNode } from 'react';
import { formatSeconds } from '../history/format';
import type { Action, Plan, PlanNode } from './plan-types';

const SYMBOL: Record<Action, string> = { create: '+', update: '~', 'no-op': '=', delete: '-' };

/** A value as a change shows it. */
const shown = (value: unknown): string => (value === undefined ? '(none)' : JSON.stringify(value));

function Basis({ plan }: { readonly plan: Plan }): ReactNode {
  const applied = plan.compared_with;
  if (!applied) return <p className="muted">Never applied before: every node is new.</p>;
  const when = applied.applied_at ? ` on ${new Date(applied.applied_at).toLocaleString()}` : '';
  return (
    <p className="muted">
      Compared with the last apply of {plan.deployment_id}: {applied.version}, run <code>{applied.run_id}</code>
      {when}.
    </p>
  );
}

export function PlanPreview({ plan }: { readonly plan: Plan }): ReactNode {
  const counts = new Map<string, number>();
  for (const node of plan.nodes) counts.set(node.action, (counts.get(node.action) ?? 0) + 1);
  const byId = new Map(plan.nodes.map((node) => [node.node_id, node.resource_id]));
  return (
    <section className="card plan-preview" aria-labelledby="preview-title">
      <h2 id="preview-title">
        Plan: {plan.deployment_id} {plan.version}
      </h2>
      <p>
        {[...counts].map(([action, n]) => `${n} ${action}`).join(', ')} · estimated {formatSeconds(plan.estimated_time)}{' '}
        · mode {plan.mode} · {plan.live ? 'read from the current state' : 'from the config'}
      </p>
      <Basis plan={plan} />
      {plan.irreversible.length > 0 && (
        <div className="notice irreversible">
          <h3>Cannot be undone by a rollback</h3>
          <ul>
            {plan.irreversible.map((step) => (
              <li key={step.node_id}>
                <strong>{step.resource_id}</strong>: {step.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {plan.warnings.length > 0 && (
        <div className="notice">
          <h3>Warnings</h3>
          <ul>
            {plan.warnings.map((warning, i) => (
              <li key={i}>{warning}</li>
            ))}
          </ul>
        </div>
      )}
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
      {node.irreversible && <span className="tag danger-tag">irreversible</span>}
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
      {node.live_error && (
        <p className="muted">
          Current state unreadable ({node.live_error.type}): {node.live_error.message}
        </p>
      )}
    </li>
  );
}
