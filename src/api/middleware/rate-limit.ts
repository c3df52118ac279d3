/**
 * Per-client rate limit: requests are counted per verified API key, or per client address when no
 * valid key is sent (see client-identity.ts). Over the limit: a 429 in the gateway's error shape
 * with `Retry-After`.
 */
import type { RequestHandler } from 'express';
import { rateLimit, type AugmentedRequest } from 'express-rate-limit';
import { ApiError } from '../errors/api-errors';
import type { ClientIdentity } from './client-identity';

export interface RateLimitOptions {
  readonly windowMs: number;
  readonly limit: number;
}

export function perKeyRateLimit(options: RateLimitOptions, identify: ClientIdentity): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: identify,
    handler(req, _res, next) {
      const resetAt = (req as AugmentedRequest)['rateLimit']?.resetTime?.getTime() ?? Date.now() + options.windowMs;
      const retryAfter = Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
      next(
        new ApiError(
          429,
          'rate_limited',
          `too many requests: at most ${options.limit} per ${options.windowMs / 1000} s per API key (per client address without a valid key); retry in ${retryAfter} s`,
          { limit: options.limit, window_seconds: options.windowMs / 1000 },
          { 'Retry-After': String(retryAfter) },
        ),
      );
    },
  });
}
