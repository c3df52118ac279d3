/**
 * Who a request counts against, for rate limits and stream caps. With API_KEYS: a verified key
 * (its tenant and digest), else the client address, so keys that are missing, made up or unknown
 * all collapse to one address and a caller cannot mint fresh budgets (or grow the limiter's
 * memory) by inventing keys. Without API_KEYS (loopback only, one local operator) a presented key
 * is just the local caller's label, as before.
 */
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { presentedKey, type ApiKeyIndex } from '../auth/api-key-index';

export type ClientIdentity = (req: Request) => string;

const digest = (key: string): string => createHash('sha256').update(key).digest('hex');

export function clientIdentity(keyring: ApiKeyIndex): ClientIdentity {
  return (req) => {
    const key = presentedKey(req);
    if (key !== null && !keyring.enabled) return `local:${digest(key)}`;
    const principal = key === null ? null : keyring.principalFor(key);
    if (key !== null && principal) return `key:${principal.tenant}:${digest(key)}`;
    return `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
  };
}
