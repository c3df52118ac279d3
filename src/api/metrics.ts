/**
 * Prometheus metrics of one app instance (its own registry, so several apps in one process do not
 * collide): HTTP requests by route and status, runs started through the API, and runs by outcome
 * read from Temporal visibility at scrape time (a scrape during an outage just omits those).
 */
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RUN_PHASES, type RunPhase } from '../model/run-types';

export interface ApiMetrics {
  readonly registry: Registry;
  readonly runsStarted: Counter<'action' | 'mode'>;
  /** Records method, matched route and status of every request. */
  readonly middleware: RequestHandler;
}

/** `countRuns(phase)` returns how many runs are in that phase (their `DeploymentStatus`). */
export function createMetrics(countRuns: (phase: RunPhase) => Promise<number>): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const runsStarted = new Counter({
    name: 'deployment_runs_started_total',
    help: 'Runs started through the API',
    labelNames: ['action', 'mode'],
    registers: [registry],
  });
  new Gauge({
    name: 'deployment_runs',
    help: 'Deployment runs by outcome (DeploymentStatus), from Temporal visibility',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      try {
        const counts = await Promise.all(RUN_PHASES.map(async (phase) => [phase, await countRuns(phase)] as const));
        for (const [phase, count] of counts) this.set({ status: phase }, count);
      } catch {
        this.reset();
      }
    },
  });
  const middleware: RequestHandler = (req, res, next) => {
    const stop = latency.startTimer();
    res.on('finish', () => {
      const path = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      requests.inc(labels);
      stop(labels);
    });
    next();
  };
  return { registry, runsStarted, middleware };
}
