/**
 * The local cluster's Temporal server: the server built from source at the version docker-compose.yml
 * runs (setup records `temporal_server` and `temporal_sql_tool`), all four services in one process on
 * 127.0.0.1, persistence and visibility in PostgreSQL (schemas created or brought up to date by the
 * SQL tool on every start, as Temporal's auto-setup image does), the dynamic config of
 * deploy/temporal-dynamic-config.yaml (why: server-tuning.ts).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startChild, type Child } from './child';
import { clusterConfig, type ServerPorts } from './server-config';
import { ClusterStartError, waitFor } from './wait-for';
import { acceptsTcp } from '../free-port';

const run = promisify(execFile);

export interface TemporalServerOptions {
  readonly serverBin: string;
  readonly sqlTool: string;
  /** Holds `config/cluster.yaml` and `temporal.log`. */
  readonly dir: string;
  readonly ports: ServerPorts;
  readonly postgres: { readonly port: number; readonly user: string; readonly password: string };
  readonly dynamicConfigFile: string;
}

export interface TemporalServer {
  /** `127.0.0.1:PORT` of the frontend. */
  readonly address: string;
  readonly logFile: string;
  readonly child: Child;
  stop(): Promise<void>;
}

const DATABASES = { temporal: 'postgresql/v12/temporal', temporal_visibility: 'postgresql/v12/visibility' } as const;

/** Creates the two databases when missing and brings their schemas to the server's version. */
export async function setupSchemas(options: TemporalServerOptions): Promise<void> {
  const { port, user, password } = options.postgres;
  const base = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '--port', String(port), '--user', user];
  const env = { ...process.env, SQL_PASSWORD: password };
  for (const [database, schema] of Object.entries(DATABASES)) {
    const tool = (...args: string[]) => run(options.sqlTool, [...base, '--db', database, ...args], { env });
    try {
      await tool('create-database');
    } catch (err) {
      if (!/already exists/.test(outputOf(err))) throw schemaError(database, 'create-database', err);
    }
    for (const step of [
      ['setup-schema', '-v', '0.0'],
      ['update-schema', '--schema-name', schema],
    ]) {
      try {
        await tool(...step);
      } catch (err) {
        throw schemaError(database, step[0] as string, err);
      }
    }
  }
}

export async function startTemporalServer(options: TemporalServerOptions): Promise<TemporalServer> {
  const configDir = join(options.dir, 'config');
  mkdirSync(configDir, { recursive: true });
  // JSON is YAML; the file holds the database password, so its owner alone reads it.
  const config = clusterConfig({
    ports: options.ports,
    postgres: options.postgres,
    dynamicConfigFile: options.dynamicConfigFile,
  });
  writeFileSync(join(configDir, 'cluster.yaml'), JSON.stringify(config, null, 2), { mode: 0o600 });
  const logFile = join(options.dir, 'temporal.log');
  const child = startChild({
    name: 'temporal',
    command: options.serverBin,
    args: ['--root', options.dir, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'],
    logFile,
  });
  const address = `127.0.0.1:${options.ports.frontend}`;
  await waitFor(`the Temporal server on ${address}`, child, () => acceptsTcp('127.0.0.1', options.ports.frontend));
  return { address, logFile, child, stop: () => child.stop('SIGTERM') };
}

function outputOf(err: unknown): string {
  const { stdout = '', stderr = '', message = '' } = err as { stdout?: string; stderr?: string; message?: string };
  return `${message}\n${stdout}\n${stderr}`;
}

function schemaError(database: string, step: string, err: unknown): ClusterStartError {
  const lines = outputOf(err).split('\n').filter(Boolean);
  return new ClusterStartError(`the SQL tool's ${step} of database ${database} failed: ${lines.slice(-5).join(' | ')}`);
}
