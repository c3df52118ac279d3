/** Who is calling: a tenant and a role (read < operate < admin), from the API key presented. */
import type { Response } from 'express';
import { API_ROLES, type ApiRole } from '../../config/api-keys';

export interface Principal {
  /** Null without API_KEYS: the single local operator, whose runs carry no tenant. */
  readonly tenant: string | null;
  readonly role: ApiRole;
}

/** What an operation requires: no key at all, or a key with at least this role. */
export type Access = ApiRole | 'public';

/** Without API_KEYS (bound to 127.0.0.1 only): one local operator with every right. */
export const LOCAL_OPERATOR: Principal = { tenant: null, role: 'admin' };

export const roleAllows = (role: ApiRole, needed: ApiRole): boolean =>
  API_ROLES.indexOf(role) >= API_ROLES.indexOf(needed);

/** The principal the auth middleware attached to this request. */
export function principalOf(res: Response): Principal {
  const principal = res.locals['principal'] as Principal | undefined;
  if (!principal) throw new Error('no principal: the route was mounted without requireAccess');
  return principal;
}
