/** A run's input, read back from Temporal without asking a worker. */
import type { DeploymentInput } from '../../model/run-types';
import { decodeFromPayloadsAtIndex } from '../../temporal/sdk-internals';
import type { ApiContext } from '../context';

/** The input a workflow was started with (its first history event: Temporal is the store while the history lasts). */
export async function startInput<T = DeploymentInput>(
  ctx: Pick<ApiContext, 'client' | 'namespace'>,
  ref: { readonly workflowId: string; readonly runId: string },
): Promise<T> {
  const client = ctx.client();
  const response = await client.workflowService.getWorkflowExecutionHistory({
    namespace: ctx.namespace,
    execution: { workflowId: ref.workflowId, runId: ref.runId },
    maximumPageSize: 1,
  });
  const started = response.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
  return decodeFromPayloadsAtIndex<T>(client.options.loadedDataConverter, 0, started?.input?.payloads);
}
