/** The token's own account (`GET /user`, scopes in x-oauth-scopes) and its rate limit. */
import { privateUser, rateLimitOverview } from '../fixtures';
import type { Account } from '../state';
import type { Reply, Route } from './route';

export const RATE_LIMIT = 5000;

/** Core limit resets on the hour, as GitHub's does. */
export const resetEpochSeconds = (now = Date.now()): number => Math.ceil(now / 3_600_000) * 3600;

/** The headers GitHub adds to every authenticated answer: the token's scopes and its rate limit. */
export function accountHeaders(account: Account, reply: Reply): Record<string, string> {
  const remaining = Math.max(0, RATE_LIMIT - account.used);
  return {
    'x-oauth-scopes': account.scopes.join(', '),
    'x-ratelimit-limit': String(RATE_LIMIT),
    'x-ratelimit-remaining': reply.headers?.['x-ratelimit-remaining'] ?? String(remaining),
    'x-ratelimit-used': String(account.used),
    'x-ratelimit-reset': reply.headers?.['x-ratelimit-reset'] ?? String(resetEpochSeconds()),
    'x-ratelimit-resource': 'core',
  };
}

export const accountRoutes: readonly Route[] = [
  { method: 'get', template: '/user', scopes: [], handle: (req) => ({ status: 200, body: privateUser(req.account) }) },
  {
    method: 'get',
    template: '/rate_limit',
    scopes: [],
    handle: (req) => ({ status: 200, body: rateLimitOverview(RATE_LIMIT, req.account.used, resetEpochSeconds()) }),
  },
];
