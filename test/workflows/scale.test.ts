/**
 * A 10,000-node graph runs to completion within Temporal's limits: the workflow continues as new
 * before its history grows too long, and the gzip codec keeps the large input under the payload limit.
 * (Speed is measured by `npm run bench`, not asserted here.)
 */
import { config, delay, result, start, type Resources } from '../../support/deployments';
import { useTemporal } from '../../support/temporal';

const temporal = useTemporal();

/** Layers of 100 nodes; every node depends on one node of the layer before. */
function layered(total: number, width: number): Resources {
  const resources: Resources = {};
  for (let i = 0; i < total; i += 1) {
    const layer = Math.floor(i / width);
    resources[`n${i}`] = delay({}, layer === 0 ? {} : { depends_on: [`n${(layer - 1) * width + ((i * 7) % width)}`] });
  }
  return resources;
}

describe('a large deployment', () => {
  it('completes a 10,000-node graph, continuing as new along the way', async () => {
    const total = Number(process.env['SCALE_NODES'] ?? 10_000);
    const handle = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config(layered(total, 100), { max_parallel: 200 }),
    );
    const status = await result(handle);
    expect(status.status).toBe('completed');
    expect(status.counts.completed).toBe(total);
    const first = await handle.describe();
    const latest = await temporal.client.workflow.getHandle(handle.workflowId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    expect(latest.runId).not.toBe(first.runId);
  }, 900_000);
});
