/**
 * DNS rebinding guard for the API without keys. Without API_KEYS the API has no authentication and
 * trusts that only local processes reach 127.0.0.1; a web page the operator visits could still
 * reach it by rebinding its own name to 127.0.0.1, but the browser then sends that name as Host.
 * So without keys only loopback Host names (`localhost`, `127.0.0.1`, `[::1]`, any port) and the
 * names in PUBLIC_HOSTNAMES are answered; any other is a 403. With API_KEYS every Host is accepted
 * (the keys are the protection).
 */
import type { RequestHandler } from 'express';
import { ApiError } from '../errors/api-errors';

export const LOOPBACK_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** The name of a Host header without its port, lower-case, without a trailing dot; null when absent. */
export function hostName(header: string | undefined): string | null {
  const host = header?.trim().toLowerCase();
  if (!host) return null;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

export function allowedHosts(publicHostnames: readonly string[] | undefined): RequestHandler {
  const allowed = new Set([...LOOPBACK_HOSTNAMES, ...(publicHostnames ?? []).map((h) => h.toLowerCase())]);
  return (req, _res, next) => {
    const name = hostName(req.headers.host);
    if (name !== null && allowed.has(name)) {
      next();
      return;
    }
    const shown = (req.headers.host ?? '').slice(0, 255);
    throw new ApiError(
      403,
      'host_not_allowed',
      `${shown ? `Host "${shown}"` : 'a request without a Host header'} is not allowed: without API_KEYS this API answers only to ${[...allowed].join(', ')} (any port), to keep web pages from reaching it through DNS rebinding; add the name to PUBLIC_HOSTNAMES (comma-separated) to allow it, or set API_KEYS`,
      { host: shown || null, allowed: [...allowed] },
    );
  };
}
