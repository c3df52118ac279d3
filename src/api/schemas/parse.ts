/** Request parsing with zod that reports every failing field (dotted paths), never only the first. */
import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '../errors/api-errors';

/** `['config', 'resources', 'api', 'depends_on', 0]` → `config.resources.api.depends_on[0]`. */
export function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, prefix);
}

/** One issue per failing field; an unknown key is reported at its own path. */
export const zodIssues = (error: z.ZodError, prefix: string): FieldIssue[] =>
  error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: fieldPath(prefix, [...issue.path, key]), message: 'is not a known field' }))
      : [{ path: fieldPath(prefix, issue.path), message: issue.message }],
  );

/** Parses `value` (the request's body, params, query or headers) or throws one 400 listing all problems. */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: 'body' | 'params' | 'query' | 'headers',
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(zodIssues(result.error, where === 'body' ? '' : where));
}
