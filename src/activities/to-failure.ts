/**
 * The one place provider faults become Temporal failures: the failure `type` is the error_type
 * the status API reports, non-retryable classes are not retried, rate limits wait for the reset.
 * The details carry the attempt and, for a rate limit, when it resets (the node's error_rate_limit).
 */
import { ApplicationFailure } from '@temporalio/common';
import { ZodError } from 'zod';
import type { FailureDetails } from '../model/error-names';
import { OperationError } from '../providers/operation-error';

/** Unix seconds at which a rate limit resets: retryAfterMs is counted from the provider's answer. */
const resetAt = (retryAfterMs: number): number => Math.ceil((Date.now() + retryAfterMs) / 1_000);

export function toFailure(err: unknown, attempt: number): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof OperationError) {
    const { retryAfterMs } = err;
    const details: FailureDetails =
      err.type === 'rate_limited' && retryAfterMs !== undefined
        ? { attempt, reset_at: resetAt(retryAfterMs) }
        : { attempt };
    return ApplicationFailure.create({
      type: err.type,
      message: err.message,
      nonRetryable: !err.retryable,
      ...(retryAfterMs === undefined ? {} : { nextRetryDelay: retryAfterMs }),
      details: [details],
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
