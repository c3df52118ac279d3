/**
 * A `moto_server` (a real implementation of the AWS wire protocol) for one test file: bound to
 * 127.0.0.1 on a free port, with AWS managed IAM policies loaded, reset between tests, stopped by
 * the test. The binary comes from MOTO_SERVER_PATH, else `.tools/paths.json` (`moto_server`,
 * recorded by `node scripts/setup.mjs --for-tests`).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../src/runtime/free-port';
import { recordedToolPaths, TOOL_PATHS_FILE } from '../../src/runtime/temporal-cli';

export interface Moto {
  /** `http://127.0.0.1:PORT`: the endpoint for every AWS client. */
  readonly endpoint: string;
  /** Forgets every resource (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export class MotoNotFoundError extends Error {
  override readonly name = 'MotoNotFoundError';
}

export function resolveMotoServer(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['MOTO_SERVER_PATH'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new MotoNotFoundError(`MOTO_SERVER_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  const recorded = recordedToolPaths()['moto_server'];
  if (recorded && existsSync(recorded)) return recorded;
  const why = recorded
    ? `${TOOL_PATHS_FILE} names ${recorded}, which no longer exists`
    : `${TOOL_PATHS_FILE} has no "moto_server" entry`;
  throw new MotoNotFoundError(
    `moto_server not found (${why}): run \`node scripts/setup.mjs --for-tests\` or set MOTO_SERVER_PATH`,
  );
}

const START_TIMEOUT_MS = 30_000;

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(resolveMotoServer(), ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}:\n${stderr}`);
    const up = await fetch(`${endpoint}/moto-api/data.json`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint} within ${START_TIMEOUT_MS} ms:\n${stderr}`);
    }
    await sleep(200);
  }

  return {
    endpoint,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset answered ${res.status}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
