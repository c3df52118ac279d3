/**
 * Why a plan or apply was refused. An invalid config (400) lists each problem by its field path,
 * from the answer's `validation_errors`; anything else is the service's error as ErrorNotice shows it.
 */
import type { ReactNode } from 'react';
import { ApiError } from '../../api/client';
import { ErrorNotice } from '../../shell/error-notice';

function problemsOf(error: unknown): readonly string[] {
  if (!(error instanceof ApiError) || error.status !== 400) return [];
  const problems = (error.body as { validation_errors?: unknown } | undefined)?.validation_errors;
  return Array.isArray(problems) ? problems.map(String) : [];
}

export function PlanError({ error, title }: { readonly error: unknown; readonly title: string }): ReactNode {
  const problems = problemsOf(error);
  if (problems.length === 0) return <ErrorNotice error={error} title={title} />;
  return (
    <div role="alert" className="error">
      <strong>{title}: the config is invalid</strong>
      <ul>
        {problems.map((problem, i) => (
          <li key={i}>
            <code>{problem}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
