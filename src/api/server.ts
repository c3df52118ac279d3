/**
 * Starts the gateway on HOST:PORT (`npm run start:api` runs it alone through src/main-api.ts;
 * `npm start` calls startApi too). Without API_KEYS there is no authentication, so it binds 127.0.0.1 whatever HOST says,
 * answers only to loopback Host names and PUBLIC_HOSTNAMES (see middleware/host-check.ts), and logs that. Temporal is reached lazily: an outage answers 503, never stops the API.
 */
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { providerClientsFromEnv } from '../activities/deps-from-env';
import { temporalAddress, type Env } from '../config/env';
import { ServiceKey } from '../credentials/service-key';
import { createApp, type Limits } from './app';
import { consoleLogger } from '../logging/logger';
import { LOOPBACK_HOSTNAMES } from './middleware/host-check';
import { lazyTemporalClient } from './temporal-client';

export interface StartApiOptions {
  readonly env: Env;
  /** A client to use instead of connecting to TEMPORAL_ADDRESS (not closed by close()). */
  readonly client?: Client | undefined;
  /** Temporal Web UI base for links; default http://127.0.0.1:TEMPORAL_UI_PORT. */
  readonly uiBaseUrl?: string | null | undefined;
  readonly logger?: Logger | undefined;
  readonly limits?: Partial<Limits> | undefined;
}

export interface RunningApi {
  readonly url: string;
  close(): Promise<void>;
}

export async function startApi(options: StartApiOptions): Promise<RunningApi> {
  const { env } = options;
  const logger = options.logger ?? consoleLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  const own = options.client ? null : lazyTemporalClient(temporalAddress(env), env.TEMPORAL_NAMESPACE);
  const client = options.client ?? own?.client;
  if (!client) throw new Error('no Temporal client');
  const host = env.API_KEYS ? env.HOST : '127.0.0.1';
  if (!env.API_KEYS) {
    logger.warn(
      `API_KEYS is not set: the API has no authentication and listens on 127.0.0.1 only${env.HOST === host ? '' : ` (HOST=${env.HOST} ignored)`}; it answers only to the Host names ${[...LOOPBACK_HOSTNAMES, ...(env.PUBLIC_HOSTNAMES ?? [])].join(', ')} (PUBLIC_HOSTNAMES adds names)`,
    );
  }
  const serviceKeys = await ServiceKey.load({
    privateKey: env.SERVICE_PRIVATE_KEY,
    dataDir: env.DATA_DIR,
    allowUnbound: env.ALLOW_UNBOUND_SEALED_VALUES,
    warn: (message) => logger.warn(message),
  });
  const clients = providerClientsFromEnv(env);
  const stopping = new AbortController();
  const app = createApp({
    client,
    taskQueue: env.TASK_QUEUE,
    namespace: env.TEMPORAL_NAMESPACE,
    env,
    logger,
    uiBaseUrl: options.uiBaseUrl ?? `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`,
    serviceKeys,
    operations: { clients, secrets: serviceKeys },
    githubHealth:
      env.GITHUB_HEALTH_TOKEN && clients.github
        ? { clients: clients.github, secrets: serviceKeys, sealedToken: env.GITHUB_HEALTH_TOKEN }
        : undefined,
    limits: options.limits,
    importRecords: true,
    stopping: stopping.signal,
  });
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve, reject) => {
    const s = app.listen(env.PORT, host, () => resolve(s)).once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  logger.info({ url, temporal: temporalAddress(env), task_queue: env.TASK_QUEUE }, 'API listening');
  return {
    url,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // event streams would keep it open
      });
      // What the app started by itself stops first: a call left retrying on a closed connection crashes the process.
      stopping.abort();
      await (app.locals['background'] as Promise<void>);
      await own?.close();
    },
  };
}
