/**
 * Access to the run's shared Temporal server (see global-setup.ts): a client, and a worker per
 * test file on a task queue of its own, running the real workflow bundle and real activities.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { Runtime, DefaultLogger, type NativeConnection, type Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../src/activities/node-activities';
import { closableRetries } from '../src/temporal/closable-retries';
import { dataConverter } from '../src/temporal/compression-codec';
import { connectWorker, createWorker } from '../src/worker';

let quietRuntime = false;

/** The SDK's runtime, logging errors only: installed once, before any connection (the SDK refuses it later). */
export function installQuietRuntime(): void {
  if (quietRuntime) return;
  // Errors only, and not a run's own log lines (tests fail nodes on purpose): the SDK's and the worker's.
  Runtime.install({
    logger: new DefaultLogger('ERROR', ({ level, message, meta }) => {
      if (meta?.['sdkComponent'] !== 'workflow') console.error(`[${level}] ${message}`, meta ?? '');
    }),
  });
  quietRuntime = true;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest (global-setup starts the server)`);
  return value;
}

export const temporalAddress = (): string => required('TEST_TEMPORAL_ADDRESS');

export async function testClient(address = temporalAddress()): Promise<{ client: Client; close(): Promise<void> }> {
  const retries = closableRetries();
  const connection = await Connection.connect({ address, interceptors: [retries.interceptor] });
  return { client: new Client({ connection, dataConverter }), close: () => retries.close(connection) };
}

export interface TestWorker {
  readonly taskQueue: string;
  readonly worker: Worker;
  /** Shuts the worker down and waits for it (in-flight activities are cancelled). */
  stop(): Promise<void>;
}

/** A worker on its own connection to `address` (the shared server by default), or on a `connection` its owner closes. */
export async function startTestWorker(
  options: { taskQueue?: string; deps?: Partial<ActivityDeps>; address?: string; connection?: NativeConnection } = {},
): Promise<TestWorker> {
  installQuietRuntime();
  const taskQueue = options.taskQueue ?? `test-${randomUUID()}`;
  const connection = options.connection ?? (await connectWorker(options.address ?? temporalAddress()));
  const worker = await createWorker({
    connection,
    namespace: 'default',
    taskQueue,
    deps: { clients: {}, secrets: null, ...options.deps },
    workflowBundle: { codePath: required('TEST_WORKFLOW_BUNDLE') },
  });
  const running = worker.run();
  return {
    taskQueue,
    worker,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      if (!options.connection) await connection.close();
    },
  };
}

export const uniqueId = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

export interface TemporalFixture {
  readonly client: Client;
  readonly worker: TestWorker;
}

/**
 * For a test file: a worker on a task queue of its own and a client, started before the file's
 * tests and stopped after them. Read the fields inside tests or later hooks (they throw before).
 */
export function useTemporal(options: Parameters<typeof startTestWorker>[0] = {}): TemporalFixture {
  let worker: TestWorker | undefined;
  let connected: Awaited<ReturnType<typeof testClient>> | undefined;
  beforeAll(async () => {
    worker = await startTestWorker(options);
    connected = await testClient();
  });
  afterAll(async () => {
    await worker?.stop();
    await connected?.close();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the Temporal ${what} is not started yet: use it inside tests or hooks`);
    return value;
  };
  return {
    get client() {
      return ready(connected?.client, 'client');
    },
    get worker() {
      return ready(worker, 'worker');
    },
  };
}
