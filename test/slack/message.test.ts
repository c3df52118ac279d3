/**
 * slack:message in webhook mode (no channel), against the Slack surrogate's incoming webhook: the
 * payload with references filled in, Slack's answers as error types that never name the webhook
 * URL, no second post from a retried attempt that already posted, the follow-up on rollback; and
 * one real run on Temporal that rolls back and posts its notice.
 */
import { freePort } from '../../src/runtime/free-port';
import { config, delay, deploymentInput, result } from '../../support/deployments';
import { historyText, leaks } from '../helpers/leaks';
import { startDeployment } from '../../src/client/start-deployment';
import { startTestWorker, testClient, type TestWorker } from '../../support/temporal';
import { contextOf, messageTarget as target, slack, useSlackBed } from './helpers/slack-bed';
import { LOOPBACK_OUTBOUND } from '../helpers/loopback-outbound';

const bed = useSlackBed();
let mark = 0;
beforeEach(() => {
  mark = bed().surrogate.requests.length;
});

/** What this test sent to the webhook, in order. */
const sent = () =>
  bed()
    .surrogate.requests.slice(mark)
    .filter((r) => r.method === 'webhook')
    .map((r) => r.args);
/** A context with the bed's credentials, or none at all. */
const ctx = (credentials?: null) => contextOf(bed(), credentials === null ? { credentials } : {});
const withWebhook = async (webhook: string) =>
  contextOf(bed(), { credentials: await bed().credentials({ webhook, token: null }) });

it('posts the text with its references filled in, and heartbeats that it posted', async () => {
  const c = await ctx();
  const applied = await slack.apply(
    c,
    target(
      { text: 'deployed {{version}} as {{ arn }}', blocks: [{ type: 'divider' }] },
      { version: 'v2', arn: 'arn:aws:lambda:x' },
    ),
  );
  expect(applied).toEqual({
    outputs: { posted: true, text: 'deployed v2 as arn:aws:lambda:x' },
    undo: { posted: true },
  });
  expect(sent()).toEqual([{ text: 'deployed v2 as arn:aws:lambda:x', blocks: [{ type: 'divider' }] }]);
  expect(bed().surrogate.messages('releases').at(-1)).toMatchObject({
    text: 'deployed v2 as arn:aws:lambda:x',
    via: 'webhook',
    thread_ts: undefined,
  });
  expect(c.beats).toEqual([{ posted: true }]);
  await expect(slack.plan(c, target({ text: 'x' }))).resolves.toEqual({
    action: 'create',
    diff: [],
    warnings: ['sends a Slack message: a sent Slack message cannot be unsent'],
  });
  expect(slack.irreversible?.(slack.properties.parse({ text: 'x' }))).toBe('a sent Slack message cannot be unsent');
});

it('does not post again when an earlier attempt of the activity already did', async () => {
  await slack.apply(await contextOf(bed(), { lastHeartbeat: { posted: true } }), target({ text: 'once' }));
  expect(sent()).toEqual([]);
});

it('classifies Slack answers and never names the webhook URL', async () => {
  const cases: [number, string, number | undefined, object][] = [
    [400, 'invalid_payload', undefined, { type: 'invalid_input', retryable: false }],
    [403, 'action_prohibited', undefined, { type: 'permission', retryable: false }],
    [404, 'no_service', undefined, { type: 'not_found', retryable: false }],
    [429, 'rate_limited', 3, { type: 'rate_limited', retryable: true, retryAfterMs: 3_000 }],
    [503, 'service_unavailable', undefined, { type: 'unavailable', retryable: true }],
  ];
  const secret = new URL(bed().webhook).pathname.split('/').at(-1) ?? '';
  for (const [status, error, retryAfter, expected] of cases) {
    bed().surrogate.fail('webhook', { status, error, ...(retryAfter === undefined ? {} : { retryAfter }) });
    const err = await slack.apply(await ctx(), target({ text: 'x' })).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ ...expected, message: expect.stringContaining(`Slack answered ${status} ${error}`) });
    expect((err as Error).message).not.toContain(secret);
  }
  const closed = await slack
    .apply(await withWebhook(`http://127.0.0.1:${await freePort()}/services/closed-port-token`), target({ text: 'x' }))
    .catch((e: unknown) => e as Error);
  expect(closed).toMatchObject({
    type: 'unavailable',
    message: 'the Slack webhook could not be reached (ECONNREFUSED): retrying',
  });
  await expect(slack.apply(await ctx(null), target({ text: 'x' }))).rejects.toMatchObject({
    type: 'invalid_input',
    message:
      'credentials.slack.encrypted_webhook_url is required for slack:message: seal the webhook URL with npm run seal',
  });
  await expect(slack.apply(await ctx(), target({ text: '{{missing}}' }))).rejects.toMatchObject({
    type: 'invalid_input',
    message: expect.stringContaining('{{missing}} names no resolved reference'),
  });
});

it('compensates with on_rollback_text, or reports the message irreversible', async () => {
  const announce = target({ text: 'x', on_rollback_text: 'rolled back {{version}}' }, { version: 'v2' });
  const applied = await slack.apply(await ctx(), announce);
  expect(applied.undo).toEqual({ posted: true, rollback_text: 'rolled back v2' });
  // A compensation gets no references: what it posts was rendered by the apply.
  await expect(slack.compensate(await ctx(), { ...announce, refs: {} }, applied.undo)).resolves.toEqual({
    outcome: 'compensated: posted on_rollback_text (the first message stays)',
  });
  expect(sent()).toEqual([{ text: 'x' }, { text: 'rolled back v2' }]);
  await expect(slack.compensate(await ctx(), target({ text: 'x' }), { posted: true })).resolves.toEqual({
    outcome: 'irreversible: a sent Slack message cannot be unsent',
  });
});

describe('in a run on Temporal', () => {
  let worker: TestWorker;
  let temporal: Awaited<ReturnType<typeof testClient>>;
  beforeAll(async () => {
    worker = await startTestWorker({ deps: { clients: { outbound: LOOPBACK_OUTBOUND }, secrets: bed().keyring } });
    temporal = await testClient();
  });
  afterAll(async () => {
    await worker.stop();
    await temporal.close();
  });

  it('announces a release with an output of an earlier node, and posts the rollback notice when a later node fails', async () => {
    const cfg = config(
      {
        build: delay({ outputs: { version: 'v7' } }),
        announce: {
          type: 'slack:message',
          properties: { text: 'releasing {{version}}', on_rollback_text: 'release {{version}} rolled back' },
          references: { version: 'build.version' },
        },
        smoke: delay({ fail_times: 1, non_retryable: true }, { depends_on: ['announce'] }),
      },
      { on_failure: 'rollback' },
    );
    const input = {
      ...deploymentInput(cfg),
      credentials: { slack: { encrypted_webhook_url: await bed().seal(bed().webhook) } },
    };
    const { workflowId, runId } = await startDeployment(temporal.client, { input, taskQueue: worker.taskQueue });
    const final = await result(temporal.client.workflow.getHandle(workflowId, runId));
    expect(final.status).toBe('rolled_back');
    expect(sent().map((body) => body['text'])).toEqual(['releasing v7', 'release v7 rolled back']);
    const history = historyText(await temporal.client.workflow.getHandle(workflowId, runId).fetchHistory());
    expect(leaks({ webhook: bed().webhook }, 'the history', history)).toEqual([]);
    expect(leaks({ announcement: 'releasing v7' }, 'the history', history)).not.toEqual([]);
  });
});
