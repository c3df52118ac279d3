/**
 * Issue 21, acceptance 5: the release train with its worker killed (SIGKILL, a crash) twice: once
 * during a merge (the merge landed, the worker never heard back) and once during the version
 * commit (the branch moved to it, likewise). Each time a new worker process takes the retried node
 * over; the run completes with every pull request merged once and one version commit. Neither
 * token (the PAT, the bot token) appears in the workers' output, the API's log and answers, or the
 * run's history.
 */
import { temporalAddress, testClient, uniqueId } from '../../support/temporal';
import { spawnWorker, type WorkerProcess } from '../../support/worker-process';
import { testApi } from '../api/helpers/app';
import { finished, waitForRun } from '../api/helpers/runs';
import { createLogger } from '../../src/logging/logger';
import { eventually } from '../helpers/eventually';
import { historyText, leaks } from '../helpers/leaks';
import { holdingProxy, type HoldingProxy } from '../helpers/holding-proxy';
import { SlackSurrogate } from '../surrogates/slack/server';
import { startTestBed, type TestBed } from './helpers/test-bed';
import { BOT_TOKEN, seedTrain } from './helpers/train-bed';

let bed: TestBed;
let slack: SlackSurrogate;
let proxy: HoldingProxy;
let connected: Awaited<ReturnType<typeof testClient>>;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  bed = await startTestBed();
  slack = await SlackSurrogate.start();
  slack.addToken(BOT_TOKEN);
  slack.addChannel('releases');
  // The first merge of a pull request, and the first move of a branch by a commit (the version bump's).
  proxy = await holdingProxy(bed.surrogate.url, [
    (req) => req.method === 'PUT' && /\/pulls\/\d+\/merge$/.test(req.url ?? ''),
    (req) => req.method === 'PATCH' && /\/git\/refs\//.test(req.url ?? ''),
  ]);
  connected = await testClient();
}, 60_000);

afterAll(async () => {
  for (const worker of workers) await worker.kill();
  await connected?.close();
  await proxy?.close();
  await slack?.close();
  bed?.surrogate.expectNoViolations();
  await bed?.finish();
});

it('completes after its worker dies mid-merge and mid-commit, with no merge and no commit made twice', async () => {
  const taskQueue = uniqueId('train-kill');
  const env = {
    TEMPORAL_ADDRESS: temporalAddress(),
    TASK_QUEUE: taskQueue,
    DATA_DIR: bed.dataDir,
    GITHUB_API_URL: proxy.url,
    SLACK_API_URL: slack.apiUrl,
    LOG_LEVEL: 'debug',
  };
  const spawn = async (): Promise<WorkerProcess> => {
    const worker = spawnWorker(env);
    workers.push(worker);
    await worker.ready;
    return worker;
  };
  const apiLog: string[] = [];
  const api = testApi({
    client: connected.client,
    taskQueue,
    logger: createLogger('debug', { write: (line: string) => void apiLog.push(line) }),
  });
  // Its own repository: the deployment id is release-<owner>-<repo>, and the train test next door runs one per repository.
  const seeded = await seedTrain({ bed, api, reviewer: bed.surrogate.addAccount('octocat') }, 'killed-app');
  bed.surrogate.scriptChecks(seeded.repo, { pull: seeded.deployNumber });

  const first = await spawn();
  const started = await seeded.apply();
  expect(started.status).toBe(202);
  await proxy.reached[0];
  await first.kill('SIGKILL');
  const second = await spawn();
  await proxy.reached[1];
  await second.kill('SIGKILL');
  await spawn();

  const deployPull = await eventually(() => {
    const pull = seeded.deployPull();
    return pull ? Promise.resolve(pull) : Promise.reject(new Error('the deploy pull request is not open yet'));
  }, 120_000);
  bed.surrogate.addReview(deployPull, bed.surrogate.state.accounts.get('octocat') ?? bed.user, 'APPROVED');
  const run = await waitForRun(api, started.body['status_url'] as string, finished, undefined, 180_000);
  expect(run.status).toBe('completed');

  const branch = run.nodes.find((n) => n.resource_id === 'branch')?.outputs?.['branch'] as string;
  const merges = (await seeded.git('log', '--merges', '--format=%s', branch)).split('\n');
  for (const pull of seeded.approved) expect(merges.filter((m) => m.includes(`#${pull.number} `))).toHaveLength(1);
  const bumps = (await seeded.git('log', '--format=%s', '--grep=^Bump version', 'staging')).split('\n');
  expect(bumps).toEqual(['Bump version to 1.4.3']);
  const merge = run.nodes.find((n) => n.resource_id === 'merge');
  expect(merge?.attempts).toBeGreaterThanOrEqual(2);

  // Neither token anywhere: the workers' output (at debug), the API's log and answers, the run's history.
  const canaries = { pat: bed.user.token, bot: BOT_TOKEN };
  const history = await connected.client.workflow.getHandle(run.workflow_id, run.run_id).fetchHistory();
  expect([
    ...workers.flatMap((w, i) => leaks(canaries, `worker ${i + 1}'s output`, w.output())),
    ...leaks(canaries, 'the API log', apiLog.join('\n')),
    ...leaks(canaries, 'the API answers', JSON.stringify([started.body, run])),
    ...leaks(canaries, 'the history', historyText(history)),
  ]).toEqual([]);
}, 300_000);
