/**
 * slack:message in Web API mode in real runs: a worker process as deployed (`src/main-worker.ts`,
 * its Slack client from SLACK_API_URL) on the shared Temporal server, against the Slack surrogate.
 * A run posts a run link and then the release notes as a reply in its thread (references to the
 * first message's channel and ts); a bad token fails the node as `auth`; an attempt whose answer
 * was lost is retried by Temporal without a second post. No bot token (canaries, the good and the
 * bad) appears in a run's history, the worker's output or a node's error.
 */
import { startDeployment } from '../../src/client/start-deployment';
import type { RunStatus, SealedCredentials } from '../../src/model/run-types';
import { config, delay, deploymentInput, node, result, type Resources } from '../../support/deployments';
import { temporalAddress, testClient, uniqueId } from '../../support/temporal';
import { spawnWorker, type WorkerProcess } from '../../support/worker-process';
import { historyText, leaks } from '../helpers/leaks';
import { useSlackBed } from './helpers/slack-bed';

const bed = useSlackBed();
const BAD_TOKEN = `xoxb-canary-bad-${uniqueId('t')}`;
const taskQueue = uniqueId('slack-runs');
let worker: WorkerProcess;
let temporal: Awaited<ReturnType<typeof testClient>>;
const histories: string[] = [];

beforeAll(async () => {
  worker = spawnWorker({
    TEMPORAL_ADDRESS: temporalAddress(),
    TASK_QUEUE: taskQueue,
    DATA_DIR: bed().dataDir,
    SLACK_API_URL: bed().surrogate.apiUrl,
    LOG_LEVEL: 'debug',
  });
  await worker.ready;
  temporal = await testClient();
}, 60_000);

afterAll(async () => {
  await worker?.kill('SIGTERM');
  await temporal?.close();
});

/** Runs `resources` to the end with these credentials; keeps its history for the leak scan. */
async function run(
  resources: Resources,
  credentials: SealedCredentials,
  settings: Record<string, unknown> = {},
): Promise<{ final: RunStatus; runId: string }> {
  const input = { ...deploymentInput(config(resources, settings)), credentials };
  const { workflowId, runId } = await startDeployment(temporal.client, { input, taskQueue });
  const handle = temporal.client.workflow.getHandle(workflowId, runId);
  const final = await result(handle);
  histories.push(historyText(await handle.fetchHistory()));
  return { final, runId };
}

const tokenLeaks = (): string[] => [
  ...histories.flatMap((history) => leaks({ token: bed().token, bad: BAD_TOKEN }, 'a history', history)),
  ...leaks({ token: bed().token, bad: BAD_TOKEN }, "the worker's output", worker.output()),
];

it('posts the release notes as a reply in the thread of the run link', async () => {
  const { final, runId } = await run(
    {
      ci: delay({ outputs: { run_url: 'https://github.com/o/r/actions/runs/7' } }),
      'run-link': {
        type: 'slack:message',
        properties: { channel: '#releases', text: 'Deploying: {{run_url}}' },
        references: { run_url: 'ci.run_url' },
      },
      notes: {
        type: 'slack:message',
        properties: { text: 'Release notes: {{run_url}}' },
        references: { channel: 'run-link.channel', thread_ts: 'run-link.ts', run_url: 'ci.run_url' },
      },
    },
    await bed().credentials({ webhook: null }),
  );
  expect(final.status).toBe('completed');
  const link = node(final, 'run-link').outputs as { channel: string; ts: string };
  const notes = node(final, 'notes').outputs as { channel: string; ts: string; thread_ts: string };
  expect(notes).toMatchObject({ channel: link.channel, thread_ts: link.ts });
  const [first, reply] = bed().surrogate.messages('releases').slice(-2);
  expect(first).toMatchObject({
    ts: link.ts,
    thread_ts: undefined,
    text: 'Deploying: https://github.com/o/r/actions/runs/7',
  });
  expect(reply).toMatchObject({
    ts: notes.ts,
    thread_ts: first?.ts,
    text: 'Release notes: https://github.com/o/r/actions/runs/7',
  });
  expect(reply?.metadata).toEqual({
    event_type: 'deployment_node',
    event_payload: { run_key: runId, node_id: node(final, 'notes').node_id, kind: 'message' },
  });
  expect(tokenLeaks()).toEqual([]);
});

it('fails the node as auth when Slack refuses the token, naming the field and never the token', async () => {
  const refusedBefore = bed().surrogate.count('chat.postMessage', 'invalid_auth');
  const { final } = await run(
    { announce: { type: 'slack:message', properties: { channel: '#releases', text: 'hello' } } },
    await bed().credentials({ token: BAD_TOKEN, webhook: null }),
    { on_failure: 'rollback' },
  );
  expect(node(final, 'announce')).toMatchObject({
    status: 'failed',
    attempts: 1,
    error_type: 'auth',
    error:
      'Slack answered invalid_auth to chat.postMessage in #releases: check the bot token (credentials.slack.encrypted_bot_token)',
  });
  expect(bed().surrogate.count('chat.postMessage', 'invalid_auth')).toBe(refusedBefore + 1);
  expect(tokenLeaks()).toEqual([]);
});

it('retries an attempt whose answer was lost without posting twice', async () => {
  const text = `once ${uniqueId('m')}`;
  bed().surrogate.fail('chat.postMessage', { status: 503, afterEffect: true });
  const { final } = await run(
    { announce: { type: 'slack:message', properties: { channel: '#releases', text } } },
    await bed().credentials({ webhook: null }),
    { retry: { max_attempts: 3, initial_interval: '100ms', max_interval: '200ms', backoff: 2 } },
  );
  expect(final.status).toBe('completed');
  const posted = bed()
    .surrogate.messages('releases')
    .filter((m) => m.text === text);
  expect(posted).toHaveLength(1);
  expect(node(final, 'announce')).toMatchObject({
    attempts: 2,
    outputs: expect.objectContaining({ ts: posted[0]?.ts }),
  });
  expect(worker.output()).toContain('an earlier attempt posted this message');
  expect(tokenLeaks()).toEqual([]);
});
