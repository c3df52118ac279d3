/**
 * A template's plan (POST /templates/{id}/plan): its operations in order with their parallel
 * groups, the estimated time, warnings and irreversible steps. A live plan (credentials given)
 * reads the current state: a node that refuses there (seed 003's "Pod acme/prod already exists.")
 * is shown as what will stop the run.
 */
import type { ReactNode } from 'react';
import { formatSeconds } from '../history/format';
import type { Plan } from '../plan/plan-types';

export function TemplatePreview({ plan }: { readonly plan: Plan }): ReactNode {
  const refusals = plan.nodes.filter((n) => n.live_error);
  const names = new Map(plan.nodes.map((n) => [n.node_id, n.resource_id]));
  return (
    <section className="card template-preview" aria-labelledby="template-preview-title">
      <h2 id="template-preview-title">Preview: {plan.deployment_id}</h2>
      <p>
        {plan.nodes.length} operation{plan.nodes.length === 1 ? '' : 's'} in {plan.parallel_groups.length} group
        {plan.parallel_groups.length === 1 ? '' : 's'} · estimated {formatSeconds(plan.estimated_time)} ·{' '}
        {plan.live ? 'checked against the current state' : 'from the template (give credentials to check the state)'}
      </p>
      {refusals.length > 0 && (
        <div role="alert" className="error">
          <strong>This would fail:</strong>
          <ul>
            {refusals.map((n) => (
              <li key={n.node_id}>
                {n.resource_id}: {n.live_error?.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {plan.warnings.length > 0 && (
        <div className="notice">
          <strong>Warnings</strong>
          <ul>
            {plan.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <table>
        <caption className="visually-hidden">Operations</caption>
        <thead>
          <tr>
            <th scope="col">Operation</th>
            <th scope="col">Type</th>
            <th scope="col">Action</th>
            <th scope="col">Group</th>
            <th scope="col">Notes</th>
          </tr>
        </thead>
        <tbody>
          {plan.nodes.map((n) => (
            <tr key={n.node_id}>
              <th scope="row">{n.resource_id}</th>
              <td>
                <code>{n.type}</code>
              </td>
              <td>{n.action}</td>
              <td>{n.group + 1}</td>
              <td>
                {[
                  n.pauses_before && 'waits for a continue',
                  n.irreversible && `irreversible: ${n.irreversible}`,
                  ...n.warnings,
                ]
                  .filter(Boolean)
                  .join('; ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Parallel groups</h3>
      <ol>
        {plan.parallel_groups.map((group, i) => (
          <li key={i}>{group.map((id) => names.get(id) ?? id).join(', ')}</li>
        ))}
      </ol>
    </section>
  );
}
