/**
 * The configured API keys, looked up by SHA-256 digest so a presented key is never compared
 * character by character, and never kept or logged in clear.
 */
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { ApiKey } from '../../config/api-keys';
import type { Principal } from './principal';

const digest = (key: string): string => createHash('sha256').update(key).digest('hex');

/** The key a request presents: `Authorization: Bearer <key>` or `x-api-key: <key>`. */
export function presentedKey(req: Request): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  const header = req.headers['x-api-key'];
  return bearer ?? (typeof header === 'string' && header.length > 0 ? header : null);
}

export class ApiKeyIndex {
  private readonly byDigest: ReadonlyMap<string, Principal>;

  constructor(keys: readonly ApiKey[] | undefined) {
    this.byDigest = new Map((keys ?? []).map((k) => [digest(k.key), { tenant: k.tenant, role: k.role }]));
  }

  /** False when API_KEYS is unset: the API is local-only and needs no key. */
  get enabled(): boolean {
    return this.byDigest.size > 0;
  }

  principalFor(key: string): Principal | null {
    return this.byDigest.get(digest(key)) ?? null;
  }
}
