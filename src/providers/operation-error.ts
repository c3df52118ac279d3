/**
 * Provider faults, classified once (DESIGN.md §5). Operations throw `OperationError`; the activity
 * layer turns it into a Temporal ApplicationFailure whose `type` is the error_type the API reports.
 */
export type ErrorType =
  | 'auth' // 401: credentials rejected
  | 'permission' // 403: missing permission or scope
  | 'not_found' // 404
  | 'invalid_input' // 422 / validation: fix the config
  | 'conflict' // a resource of that name exists and is not ours
  | 'rate_limited' // 429 or 403 with rate-limit headers: retry after reset
  | 'unavailable' // 5xx, network: retry with backoff
  | 'reference' // a reference to a missing output
  | 'operation_failed'; // the operation itself reported failure (e.g. core:delay fail_times)

const RETRYABLE: ReadonlySet<ErrorType> = new Set(['rate_limited', 'unavailable', 'operation_failed']);

export class OperationError extends Error {
  override readonly name = 'OperationError';
  readonly retryable: boolean;
  constructor(
    readonly type: ErrorType,
    message: string,
    options: { retryable?: boolean; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? RETRYABLE.has(type);
    this.retryAfterMs = options.retryAfterMs;
  }
  readonly retryAfterMs: number | undefined;
}
