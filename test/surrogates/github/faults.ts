/**
 * Fault injection, per test: a fault matches requests (method, path), fires with a probability
 * from a seeded generator (reproducible), at most `count` times, and happens BEFORE the request
 * is processed, so a faulted write has no effect and the client's retry is the only write.
 */
import type { Reply } from './routes/route';

export type FaultKind =
  /** A 5xx answer (default 502). */
  | { readonly kind: 'status'; readonly status?: number }
  /** Primary rate limit: 403 with x-ratelimit-remaining: 0 and a reset `reset_in_ms` ahead. */
  | { readonly kind: 'rate_limit_403'; readonly reset_in_ms?: number }
  /** 429 with x-ratelimit-remaining: 0, x-ratelimit-reset and retry-after. */
  | { readonly kind: 'rate_limit_429'; readonly reset_in_ms?: number }
  /** The connection is destroyed without an answer. */
  | { readonly kind: 'drop' }
  /** The request is delayed, then processed normally. */
  | { readonly kind: 'latency'; readonly ms: number };

export type Fault = FaultKind & {
  readonly method?: string;
  /** Matched against the request path (without the query). */
  readonly path?: RegExp;
  /** 0..1, default 1. */
  readonly probability?: number;
  /** Fires at most this many times. */
  readonly count?: number;
};

interface Armed {
  readonly fault: Fault;
  fired: number;
}

/** mulberry32: a small seeded generator, so a failing fault test replays identically. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class Faults {
  private armed: Armed[] = [];
  private random: () => number;
  /** Faults that fired, by kind. */
  readonly fired = new Map<string, number>();

  constructor(seed = 1) {
    this.random = seeded(seed);
  }

  add(fault: Fault): void {
    this.armed.push({ fault, fired: 0 });
  }

  clear(seed = 1): void {
    this.armed = [];
    this.fired.clear();
    this.random = seeded(seed);
  }

  /** The faults to apply to this request, in the order they were added (latency first, then at most one failure). */
  pick(method: string, path: string): FaultKind[] {
    const picked: FaultKind[] = [];
    let failed = false;
    for (const entry of this.armed) {
      const { fault } = entry;
      if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) continue;
      if (fault.path && !fault.path.test(path)) continue;
      if (fault.count !== undefined && entry.fired >= fault.count) continue;
      if (fault.kind !== 'latency' && failed) continue;
      if (this.random() >= (fault.probability ?? 1)) continue;
      entry.fired += 1;
      this.fired.set(fault.kind, (this.fired.get(fault.kind) ?? 0) + 1);
      if (fault.kind !== 'latency') failed = true;
      picked.push(fault);
    }
    return picked.sort((a, b) => Number(b.kind === 'latency') - Number(a.kind === 'latency'));
  }
}

/** The answer a failure fault gives instead of the request's own. */
export function faultReply(fault: FaultKind): Reply {
  const resetIn = fault.kind === 'rate_limit_403' || fault.kind === 'rate_limit_429' ? (fault.reset_in_ms ?? 1_000) : 0;
  const reset = String(Math.ceil((Date.now() + resetIn) / 1000));
  switch (fault.kind) {
    case 'status':
      return {
        status: fault.status ?? 502,
        body: { message: 'Server Error', documentation_url: 'https://docs.github.com/rest' },
      };
    case 'rate_limit_403':
      return {
        status: 403,
        body: {
          message: 'API rate limit exceeded for user.',
          documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
        },
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      };
    case 'rate_limit_429':
      return {
        status: 429,
        body: {
          message: 'API rate limit exceeded for user.',
          documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
        },
        headers: {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': reset,
          'retry-after': String(Math.ceil(resetIn / 1000)),
        },
      };
    default:
      throw new Error(`fault ${fault.kind} has no reply`);
  }
}
