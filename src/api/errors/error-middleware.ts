/**
 * The one place errors become HTTP: gateway errors keep their status, body-parser and Temporal
 * failures are mapped, anything else is a 500 that is logged and never shows its internals.
 */
import type { ErrorRequestHandler } from 'express';
import { ApiError, ValidationError, type FieldIssue } from './api-errors';
import { fromTemporal } from './temporal-errors';

/** body-parser's errors carry `type` and, for 413, the configured `limit` in bytes. */
interface BodyParserError {
  readonly type: string;
  readonly limit?: number;
}

const isBodyParserError = (err: unknown): err is BodyParserError =>
  typeof err === 'object' && err !== null && 'type' in err && typeof err.type === 'string' && 'status' in err;

function fromBodyParser(err: BodyParserError): ApiError | null {
  switch (err.type) {
    case 'entity.too.large':
      return new ApiError(413, 'payload_too_large', `the request body exceeds the limit of ${err.limit ?? 0} bytes`, {
        limit_bytes: err.limit ?? null,
      });
    case 'entity.parse.failed':
      return new ApiError(400, 'invalid_json', 'the request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, 'unsupported_media_type', 'the request body must be UTF-8 JSON');
    default:
      return null;
  }
}

export function toApiError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  return (isBodyParserError(err) ? fromBodyParser(err) : null) ?? fromTemporal(err);
}

export const errorMiddleware: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const known = toApiError(err);
  const error = known ?? new ApiError(500, 'internal', 'the server failed to handle this request');
  if (known === null) req.log.error({ err }, 'unhandled error');
  else if (error.status >= 500) req.log.warn({ err }, error.message);
  res
    .status(error.status)
    .set(error.headers)
    .json({
      error: {
        type: error.type,
        message: error.message,
        details: error.details,
        request_id: String(req.id as string | number),
      },
      // Seed 001's plan answer for an invalid config, beside the error object every client reads.
      ...(error instanceof ValidationError ? { success: false, validation_errors: error.issues.map(issueLine) } : {}),
    });
};

/** One problem as a line: `config.resources.fn.properties.runtime: must be …` (the path names resource and field). */
const issueLine = (issue: FieldIssue): string => `${issue.path}: ${issue.message}`;
