/**
 * Why a plan or apply was refused. An invalid config (400) lists each problem by its field path
 * (the editor also marks them in place); anything else is the service's error as ErrorNotice shows it.
 */
import type { ReactNode } from 'react';
import { ApiError } from '../../api/client';
import { ErrorNotice } from '../../shell/error-notice';

/** One problem the API found in the config, named by its field (`config.resources.fn.properties.x`). */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/** A 400's problems (`error.details.issues`), or none. */
export function fieldProblems(error: unknown): readonly FieldProblem[] {
  if (!(error instanceof ApiError) || error.status !== 400) return [];
  const issues = (error.details as { issues?: unknown } | null | undefined)?.issues;
  return Array.isArray(issues) ? (issues as FieldProblem[]) : [];
}

export function PlanError({ error, title }: { readonly error: unknown; readonly title: string }): ReactNode {
  const problems = fieldProblems(error);
  if (problems.length === 0) return <ErrorNotice error={error} title={title} />;
  return (
    <div role="alert" className="error">
      <strong>{title}: the config is invalid</strong>
      <ul>
        {problems.map((problem, i) => (
          <li key={i}>
            <code>{problem.path}</code>: {problem.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
