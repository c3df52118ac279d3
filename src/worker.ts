/**
 * The worker: runs the deployment and record workflows, the node activities and the record's
 * report activity on one task queue. Provider clients and the secret opener are built once here
 * and injected into the activities.
 * `npm run start:worker` runs it alone (docker-compose scales these out).
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createAlertActivities } from './activities/alerts';
import { createNodeActivities, type ActivityDeps } from './activities/node-activities';
import { createRecordActivities } from './activities/record-run';
import type { Env } from './config/env';
import { workflowBundlerOptions } from './runtime/workflow-bundle';
import { dataConverter } from './temporal/compression-codec';

export interface CreateWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly deps: ActivityDeps;
  /** A pre-built workflow bundle (tests bundle once); otherwise the workflows are bundled at start. */
  readonly workflowBundle?: { readonly codePath: string } | undefined;
  readonly maxConcurrentActivityTaskExecutions?: number | undefined;
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> = options.workflowBundle
    ? { workflowBundle: options.workflowBundle }
    : { workflowsPath: require.resolve('./workflows'), bundlerOptions: workflowBundlerOptions };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...workflows,
    dataConverter,
    activities: {
      ...createNodeActivities(options.deps),
      ...createAlertActivities(options.deps),
      ...createRecordActivities(),
    },
    ...activityDispatch(options.maxConcurrentActivityTaskExecutions ?? 200),
  });
}

/**
 * A worker's connection to the Temporal frontend at `address`. The SDK gzips every request and response unless told
 * otherwise; on one host or network that is CPU on both ends for nothing (the payload codec already gzips payloads
 * over 256 KiB): in interleaved 10,000-node runs (docs/measurement.md, "The Temporal floor") the worker's core thread
 * used about 0.35 s less without it. `gzip` is for a frontend across a slow or metered link
 * (TEMPORAL_GRPC_COMPRESSION).
 */
export const connectWorker = (
  address: string,
  compression: Env['TEMPORAL_GRPC_COMPRESSION'] = 'none',
): Promise<NativeConnection> => NativeConnection.connect({ address, grpcCompression: { codec: compression } });

/**
 * How activities reach a worker with `slots` of them at once. Measured by `npm run bench` (docs/measurement.md,
 * "Where a step's time goes"): a workflow task that starts many nodes gets their activities back in its own answer
 * (eager execution, up to the free slots) instead of through the task queue, and the rest are polled by as many
 * pollers as the server says there is work for (1 to 100) rather than a fixed 10; fan-out 1 → 200 p95 580 → 190–320 ms.
 */
export const activityDispatch = (
  slots: number,
): Pick<
  WorkerOptions,
  'maxConcurrentActivityTaskExecutions' | 'maxEagerActivityReservationsPerWorkflowTask' | 'activityTaskPollerBehavior'
> => ({
  maxConcurrentActivityTaskExecutions: slots,
  maxEagerActivityReservationsPerWorkflowTask: slots,
  activityTaskPollerBehavior: { type: 'autoscaling', minimum: 1, initial: 10, maximum: 100 },
});
