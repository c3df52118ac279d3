/** Validation issues: one problem, the dotted path of its field, and the resource it concerns. */
import type { z } from 'zod';

export interface ValidationIssue {
  /** Dotted path of the field, e.g. `resources.api-lambda.properties.memory_size`; '' for the whole config. */
  readonly path: string;
  /** The resource the problem concerns, or null for deployment-level fields. */
  readonly resource_id: string | null;
  readonly message: string;
}

export type IssuePath = readonly PropertyKey[];

export function issue(path: IssuePath, message: string): ValidationIssue {
  return {
    path: path.map(String).join('.'),
    resource_id: path[0] === 'resources' && path.length > 1 ? String(path[1]) : null,
    message,
  };
}

/** A union branch that failed only because the value has another type altogether. */
const wrongTypeOnly = (branch: readonly z.core.$ZodIssue[]): boolean =>
  branch.every((i) => i.code === 'invalid_type' && i.path.length === 0);

/**
 * zod issues as validation issues under `base`. A union reports the problems of the one branch
 * whose type the value has (e.g. a depends_on object with a bad `edge`), else the union's own
 * message; a bad record key names the key.
 */
export function fromZod(issues: readonly z.core.$ZodIssue[], base: IssuePath = []): ValidationIssue[] {
  return issues.flatMap((i) => {
    const path = [...base, ...i.path];
    if (i.code === 'invalid_union') {
      const matching = i.errors.filter((branch) => !wrongTypeOnly(branch));
      if (matching.length === 1) return fromZod(matching[0] ?? [], path);
    }
    if (i.code === 'invalid_key')
      return [
        issue(
          path,
          `"${String(path[path.length - 1])}" is not a valid key: ${i.issues.map((k) => k.message).join('; ')}`,
        ),
      ];
    return [issue(path, i.message)];
  });
}
