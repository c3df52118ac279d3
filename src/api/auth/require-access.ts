/** Route guard: authenticates the presented key (when keys are configured) and checks its role. */
import type { RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from '../errors/api-errors';
import { presentedKey, type ApiKeyIndex } from './api-key-index';
import { LOCAL_OPERATOR, roleAllows, type Access } from './principal';

export function requireAccess(keyring: ApiKeyIndex, access: Access): RequestHandler {
  return (req, res, next) => {
    if (access === 'public') {
      // No key needed; a valid one still says who calls (public routes may show an admin more).
      const key = keyring.enabled ? presentedKey(req) : null;
      const known = key === null ? null : keyring.principalFor(key);
      if (!keyring.enabled || known) res.locals['principal'] = known ?? LOCAL_OPERATOR;
      next();
      return;
    }
    let principal = LOCAL_OPERATOR;
    if (keyring.enabled) {
      const key = presentedKey(req);
      if (key === null)
        throw new UnauthorizedError('an API key is required: send Authorization: Bearer <key> or x-api-key');
      const found = keyring.principalFor(key);
      if (!found) throw new UnauthorizedError('the API key is not valid');
      principal = found;
    }
    if (!roleAllows(principal.role, access)) {
      throw new ForbiddenError(`this key's role (${principal.role}) cannot do this: it needs ${access}`);
    }
    res.locals['principal'] = principal;
    next();
  };
}
