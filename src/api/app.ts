/**
 * The REST gateway as an Express app (no listen: server.ts does that, tests use supertest).
 * Order: request id + logs, security headers, the Host check (without API_KEYS: loopback names and
 * PUBLIC_HOSTNAMES only, against DNS rebinding), metrics, the rate limit (per verified key, else
 * per client address), JSON bodies, then one router per concern (each route checks its key and
 * role), 404, and the one error middleware.
 */
import type { ServiceAwsTenants } from '../config/service-aws-identity';
import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { OperationDeps } from '../activities/operation-context';
import type { ApiKey } from '../config/api-keys';
import type { ServiceKey } from '../credentials/service-key';
import { ApiKeyIndex } from './auth/api-key-index';
import type { ApiContext } from './context';
import { NotFoundError } from './errors/api-errors';
import { errorMiddleware } from './errors/error-middleware';
import { createMetrics } from './metrics';
import { clientIdentity } from './middleware/client-identity';
import { allowedHosts } from './middleware/host-check';
import { jsonBody } from './middleware/json-body';
import { perKeyRateLimit, type RateLimitOptions } from './middleware/rate-limit';
import { requestLogging } from './middleware/request-logging';
import { buildDocument } from './openapi/document';
import type { Operation } from './openapi/operation';
import { toRouter } from './openapi/router';
import { decisionOperations } from './routes/decisions';
import { dashboardOperations } from './routes/dashboard';
import { docsOperations } from './routes/docs';
import { eventOperations, type EventStreamOptions } from './routes/events';
import { healthOperations } from './routes/health';
import { keysOperations } from './routes/keys';
import { listingOperations } from './routes/listing';
import { planOperations } from './routes/plan';
import { packageOperations } from './routes/packages';
import { runsUsingPackage } from './services/package-use';
import { Packages } from './services/packages';
import { resourceTypeOperations } from './routes/resource-types';
import { runOperations } from './routes/runs';
import { scheduleOperations } from './routes/schedules';
import { sessionOperations } from './routes/session';
import { deploymentOperations } from './routes/deployments';
import { moveOperations } from './routes/move';
import { statusOperations } from './routes/status';
import { templateOperations } from './routes/templates';
import { workflowOperations } from './routes/secret-workflows';
import type { GitHubHealthCheck } from './services/github-health';
import { LIVE_PLAN_DEFAULTS, type LivePlanOptions } from './services/live-plan';
import { recordsAtStart } from './services/records-migration';
import { BUILT_IN_TEMPLATES_DIR, loadTemplates } from '../templates/load-templates';

export interface Limits {
  readonly bodyBytes: number;
  readonly rateLimit: RateLimitOptions;
}

export const DEFAULT_LIMITS: Limits = { bodyBytes: 1_048_576, rateLimit: { windowMs: 60_000, limit: 600 } };

export interface AppDeps {
  /** A client, or a function returning the current one. */
  readonly client: Client | (() => Client);
  readonly taskQueue: string;
  readonly namespace: string;
  readonly env: {
    readonly API_KEYS?: readonly ApiKey[] | undefined;
    /** Host names answered besides the loopback ones while API_KEYS is unset. */
    readonly PUBLIC_HOSTNAMES?: readonly string[] | undefined;
    /** Tenants whose runs may call AWS as the service without credentials.aws (default: none). */
    readonly AWS_SERVICE_IDENTITY_TENANTS?: ServiceAwsTenants | undefined;
    /** The operator's own templates, beside the built-in ones (a broken one stops the start: TemplateLoadError). */
    readonly TEMPLATES_DIR?: string | undefined;
  };
  readonly logger: Logger;
  /** Temporal Web UI base, for links in responses. */
  readonly uiBaseUrl: string;
  /** The service key pair that clients seal credentials to (GET /keys/public). */
  readonly serviceKeys: Pick<ServiceKey, 'publicKey' | 'keyId'>;
  readonly limits?: Partial<Limits> | undefined;
  /** How often the event stream polls a run (ms). */
  readonly eventPollMs?: number | undefined;
  /** Event stream bounds: streams per client at once, a stream's maximum lifetime, the reconnect delay. */
  readonly eventStreams?: Partial<Omit<EventStreamOptions, 'pollMs'>> | undefined;
  /**
   * Provider clients and the service keyring for live plans (the worker's kind, from env); without
   * them a live plan reports each provider node as unreadable.
   */
  readonly operations?: OperationDeps | undefined;
  readonly livePlan?: Partial<LivePlanOptions> | undefined;
  /** GITHUB_HEALTH_TOKEN's check: GET /health then reports the token's scopes and rate limit. */
  readonly githubHealth?: GitHubHealthCheck | undefined;
  /** Give deployments whose runs predate records a record now, in the background (the service does at start). */
  readonly importRecords?: boolean | undefined;
  /** Aborts that background work when the server stops; the app's `locals.background` settles then. */
  readonly stopping?: AbortSignal | undefined;
}

export function createApp(deps: AppDeps): Express {
  const client = deps.client;
  const current = typeof client === 'function' ? client : () => client;
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const metrics = createMetrics();
  const ctx: ApiContext = {
    client: current,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    uiBaseUrl: deps.uiBaseUrl,
    metrics,
    serviceAwsTenants: deps.env.AWS_SERVICE_IDENTITY_TENANTS ?? [],
  };
  const keyring = new ApiKeyIndex(deps.env.API_KEYS);
  const identify = clientIdentity(keyring);

  let document: object | undefined;
  const planner = {
    deps: deps.operations ?? { clients: {}, secrets: null },
    options: { ...LIVE_PLAN_DEFAULTS, ...deps.livePlan },
  };
  const groups: Operation[][] = [
    planOperations(ctx, planner),
    runOperations(ctx, planner.deps),
    workflowOperations(ctx, planner),
    statusOperations(ctx),
    decisionOperations(ctx),
    listingOperations(ctx),
    eventOperations(ctx, identify, { ...deps.eventStreams, ...(deps.eventPollMs ? { pollMs: deps.eventPollMs } : {}) }),
    moveOperations(ctx),
    scheduleOperations(ctx),
    deploymentOperations(ctx),
    healthOperations(ctx, deps.githubHealth),
    keysOperations(deps.serviceKeys),
    sessionOperations(),
    resourceTypeOperations(),
    packageOperations(new Packages(runsUsingPackage(ctx))),
    templateOperations(
      ctx,
      planner,
      loadTemplates({ builtIn: BUILT_IN_TEMPLATES_DIR, operator: deps.env.TEMPLATES_DIR }, (m) => deps.logger.warn(m)),
    ),
    docsOperations(() => (document ??= buildDocument(groups.flat()))),
    dashboardOperations(),
  ];

  // Its Temporal calls are cancelled when the server stops, so none is left to retry on a closed connection.
  const background = deps.importRecords
    ? ctx
        .client()
        .withAbortSignal(deps.stopping ?? new AbortController().signal, () => recordsAtStart(ctx))
        .then(
          ({ moved, failed, imported }) => {
            if (moved.length > 0)
              deps.logger.info({ records: moved }, `moved ${moved.length} records to their tenant's id`);
            if (failed.length > 0)
              deps.logger.warn({ failed }, `${failed.length} records not moved now (retried at the next start)`);
            if (imported.length > 0)
              deps.logger.info(
                { deployments: imported },
                `made records for ${imported.length} deployments from their run histories`,
              );
          },
          (err: unknown) =>
            deps.logger.warn(
              `deployment records not imported now (each is imported on its first read): ${err instanceof Error ? err.message : String(err)}`,
            ),
        )
    : Promise.resolve();

  const app = express();
  app.locals['background'] = background;
  app.disable('x-powered-by');
  app.use(
    requestLogging(deps.logger),
    helmet(),
    ...(keyring.enabled ? [] : [allowedHosts(deps.env.PUBLIC_HOSTNAMES)]),
    metrics.middleware,
    perKeyRateLimit(limits.rateLimit, identify),
    ...jsonBody(limits.bodyBytes),
  );
  for (const group of groups) app.use(toRouter(keyring, group));
  app.use((req) => {
    throw new NotFoundError(`route ${req.method} ${req.path}`);
  });
  app.use(errorMiddleware);
  return app;
}
