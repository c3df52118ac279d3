/**
 * Errors the gateway answers with a status of its own. Handlers and services throw them; the one
 * error middleware renders `{ "error": { "type", "message", "details", "request_id" } }`.
 */

/** One failing field of a request: its dotted path and what is wrong with it. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
  readonly resource_id?: string | undefined;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly details: unknown = null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** 400: every failing field at once, never only the first. */
export class ValidationError extends ApiError {
  override readonly name = 'ValidationError';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(
      400,
      'validation_error',
      `the request is invalid: ${issues.length} problem${issues.length === 1 ? '' : 's'}`,
      { issues },
    );
  }
}

export class UnauthorizedError extends ApiError {
  override readonly name = 'UnauthorizedError';
  constructor(message: string) {
    super(401, 'unauthorized', message, null, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class ForbiddenError extends ApiError {
  override readonly name = 'ForbiddenError';
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

/** 404, also for another tenant's deployment: its existence is never revealed. */
export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
  constructor(what: string) {
    super(404, 'not_found', `${what} not found`);
  }
}

/** 409: the request does not fit the current state (a run is active, a run cannot take a decision now). */
export class ConflictError extends ApiError {
  override readonly name = 'ConflictError';
  constructor(
    type: 'run_active' | 'wrong_state' | 'already_exists' | 'plan_mismatch' | 'in_use',
    message: string,
    details: unknown = null,
  ) {
    super(409, type, message, details);
  }
}

/** 503: Temporal (or another service the gateway needs) cannot be reached right now. */
export class UnavailableError extends ApiError {
  override readonly name = 'UnavailableError';
  constructor(message: string, type: 'temporal_unavailable' | 'store_unavailable' = 'temporal_unavailable') {
    super(503, type, message, null, { 'Retry-After': '5' });
  }
}
