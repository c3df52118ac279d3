/** The token's own account (`GET /user`, scopes in x-oauth-scopes) and its rate limit. */
import { privateUser, rateLimitOverview } from '../fixtures';
import type { Route } from './route';

export const RATE_LIMIT = 5000;

/** Core limit resets on the hour, as GitHub's does. */
export const resetEpochSeconds = (now = Date.now()): number => Math.ceil(now / 3_600_000) * 3600;

export const accountRoutes: readonly Route[] = [
  { method: 'get', template: '/user', scopes: [], handle: (req) => ({ status: 200, body: privateUser(req.account) }) },
  {
    method: 'get',
    template: '/rate_limit',
    scopes: [],
    handle: (req) => ({ status: 200, body: rateLimitOverview(RATE_LIMIT, req.account.used, resetEpochSeconds()) }),
  },
];
