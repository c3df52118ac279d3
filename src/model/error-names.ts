/**
 * Seed 003's names for errors, beside our `error_type` (docs/reference/errors.md#seed-003-names):
 * the seed's error pages say `forbidden`, `not_found`, `validation`, `conflict`, `api_error`,
 * `service_unavailable` and `server_error`, and show a rate limit's remaining quota and reset
 * time. A GitHub answer's HTTP status decides its error_type (src/resources/github/errors.ts), so
 * the name follows from the error_type alone. Pure: the workflow records these into a node's state.
 */

export const ERROR_NAMES = [
  'forbidden',
  'not_found',
  'validation',
  'conflict',
  'rate_limited',
  'api_error',
  'service_unavailable',
  'server_error',
] as const;
export type ErrorName = (typeof ERROR_NAMES)[number];

const NAME_OF_TYPE: Readonly<Record<string, ErrorName>> = {
  // 401: the seed handles 403, 404 and 422 one by one; any other GitHub refusal is its api_error.
  auth: 'api_error',
  permission: 'forbidden',
  not_found: 'not_found',
  invalid_input: 'validation',
  reference: 'validation',
  conflict: 'conflict',
  rate_limited: 'rate_limited',
  unavailable: 'service_unavailable',
};

/** Seed 003's name of an error_type; everything that is no provider's refusal is its catch-all, server_error. */
export const errorName = (errorType: string): ErrorName => NAME_OF_TYPE[errorType] ?? 'server_error';

/** A rate limit a node ran into: the calls left before the reset (none: it was refused) and the reset. */
export interface ErrorRateLimit {
  readonly remaining: number;
  /** When the provider said the limit resets (Unix seconds), or null when it did not say. */
  readonly reset_at: number | null;
}

/** A node's error, as its state records it. */
export interface NodeError {
  error: string | null;
  error_type: string | null;
  error_name: ErrorName | null;
  error_rate_limit: ErrorRateLimit | null;
}

export const NO_ERROR: Readonly<NodeError> = {
  error: null,
  error_type: null,
  error_name: null,
  error_rate_limit: null,
};

/** What an activity's failure details carry besides the attempt (src/activities/to-failure.ts). */
export interface FailureDetails {
  readonly attempt?: number;
  /** Rate limits only: when the provider said the limit resets (Unix seconds). */
  readonly reset_at?: number;
}

/** A node's error from its message, error_type and the failure's details (if any). */
export function nodeError(message: string, errorType: string, details?: FailureDetails): NodeError {
  const name = errorName(errorType);
  return {
    error: message,
    error_type: errorType,
    error_name: name,
    error_rate_limit: name === 'rate_limited' ? { remaining: 0, reset_at: details?.reset_at ?? null } : null,
  };
}
