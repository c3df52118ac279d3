/**
 * Prometheus metrics of one app instance (its own registries, so several apps in one process do not
 * collide): HTTP requests by route and status, runs started through the API, and runs by outcome
 * read from Temporal visibility at scrape time (a scrape during an outage just omits those).
 *
 * Per tenant: a scrape shows the process's own metrics and, of the requests and runs, only those of
 * the caller's tenant (issue 23 finding 13). Requests, and runs started while serving them, are
 * counted for the tenant of the key that made the request; requests without a valid key under no
 * tenant, which only a caller without a tenant sees: the local operator without API_KEYS, who sees
 * them all.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RUN_PHASES, type RunPhase } from '../model/run-types';
import type { Principal } from './auth/principal';

/** Runs of the caller's tenant in a phase (their `DeploymentStatus`). */
export type CountRuns = (phase: RunPhase) => Promise<number>;

export interface ApiMetrics {
  /** The Prometheus text format's content type. */
  readonly contentType: string;
  /** Counts a run started through the API, for the tenant of the request that started it. */
  readonly runsStarted: { inc(labels: { action: string; mode: string }): void };
  /** Records method, matched route and status of every request, for the tenant of its key. */
  readonly middleware: RequestHandler;
  /** What a caller of `tenant` may see, with `deployment_runs` from `countRuns` (that tenant's runs). */
  scrape(tenant: string | null, countRuns: CountRuns): Promise<string>;
}

const LABELS = ['method', 'route', 'status'] as const;

/** The requests and run starts of one tenant, in a registry of their own. */
function tenantSeries() {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: LABELS,
      registers,
    }),
    latency: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: LABELS,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    runsStarted: new Counter({
      name: 'deployment_runs_started_total',
      help: 'Runs started through the API',
      labelNames: ['action', 'mode'],
      registers,
    }),
  };
}

/** The tenant of the key a request was made with (the route's key check sets it once verified); null without a valid key. */
const tenantOf = (res: Response | undefined): string | null =>
  (res?.locals['principal'] as Principal | undefined)?.tenant ?? null;

/** `deployment_runs` by outcome, counted now; without samples when visibility cannot be read. */
async function runsByOutcome(countRuns: CountRuns): Promise<Registry> {
  const registry = new Registry();
  const gauge = new Gauge({
    name: 'deployment_runs',
    help: 'Deployment runs by outcome (DeploymentStatus), from Temporal visibility',
    labelNames: ['status'],
    registers: [registry],
  });
  try {
    const counts = await Promise.all(RUN_PHASES.map(async (phase) => [phase, await countRuns(phase)] as const));
    for (const [phase, count] of counts) gauge.set({ status: phase }, count);
  } catch {
    gauge.reset();
  }
  return registry;
}

/** The app's metrics; a scrape counts the caller's runs with the `countRuns` it is given. */
export function createMetrics(): ApiMetrics {
  const processMetrics = new Registry();
  collectDefaultMetrics({ register: processMetrics });
  const tenants = new Map<string | null, ReturnType<typeof tenantSeries>>();
  const seriesOf = (tenant: string | null) => {
    let series = tenants.get(tenant);
    if (!series) tenants.set(tenant, (series = tenantSeries()));
    return series;
  };
  // The request being served, for what is counted while serving it (the runs it starts).
  const serving = new AsyncLocalStorage<Response>();
  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const path = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      const series = seriesOf(tenantOf(res));
      series.requests.inc(labels);
      series.latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    serving.run(res, next);
  };
  return {
    contentType: processMetrics.contentType,
    runsStarted: {
      inc(labels) {
        seriesOf(tenantOf(serving.getStore())).runsStarted.inc(labels);
      },
    },
    middleware,
    async scrape(tenant, countRuns) {
      const registries = [processMetrics, seriesOf(tenant).registry, await runsByOutcome(countRuns)];
      return Registry.merge(registries).metrics();
    },
  };
}
