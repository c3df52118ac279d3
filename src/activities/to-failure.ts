/**
 * The one place provider faults become Temporal failures: the failure `type` is the error_type
 * the status API reports, non-retryable classes are not retried, rate limits wait for the reset.
 */
import { ApplicationFailure } from '@temporalio/common';
import { ZodError } from 'zod';
import { OperationError } from '../providers/operation-error';

export function toFailure(err: unknown, attempt: number): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof OperationError) {
    return ApplicationFailure.create({
      type: err.type,
      message: err.message,
      nonRetryable: !err.retryable,
      ...(err.retryAfterMs === undefined ? {} : { nextRetryDelay: err.retryAfterMs }),
      details: [{ attempt }],
    });
  }
  if (err instanceof ZodError) {
    const issues = err.issues.map((issue) => `properties.${issue.path.join('.')}: ${issue.message}`).join('; ');
    return ApplicationFailure.create({
      type: 'invalid_input',
      message: issues,
      nonRetryable: true,
      details: [{ attempt }],
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return ApplicationFailure.create({ type: 'unavailable', message, nonRetryable: false, details: [{ attempt }] });
}
