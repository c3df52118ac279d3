/**
 * The local cluster's PostgreSQL: a database cluster of its own in a project folder (created by
 * initdb on first start, user `temporal` with a password made then and kept beside it, readable by
 * its owner only), listening on 127.0.0.1 and a socket in that folder only. Started as the
 * `postgres` user when this process is root (PostgreSQL refuses root).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, type Child } from './child';
import { ClusterStartError, waitFor } from './wait-for';

export interface PostgresOptions {
  /** The folder of initdb and postgres (setup records it as `postgres_bin`). */
  readonly bin: string;
  /** Holds `data/`, `password` and `postgres.log`. */
  readonly dir: string;
  readonly port: number;
}

export interface Postgres {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly logFile: string;
  readonly child: Child;
  /** Fast shutdown (open connections are closed, nothing committed is lost). */
  stop(): Promise<void>;
}

export const POSTGRES_USER = 'temporal';

export async function startPostgres(options: PostgresOptions): Promise<Postgres> {
  const data = join(options.dir, 'data');
  const logFile = join(options.dir, 'postgres.log');
  const owner = process.getuid?.() === 0 ? userIds('postgres') : undefined;
  const password = existsSync(join(data, 'PG_VERSION')) ? readPassword(options.dir) : initCluster(options, owner);
  const child = startChild({
    name: 'postgres',
    command: join(options.bin, 'postgres'),
    args: ['-D', data, '-p', String(options.port), '-k', data, '-c', 'listen_addresses=127.0.0.1'],
    user: owner,
    logFile,
  });
  await waitFor(`PostgreSQL on 127.0.0.1:${options.port}`, child, (log) =>
    log.includes('database system is ready to accept connections'),
  );
  return {
    port: options.port,
    user: POSTGRES_USER,
    password,
    logFile,
    child,
    stop: () => child.stop('SIGINT'),
  };
}

function initCluster(options: PostgresOptions, owner: { uid: number; gid: number } | undefined): string {
  const data = join(options.dir, 'data');
  rmSync(data, { recursive: true, force: true });
  mkdirSync(data, { recursive: true, mode: 0o700 });
  const password = randomBytes(18).toString('base64url');
  const pwFile = join(options.dir, 'password');
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (owner) for (const path of [options.dir, data, pwFile]) chownSync(path, owner.uid, owner.gid);
  try {
    execFileSync(
      join(options.bin, 'initdb'),
      ['-D', data, '-U', POSTGRES_USER, '--pwfile', pwFile, '--auth=scram-sha-256', '-E', 'UTF8', '--no-instructions'],
      { stdio: ['ignore', 'pipe', 'pipe'], ...(owner ?? {}) },
    );
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    const hint = owner
      ? ` (run as root, PostgreSQL runs as user postgres, which must be able to reach ${options.dir})`
      : '';
    throw new ClusterStartError(`initdb failed${hint}: ${stderr || String(err)}`);
  }
  return password;
}

function readPassword(dir: string): string {
  return readFileSync(join(dir, 'password'), 'utf8').trim();
}

function userIds(name: string): { uid: number; gid: number } {
  const id = (flag: string): number => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(
      `running as root, PostgreSQL needs a user "${name}" to run as (Debian's postgresql package makes it)`,
    );
  }
}
