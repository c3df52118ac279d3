/**
 * `API_KEYS`: the gateway's keys, each bound to a tenant and a role. Either JSON
 * (`[{"key":"…","tenant":"acme","role":"operate"}]`) or the compact `key:tenant:role,key2:tenant2:role2`.
 * Parse errors name the entry by position, never the key itself.
 */
import { z } from 'zod';

export const API_ROLES = ['read', 'operate', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export const apiKeySchema = z.object({
  key: z.string().min(16, 'must be at least 16 characters'),
  tenant: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1-63 characters of a-z, 0-9, _ and -'),
  role: z.enum(API_ROLES),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

/** Splits the compact form; JSON is left to zod. Returns entries as plain objects to validate. */
function entries(raw: string): unknown {
  const text = raw.trim();
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return 'invalid JSON';
    }
  }
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [key, tenant, role, ...rest] = part.split(':');
      return rest.length ? { key, tenant, role: `${role ?? ''}:${rest.join(':')}` } : { key, tenant, role };
    });
}

export const apiKeysSchema = z
  .string()
  .transform(entries)
  .pipe(z.array(apiKeySchema, 'must be a JSON array or key:tenant:role,… entries'))
  .refine((keys) => new Set(keys.map((k) => k.key)).size === keys.length, 'the same key appears twice');
