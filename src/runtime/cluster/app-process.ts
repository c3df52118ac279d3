/**
 * A worker (`src/main-worker.ts`) or an API instance (`src/main-api.ts`) of the local cluster, as
 * docker-compose.yml runs them: its own process, configured by environment, sharing the cluster's
 * Temporal address, DATA_DIR (so the service key and step packages) and the workflow bundle.
 */
import { join } from 'node:path';
import { acceptsTcp } from '../free-port';
import { PROJECT_ROOT } from '../temporal-cli';
import { startChild, type Child } from './child';
import { ClusterStartError } from './wait-for';

export type AppKind = 'worker' | 'api';

export interface AppProcess {
  /** `worker-1`, `api-2`, … */
  readonly name: string;
  readonly kind: AppKind;
  /** The API's base URL; null for a worker. */
  readonly url: string | null;
  readonly child: Child;
  /** What it printed lately (the last 200 lines), for a failure's report. */
  recent(): string;
}

/** Each kind's entry file under src/. */
export const APP_ENTRIES = { worker: 'main-worker.ts', api: 'main-api.ts' } as const;
const READY_WITHIN_MS = 120_000;
const KEPT_LINES = 200;

export interface AppProcessOptions {
  readonly kind: AppKind;
  /** 1-based. */
  readonly index: number;
  /** The environment every app process gets (TEMPORAL_ADDRESS, DATA_DIR, WORKFLOW_BUNDLE_PATH, …). */
  readonly env: NodeJS.ProcessEnv;
  /** An API's port. */
  readonly port?: number | undefined;
  readonly onLine?: ((name: string, line: string) => void) | undefined;
}

/** Starts it and resolves once a worker polls or an API accepts connections. */
export async function startAppProcess(options: AppProcessOptions): Promise<AppProcess> {
  const name = `${options.kind}-${options.index}`;
  const lines: string[] = [];
  const own = options.kind === 'worker' ? { WORKER_ID: name } : { PORT: String(options.port), HOST: '127.0.0.1' };
  const child = startChild({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', join(PROJECT_ROOT, 'src', APP_ENTRIES[options.kind])],
    cwd: PROJECT_ROOT,
    env: { ...options.env, ...own },
    onLine: (line) => {
      lines.push(line);
      if (lines.length > KEPT_LINES) lines.shift();
      options.onLine?.(name, line);
    },
  });
  const url = options.kind === 'api' ? `http://127.0.0.1:${options.port}` : null;
  const ready =
    options.kind === 'worker'
      ? () => Promise.resolve(lines.some((line) => line.includes('worker polling')))
      : () => acceptsTcp('127.0.0.1', options.port as number);
  const deadline = Date.now() + READY_WITHIN_MS;
  while (!(await ready())) {
    if (!child.running() || Date.now() > deadline) {
      const why = child.running() ? `not ready after ${READY_WITHIN_MS / 1000} s` : `exited (${await child.exited})`;
      await child.stop('SIGKILL');
      throw new ClusterStartError(`${name} ${why}; it printed:\n${lines.slice(-40).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { name, kind: options.kind, url, child, recent: () => lines.join('\n') };
}
