/**
 * The environment of a bench or chaos run, built from the test helpers: a private Temporal dev
 * server and workflow bundle, a client, an in-process worker whose core:delay operations record
 * every real apply in a ledger folder, and helpers to run a config and read what it did.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { DevServer, DevServerOptions } from '../../src/runtime/dev-server';
import type { RunStatus } from '../../src/model/run-types';
import { result, start } from '../../support/deployments';
import { startTestWorker, testClient, type TestWorker } from '../../support/temporal';
import { startTemporalEnv } from '../../support/temporal-env';

export interface Harness {
  readonly dir: string;
  readonly ledger: string;
  readonly client: Client;
  readonly server: DevServer;
  /** The in-process worker (null when the caller runs workers in their own processes). */
  readonly worker: TestWorker | null;
  stop(): Promise<void>;
}

/**
 * The ledger is a test fixture (core:delay's record of each effect), not the engine: a file per node, whose creation
 * on this machine's disk cost 1–2 ms of kernel time each while the cores were busy (0.05 ms in memory), several
 * seconds of the worker's process in a 10,000-node run that the floor (section 11) keeps no ledger for. It lives in
 * memory where the machine has a memory-backed folder.
 */
const LEDGER_ROOT = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

export async function startHarness(
  options: { inProcessWorker?: boolean; server?: Partial<DevServerOptions> } = {},
): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-'));
  const ledger = await mkdtemp(join(LEDGER_ROOT, 'bench-ledger-'));
  const server = await startTemporalEnv(dir, options.server);
  const worker =
    options.inProcessWorker === false ? null : await startTestWorker({ deps: { clients: { ledgerPath: ledger } } });
  const connected = await testClient();
  return {
    dir,
    ledger,
    client: connected.client,
    server,
    worker,
    async stop() {
      await worker?.stop();
      await connected.close();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
      await rm(ledger, { recursive: true, force: true });
    },
  };
}

export interface Finished {
  readonly handle: WorkflowHandle;
  readonly status: RunStatus;
  /** The ledger folder of the run: its first execution's run id. */
  readonly runKey: string;
  /** Client-side wall time from the start request to the result, ms. */
  readonly wallMs: number;
}

export async function runToEnd(client: Client, taskQueue: string, cfg: Record<string, unknown>): Promise<Finished> {
  const began = performance.now();
  const handle = await start(client, taskQueue, cfg);
  const status = await result(handle);
  const wallMs = performance.now() - began;
  return { handle, status, wallMs, runKey: (await handle.describe()).runId };
}

/** The run's makespan as the workflow recorded it (first start to finish), ms. */
export const makespanMs = (status: RunStatus): number =>
  Date.parse(status.completed_at ?? '') - Date.parse(status.started_at);

export interface LedgerLine {
  readonly event: string;
  readonly attempt: number;
  readonly at: string;
}

/** Ledger lines by node id for one run (its `run_key` is the first execution's run id). */
export async function ledgerOf(ledger: string, runKey: string): Promise<Map<string, LedgerLine[]>> {
  const dir = join(ledger, runKey);
  const files = await readdir(dir).catch(() => [] as string[]);
  const byNode = new Map<string, LedgerLine[]>();
  for (const file of files) {
    const text = await readFile(join(dir, file), 'utf8');
    byNode.set(
      file.replace(/\.jsonl$/, ''),
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LedgerLine),
    );
  }
  return byNode;
}

/** When each node's (first) apply was recorded, ms since the epoch. */
export async function applyTimes(ledger: string, runKey: string): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const [node, lines] of await ledgerOf(ledger, runKey)) {
    const apply = lines.find((l) => l.event === 'apply');
    if (apply) times.set(node, Date.parse(apply.at));
  }
  return times;
}
