/**
 * The scene the train's wait types are tested on: a repository seeded with the version files and
 * an open deploy pull request (deploy-20261202 → staging, by hubot); and, for the time-skipping
 * tests, a worker on that server with GitHub clients for the surrogate.
 */
import { createGitHubClients } from '../../../src/providers/github';
import { startTestWorker, type TestWorker } from '../../../support/temporal';
import type { useTimeSkipping } from '../../../support/time-skipping';
import { VERSION_FILES } from '../../surrogates/github/release-repo';
import type { Repository } from '../../surrogates/github/state';
import type { PullRequest } from '../../surrogates/github/state-pulls';
import type { TestBed } from './test-bed';

export async function deployPull(bed: TestBed): Promise<{ repo: Repository; pull: PullRequest }> {
  const repo = bed.surrogate.addRepo(bed.user, 'app');
  await bed.surrogate.seedRepository(repo, VERSION_FILES);
  const pull = await bed.surrogate.addPullRequest(repo, {
    author: bed.surrogate.addAccount('hubot'),
    head: 'deploy-20261202',
    base: 'staging',
    files: { VERSION: '1.4.3\n' },
  });
  return { repo, pull };
}

export const timeSkippingWorker = (
  bed: TestBed,
  timeSkipping: ReturnType<typeof useTimeSkipping>,
): Promise<TestWorker> =>
  startTestWorker({
    connection: timeSkipping.env.nativeConnection,
    deps: {
      clients: { github: createGitHubClients({ baseUrl: bed.surrogate.url, writeIntervalMs: 0, retryBaseMs: 20 }) },
      secrets: bed.keyring,
    },
  });
