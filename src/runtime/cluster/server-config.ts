/**
 * The Temporal server's static config for the local cluster: Temporal's own development-postgres12
 * layout (persistence and SQL visibility in PostgreSQL, four history shards, each service on its
 * own gRPC and membership port), every port on 127.0.0.1 and chosen by the caller.
 */
import { createServer } from 'node:net';

export interface ServerPorts {
  readonly frontend: number;
  readonly frontendHttp: number;
  readonly history: number;
  readonly matching: number;
  readonly worker: number;
  /** Membership (ringpop) ports, one per service, in the order above. */
  readonly membership: readonly [number, number, number, number];
}

/**
 * A port free a moment ago, below 32768: Temporal keeps membership ports in a PostgreSQL smallint,
 * and the ports the OS hands out for port 0 start above it on Linux.
 */
async function freeLowPort(): Promise<number> {
  for (;;) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_000);
    const bound = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(candidate, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (bound) return candidate;
  }
}

/** The frontend on `frontend` (0: a free one) and every other port free. */
export async function serverPorts(frontend: number): Promise<ServerPorts> {
  const free = freeLowPort;
  return {
    frontend: frontend || (await free()),
    frontendHttp: await free(),
    history: await free(),
    matching: await free(),
    worker: await free(),
    membership: [await free(), await free(), await free(), await free()],
  };
}

/** History shards are fixed when the database is first used; this is the value compose's image uses too. */
const HISTORY_SHARDS = 4;

export function clusterConfig(options: {
  readonly ports: ServerPorts;
  readonly postgres: { readonly port: number; readonly user: string; readonly password: string };
  readonly dynamicConfigFile: string;
}): Record<string, unknown> {
  const { ports, postgres } = options;
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `127.0.0.1:${postgres.port}`,
      connectProtocol: 'tcp',
      user: postgres.user,
      password: postgres.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpcPort: number, membershipPort: number, extra: Record<string, number> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
  });
  const [frontendRing, historyRing, matchingRing, workerRing] = ports.membership;
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: HISTORY_SHARDS,
      datastores: {
        'postgres-default': store('temporal', 20),
        'postgres-visibility': store('temporal_visibility', 10),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: rpc(ports.frontend, frontendRing, { httpPort: ports.frontendHttp }),
      history: rpc(ports.history, historyRing),
      matching: rpc(ports.matching, matchingRing),
      worker: rpc(ports.worker, workerRing),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: options.dynamicConfigFile, pollInterval: '10s' },
  };
}
