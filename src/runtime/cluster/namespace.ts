/**
 * What docker-compose.yml's temporal-init step does, for the local cluster: the namespace (with
 * RUN_RETENTION) and the workflow's Keyword search attributes, registered when missing. A namespace
 * just registered reaches the server's caches within seconds; this waits until it answers.
 */
import { Connection, isGrpcServiceError } from '@temporalio/client';
import { msToTs } from '../../temporal/sdk-internals';
import { ensureRetention } from '../retention';
import { ensureSearchAttributes } from '../search-attributes';

const GRPC_ALREADY_EXISTS = 6;
const RETRY_MS = 500;
const READY_WITHIN_MS = 60_000;

export async function prepareNamespace(address: string, namespace: string, retentionMs: number): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs(retentionMs),
      });
    } catch (err) {
      if (!(isGrpcServiceError(err) && Number(err.code) === GRPC_ALREADY_EXISTS)) throw err;
    }
    await retrying(`namespace ${namespace}`, async () => {
      await connection.workflowService.countWorkflowExecutions({ namespace });
      await ensureSearchAttributes(connection, namespace);
    });
    await ensureRetention(connection, namespace, retentionMs);
  } finally {
    await connection.close();
  }
}

async function retrying(what: string, attempt: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(
          `${what} not ready after ${READY_WITHIN_MS / 1000} s: ${err instanceof Error ? err.message : String(err)}`,
        );
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}
