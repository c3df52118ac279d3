/**
 * slack:message against a local webhook server (127.0.0.1, free port, stopped after the file):
 * the payload with references filled in, Slack's answers as error types that never name the
 * webhook URL, no second post from a retried attempt that already posted, the follow-up on
 * rollback; and one real run on Temporal that rolls back and posts its notice.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceKey } from '../../src/credentials/service-key';
import { sealTo } from '../../src/credentials/sealed-box';
import { resourceType } from '../../src/resources/registry';
import { freePort } from '../../src/runtime/free-port';
import type { NodeTarget, OperationContext } from '../../src/resources/resource-type';
import { config, delay, deploymentInput, result } from '../../support/deployments';
import { historyText, leaks } from '../helpers/leaks';
import { startDeployment } from '../../src/client/start-deployment';
import { startTestWorker, testClient, type TestWorker } from '../../support/temporal';

const slack = resourceType('slack:message');
let server: Server;
let url: string;
let keyring: ServiceKey;
let dir: string;
const posts: { path: string; body: Record<string, unknown> }[] = [];
let answer: { status: number; body: string; headers?: Record<string, string> } = { status: 200, body: 'ok' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slack-'));
  keyring = await ServiceKey.load({ dataDir: dir });
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
    });
    req.on('end', () => {
      posts.push({ path: req.url ?? '', body: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/secret-webhook-token`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  posts.length = 0;
  answer = { status: 200, body: 'ok' };
});

async function ctx(
  options: { lastHeartbeat?: unknown; webhook?: string | null } = {},
): Promise<OperationContext & { beats: unknown[] }> {
  const beats: unknown[] = [];
  const webhook = options.webhook === undefined ? url : options.webhook;
  return {
    credentials:
      webhook === null ? null : { slack: { encrypted_webhook_url: await sealTo(keyring.publicKey, webhook) } },
    open: (sealed, use) => keyring.open(sealed, { ...use, tenant: null }),
    clients: {},
    heartbeat: (details) => beats.push(details),
    signal: new AbortController().signal,
    attempt: 1,
    lastHeartbeat: options.lastHeartbeat,
    log: () => undefined,
    beats,
  };
}

const target = (properties: Record<string, unknown>, refs: Record<string, unknown> = {}): NodeTarget<unknown> => ({
  deployment_id: 'd',
  graph_id: 'g',
  refs,
  node: {
    node_id: 'n1',
    resource_id: 'notify',
    type: 'slack:message',
    operation: 'create',
    region: null,
    properties,
    references: {},
    tags: {},
  },
  properties: slack.properties.parse(properties),
});

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
  expect(posts).toEqual([
    {
      path: '/services/T000/B000/secret-webhook-token',
      body: { text: 'deployed v2 as arn:aws:lambda:x', blocks: [{ type: 'divider' }] },
    },
  ]);
  expect(c.beats).toEqual([{ posted: true }]);
  await expect(slack.plan(c, target({ text: 'x' }))).resolves.toEqual({
    action: 'create',
    diff: [],
    warnings: ['sends a Slack message: a sent Slack message cannot be unsent'],
  });
  expect(slack.irreversible?.(slack.properties.parse({ text: 'x' }))).toBe('a sent Slack message cannot be unsent');
});

it('does not post again when an earlier attempt of the activity already did', async () => {
  await slack.apply(await ctx({ lastHeartbeat: { posted: true } }), target({ text: 'once' }));
  expect(posts).toEqual([]);
});

it('classifies Slack answers and never names the webhook URL', async () => {
  const cases: [number, string, Record<string, string>, object][] = [
    [400, 'invalid_payload', {}, { type: 'invalid_input', retryable: false }],
    [403, 'action_prohibited', {}, { type: 'permission', retryable: false }],
    [404, 'no_service', {}, { type: 'not_found', retryable: false }],
    [429, 'rate_limited', { 'retry-after': '3' }, { type: 'rate_limited', retryable: true, retryAfterMs: 3_000 }],
    [503, 'service_unavailable', {}, { type: 'unavailable', retryable: true }],
  ];
  for (const [status, body, headers, expected] of cases) {
    answer = { status, body, headers };
    const err = await slack.apply(await ctx(), target({ text: 'x' })).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ ...expected, message: expect.stringContaining(`Slack answered ${status} ${body}`) });
    expect((err as Error).message).not.toContain('secret-webhook-token');
  }
  const closed = await slack
    .apply(
      await ctx({ webhook: `http://127.0.0.1:${await freePort()}/services/closed-port-token` }),
      target({ text: 'x' }),
    )
    .catch((e: unknown) => e as Error);
  expect(closed).toMatchObject({
    type: 'unavailable',
    message: 'the Slack webhook could not be reached (ECONNREFUSED): retrying',
  });
  await expect(slack.apply(await ctx({ webhook: null }), target({ text: 'x' }))).rejects.toMatchObject({
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
  expect(posts.map((p) => p.body)).toEqual([{ text: 'x' }, { text: 'rolled back v2' }]);
  await expect(slack.compensate(await ctx(), target({ text: 'x' }), { posted: true })).resolves.toEqual({
    outcome: 'irreversible: a sent Slack message cannot be unsent',
  });
});

describe('in a run on Temporal', () => {
  let worker: TestWorker;
  let temporal: Awaited<ReturnType<typeof testClient>>;
  beforeAll(async () => {
    worker = await startTestWorker({ deps: { clients: {}, secrets: keyring } });
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
      credentials: { slack: { encrypted_webhook_url: await sealTo(keyring.publicKey, url) } },
    };
    const { workflowId, runId } = await startDeployment(temporal.client, { input, taskQueue: worker.taskQueue });
    const final = await result(temporal.client.workflow.getHandle(workflowId, runId));
    expect(final.status).toBe('rolled_back');
    expect(posts.map((p) => p.body['text'])).toEqual(['releasing v7', 'release v7 rolled back']);
    const history = historyText(await temporal.client.workflow.getHandle(workflowId, runId).fetchHistory());
    expect(leaks({ webhook: url }, 'the history', history)).toEqual([]);
    expect(leaks({ announcement: 'releasing v7' }, 'the history', history)).not.toEqual([]);
  });
});
