/** Every template (GET /templates): the built-in ones, then the operator's; each opens its form. */
import type { ReactNode } from 'react';
import { get } from '../../api/client';
import { ErrorNotice } from '../../shell/error-notice';
import { href } from '../../shell/route';
import { useApi } from '../../shell/use-api';
import './templates.css';

export interface TemplateSummary {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly source: 'built-in' | 'operator';
}

export function TemplatesPage(): ReactNode {
  const { data, error, loading } = useApi(() => get<{ templates: TemplateSummary[] }>('/templates'), []);
  return (
    <>
      <h1>Templates</h1>
      <p className="muted">
        A form for each template: fill in its inputs, preview the plan, then apply it as a deployment.
      </p>
      <ErrorNotice error={error} title="Templates could not be loaded" />
      {loading && !data && <p className="muted">Loading…</p>}
      {data && data.templates.length === 0 && <p>No templates.</p>}
      <ul className="template-list">
        {data?.templates.map((t) => (
          <li key={t.id} className="card">
            <h2>
              <a href={href(['templates', t.id])}>{t.title}</a>
            </h2>
            <p className="muted">
              <code>{t.id}</code> · {t.source}
            </p>
            <p>{t.description}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
