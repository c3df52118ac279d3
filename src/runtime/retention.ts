/**
 * RUN_RETENTION on a namespace: how long Temporal keeps a finished run's history before deleting
 * it. Applied to the embedded dev server's namespace at start; deployment records stay open, so
 * retention never touches them.
 */
import type { Connection } from '@temporalio/client';
import { msToTs } from '../temporal/sdk-internals';

/** Sets the namespace's retention to `ms` unless it already is; returns whether it changed. */
export async function ensureRetention(connection: Connection, namespace: string, ms: number): Promise<boolean> {
  const described = await connection.workflowService.describeNamespace({ namespace });
  const current = described.config?.workflowExecutionRetentionTtl;
  const currentMs = current ? Number(current.seconds ?? 0) * 1_000 + Math.round((current.nanos ?? 0) / 1e6) : null;
  if (currentMs === ms) return false;
  await connection.workflowService.updateNamespace({
    namespace,
    config: { workflowExecutionRetentionTtl: msToTs(ms) },
  });
  return true;
}
