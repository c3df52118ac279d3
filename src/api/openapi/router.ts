/** Mounts operations on one Express router: access check, then the operation's parse-handle-reply. */
import { Router } from 'express';
import { requireAccess } from '../auth/require-access';
import type { ApiKeyIndex } from '../auth/api-key-index';
import { principalOf, type Principal } from '../auth/principal';
import type { Operation } from './operation';

/** Public routes called without a valid key (while API_KEYS is set) get a principal that owns nothing: tenant '' matches no run. */
const ANONYMOUS: Principal = { tenant: '', role: 'read' };

/** `/deploy/status/{id}` → `/deploy/status/:id`. */
export const expressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

export function toRouter(keyring: ApiKeyIndex, operations: readonly Operation[]): Router {
  const router = Router();
  for (const op of operations) {
    router[op.method](expressPath(op.path), requireAccess(keyring, op.access), (req, res) =>
      op.run(
        req,
        res,
        op.access === 'public' ? ((res.locals['principal'] as Principal | undefined) ?? ANONYMOUS) : principalOf(res),
      ),
    );
  }
  return router;
}
