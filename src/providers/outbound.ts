/**
 * Requests to URLs a config supplies (the Slack webhook today), guarded against server-side
 * request forgery (OWASP API7): the URL must be https, its host on the allow-list
 * (OUTBOUND_HOSTS, default hooks.slack.com), and every address it resolves to public: never
 * loopback, private, link-local (cloud metadata at 169.254.169.254 included), carrier-grade NAT,
 * multicast or reserved. Addresses are checked inside the connection's own DNS lookup, so what is
 * checked is what is connected to (no window for a rebinding answer), and again on every redirect.
 * Hosts in OUTBOUND_PRIVATE_HOSTS skip the address and https checks: an explicit opt-out for test
 * stand-ins and an on-premises relay. Refusals never name the URL (it is the secret) nor the
 * address found (that would answer a probe).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

export interface OutboundPolicy {
  /** Hosts a config's URL may name: `host` (any port) or `host:port`. */
  readonly hosts: readonly string[];
  /** Of those, the ones that may be plain http and resolve to loopback or private addresses. */
  readonly privateHosts: readonly string[];
}

export const DEFAULT_OUTBOUND: OutboundPolicy = { hosts: ['hooks.slack.com'], privateHosts: [] };

/** A URL the policy refuses; `reason` completes "refused: …" and names neither the URL nor an address. */
export class OutboundRefused extends Error {
  override readonly name = 'OutboundRefused';
  constructor(readonly reason: string) {
    super(`refused: ${reason}`);
  }
}

const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv6');

/** An IPv4 address an IPv6 one carries (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96), else null. */
function embeddedIpv4(address: string): string | null {
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted?.[1]) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex?.[1] || !hex[2]) return null;
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** Whether a request may connect to this address: public unicast only. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !BLOCKED.check(address, 'ipv4');
  if (family !== 6) return false;
  const v4 = embeddedIpv4(address.toLowerCase());
  return v4 === null ? !BLOCKED.check(address, 'ipv6') : isPublicAddress(v4);
}

const PRIVATE_ADDRESS = 'it resolves to a loopback, private, link-local or metadata address';

const listed = (hosts: readonly string[], url: URL): boolean =>
  hosts.some((entry) => entry.toLowerCase() === url.hostname.toLowerCase() || entry.toLowerCase() === url.host);

/** Checks what can be checked before connecting; `trusted`: a private host, whose addresses are not checked. */
function admit(policy: OutboundPolicy, url: URL): { readonly trusted: boolean } {
  if (!listed(policy.hosts, url))
    throw new OutboundRefused(`its host is not in OUTBOUND_HOSTS (${policy.hosts.join(', ')})`);
  const trusted = listed(policy.privateHosts, url);
  if (trusted) return { trusted };
  if (url.protocol !== 'https:') throw new OutboundRefused('it is not https');
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && !isPublicAddress(literal)) throw new OutboundRefused(PRIVATE_ADDRESS);
  return { trusted };
}

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

/** The connection's DNS lookup, refusing when any address the name resolves to is not public. */
function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address)))
      return callback(new OutboundRefused(PRIVATE_ADDRESS), []);
    if (options.all) return callback(null, addresses);
    const [first] = addresses as [LookupAddress];
    callback(null, first.address, first.family);
  });
}

export interface OutboundAnswer {
  readonly status: number;
  /** The answer's first 1,000 characters. */
  readonly body: string;
  readonly headers: IncomingMessage['headers'];
}

const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function send(url: URL, trusted: boolean, body: string, signal: AbortSignal | undefined): Promise<OutboundAnswer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      ...(trusted ? {} : { lookup: guardedLookup }),
      ...(signal ? { signal } : {}),
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text = (text + chunk).slice(0, 1_000)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      res.on('error', reject);
    });
    req.end(body);
  });
}

/**
 * POSTs `payload` as JSON to `target` under the policy, following up to 3 redirects (each checked
 * as the first URL was, the payload posted again). Throws OutboundRefused for what the policy
 * refuses; transport errors as Node raises them (their messages may name the URL: never pass them on).
 */
export async function postJson(
  policy: OutboundPolicy,
  target: string,
  payload: unknown,
  signal?: AbortSignal,
): Promise<OutboundAnswer> {
  const body = JSON.stringify(payload);
  let url = parseUrl(target);
  for (let hop = 0; ; hop++) {
    const { trusted } = admit(policy, url);
    const answer = await send(url, trusted, body, signal);
    const location = answer.headers.location;
    if (!REDIRECTS.has(answer.status) || typeof location !== 'string') return answer;
    if (hop === MAX_REDIRECTS) throw new OutboundRefused(`it redirects more than ${MAX_REDIRECTS} times`);
    url = parseUrl(location, url);
  }
}

/** Refuses (OutboundRefused) what the policy refuses of this URL without connecting: its form, host and literal address. */
export function checkUrl(policy: OutboundPolicy, target: string): void {
  admit(policy, parseUrl(target));
}

function parseUrl(text: string, base?: URL): URL {
  try {
    return new URL(text, base);
  } catch {
    throw new OutboundRefused('it is not a URL');
  }
}
