/**
 * What the Temporal Web UI shows of a run, read back through the same APIs the UI uses: the
 * DeploymentId/DeploymentStatus search attributes kept current as the run pauses and completes,
 * the memo's config summary, and a summary on every activity naming the resource and its type.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { config, delay, result, start, waitFor } from '../../support/deployments';
import { eventually } from '../helpers/eventually';
import { useTemporal } from '../../support/temporal';
import { continueSignal, SEARCH_ATTRIBUTES } from '../../src/workflows/messages';

const temporal = useTemporal();

const attribute = async (handle: Awaited<ReturnType<typeof start>>, name: string): Promise<unknown> =>
  (await handle.describe()).searchAttributes[name];

it('keeps the search attributes current, summarizes the config in the memo and names every activity', async () => {
  const cfg = config({
    build: delay({ outputs: { artifact: 'app.zip' } }),
    release: delay({}, { depends_on: [{ resource: 'build', edge: 'pause' }] }),
  });
  const handle = await start(temporal.client, temporal.worker.taskQueue, cfg);

  await waitFor(handle, (s) => s.status === 'paused');
  // The workflow upserts the attribute with the phase; visibility follows within moments.
  await eventually(async () => expect(await attribute(handle, SEARCH_ATTRIBUTES.deploymentStatus)).toEqual(['paused']));
  expect(await attribute(handle, SEARCH_ATTRIBUTES.deploymentId)).toEqual([cfg['deployment_id']]);
  expect((await handle.describe()).memo).toMatchObject({
    deployment_id: cfg['deployment_id'],
    version: 'v1',
    action: 'apply',
    mode: 'FULL',
    resources: 2,
    nodes: 2,
    types: { 'core:delay': 2 },
  });

  await handle.signal(continueSignal, {});
  expect((await result(handle)).status).toBe('completed');
  await eventually(async () =>
    expect(await attribute(handle, SEARCH_ATTRIBUTES.deploymentStatus)).toEqual(['completed']),
  );

  const history = await handle.fetchHistory();
  const summaries = (history.events ?? [])
    .filter((event) => event.activityTaskScheduledEventAttributes)
    .map((event) => {
      const summary = event.userMetadata?.summary;
      return summary ? defaultPayloadConverter.fromPayload<string>(summary) : null;
    });
  expect(summaries).toEqual([
    'report the start to the deployment record',
    'apply build · core:delay',
    'apply release · core:delay',
    'report the end to the deployment record',
  ]);
});
