/**
 * Before a test file stops its worker: waits until every deployment its runs touched has its
 * record take the end of its latest run. A run that ends as a test ends still reports to its
 * record (an activity and a workflow task of the record); stopping the worker and closing
 * connections under that report failed the file with "Channel has been shut down" (seen in CI
 * under load). Runs still going (a paused run a test leaves) are not waited for.
 *
 * Only runs started since `since` (the file's own) are looked at: every file shares one Temporal
 * server, and another file's paused run, whose worker has stopped, answers a status read only
 * when the API's 10 s worker deadline runs out; a few of those per key took a file's teardown
 * past jest's 120 s hook limit in CI.
 */
import { isFinished } from '../../src/model/run-types';
import type { Http } from '../api/helpers/http';
import { eventually } from './eventually';

interface Listed {
  readonly deployment_id: string;
  readonly status: string;
  readonly started_at: string;
}

export async function recordsSettled(
  api: Http,
  since: Date,
  keys: readonly (string | undefined)[] = [undefined],
): Promise<void> {
  for (const key of keys) {
    await eventually(async () => {
      const listed = (await api.get('/deploy/list?page_size=100', { key })).body as { deployments?: Listed[] };
      for (const { deployment_id: id, status, started_at: startedAt } of listed.deployments ?? []) {
        if (status !== 'running' || Date.parse(startedAt) < since.getTime()) continue;
        const run = (await api.get(`/deploy/status/${id}`, { key })).body as { status?: string };
        if (run.status && isFinished(run.status))
          throw new Error(`the record of ${id} has not taken its run's end (${run.status}) yet`);
      }
    }, 15_000);
  }
}
