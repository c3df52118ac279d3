/**
 * `npm run start:worker`: a worker alone, configured by environment (docker-compose scales these
 * out). SIGINT/SIGTERM shut it down gracefully: in-flight activities are cancelled and retried
 * by another worker. `WORKFLOW_BUNDLE_PATH` points at a pre-built bundle to skip bundling at start.
 */
import { Runtime } from '@temporalio/worker';
import { activityDepsFromEnv } from './activities/deps-from-env';
import { loadEnv, temporalAddress } from './config/env';
import { consoleLogger } from './logging/logger';
import { SdkLogAdapter } from './logging/sdk-logger';
import { startPackageRuntime } from './runtime/package-runtime';
import { connectWorker, createWorker } from './worker';

async function main(): Promise<void> {
  const env = loadEnv();
  const logger = consoleLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  Runtime.install({ logger: new SdkLogAdapter(logger) });
  const address = temporalAddress(env);
  const connection = await connectWorker(address, env.TEMPORAL_GRPC_COMPRESSION);
  const worker = await createWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TASK_QUEUE,
    deps: await activityDepsFromEnv(env),
    workflowBundle: env.WORKFLOW_BUNDLE_PATH ? { codePath: env.WORKFLOW_BUNDLE_PATH } : undefined,
  });
  const packages = await startPackageRuntime(env, 'worker', (message) => logger.warn(message));
  if (packages.adminUrl) console.log(`worker admin on ${packages.adminUrl} (POST /workflows/reload)`);
  console.log(`worker polling task queue "${env.TASK_QUEUE}" on ${address} (namespace ${env.TEMPORAL_NAMESPACE})`);
  await worker.run();
  await packages.close();
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
