/** An API error as the service gave it: its message, type and status, and the fields it names. */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

export function ErrorNotice({ error, title }: { readonly error: unknown; readonly title?: string }): ReactNode {
  if (error === undefined || error === null) return null;
  const message = error instanceof Error ? error.message : JSON.stringify(error);
  const details = error instanceof ApiError ? detailsOf(error.details) : [];
  return (
    <div role="alert" className="error">
      {title && <strong>{title}: </strong>}
      {message}
      {error instanceof ApiError && (
        <span className="muted">
          {' '}
          ({error.status} {error.type})
        </span>
      )}
      {details.length > 0 && (
        <ul>
          {details.map((detail, i) => (
            <li key={i}>{describe(detail)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The problems an error names: a 400's `details.issues` (each with its field path), or a plain list. */
function detailsOf(details: unknown): unknown[] {
  if (Array.isArray(details)) return details as unknown[];
  const issues = (details as { issues?: unknown } | null | undefined)?.issues;
  return Array.isArray(issues) ? (issues as unknown[]) : [];
}

function describe(detail: unknown): string {
  if (detail && typeof detail === 'object' && 'message' in detail) {
    const { path, message } = detail as { path?: string | readonly (string | number)[]; message: string };
    const where = typeof path === 'string' ? path : path?.join('.');
    return where ? `${where}: ${message}` : message;
  }
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}
