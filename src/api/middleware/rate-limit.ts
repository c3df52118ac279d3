/**
 * Per-key rate limit: requests are counted per presented API key (by digest), or per client IP
 * when no key is sent. Over the limit: a 429 in the gateway's error shape with `Retry-After`.
 */
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type AugmentedRequest } from 'express-rate-limit';
import { presentedKey } from '../auth/api-key-index';
import { ApiError } from '../errors/api-errors';

export interface RateLimitOptions {
  readonly windowMs: number;
  readonly limit: number;
}

export function perKeyRateLimit(options: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator(req) {
      const key = presentedKey(req);
      return key === null
        ? `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`
        : `key:${createHash('sha256').update(key).digest('hex')}`;
    },
    handler(req, _res, next) {
      const resetAt = (req as AugmentedRequest)['rateLimit']?.resetTime?.getTime() ?? Date.now() + options.windowMs;
      const retryAfter = Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
      next(
        new ApiError(
          429,
          'rate_limited',
          `too many requests: at most ${options.limit} per ${options.windowMs / 1000} s per key; retry in ${retryAfter} s`,
          { limit: options.limit, window_seconds: options.windowMs / 1000 },
          { 'Retry-After': String(retryAfter) },
        ),
      );
    },
  });
}
