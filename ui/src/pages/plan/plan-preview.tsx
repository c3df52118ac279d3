/** A plan as the page shows it: per node action and diff, parallel groups, time, irreversible steps, warnings. */
import type { ReactNode } from 'react';
import { formatSeconds } from '../history/format';
import type { AppliedConfig, Config } from './applied-configs';
import { nodeChanges, shown, SYMBOL, type NodeChanges } from './node-changes';
import type { Plan, PlanNode } from './plan-types';

interface Props {
  readonly plan: Plan;
  /** The config the plan was made from, and what this browser last applied of it. */
  readonly config: Config;
  readonly applied: AppliedConfig | null;
}

export function PlanPreview({ plan, config, applied }: Props): ReactNode {
  const nodes = plan.nodes.map((node) => ({ node, changes: nodeChanges(node, applied, config) }));
  const counts = new Map<string, number>();
  for (const { changes } of nodes) counts.set(changes.action, (counts.get(changes.action) ?? 0) + 1);
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
      {nodes.some(({ changes }) => changes.basis === 'applied') && applied && (
        <p className="muted">
          Compared with the config this browser applied on {new Date(applied.applied_at).toLocaleString()} (the API
          plans from the config only).
        </p>
      )}
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
        {nodes.map(({ node, changes }) => (
          <NodeItem key={node.node_id} node={node} changes={changes} />
        ))}
      </ul>
      <h3>Parallel groups</h3>
      <ol className="plan-groups">
        {plan.parallel_groups.map((group, i) => (
          <li key={i}>{group.map((id) => byId.get(id) ?? id).join(', ')}</li>
        ))}
      </ol>
    </section>
  );
}

function NodeItem({ node, changes }: { readonly node: PlanNode; readonly changes: NodeChanges }): ReactNode {
  return (
    <li className="plan-node" aria-label={`${node.resource_id}: ${changes.action}`}>
      <span className={`action action-${changes.action}`}>
        {SYMBOL[changes.action]} {changes.action}
      </span>{' '}
      <strong>{node.resource_id}</strong>{' '}
      <span className="muted">
        {node.type}
        {node.region && ` · ${node.region}`} · group {node.group + 1}
      </span>
      {node.pauses_before && <span className="tag">waits for a continue</span>}
      {node.irreversible && <span className="tag danger-tag">irreversible</span>}
      {changes.diff.length > 0 && (
        <ul className="diff" aria-label={`Changes to ${node.resource_id}`}>
          {changes.diff.map((d) => (
            <li key={d.property}>
              <code>{d.property}</code>: <del>{shown(d.before)}</del> → <ins>{shown(d.after)}</ins>
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
