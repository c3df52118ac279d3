/**
 * slack:message in Web API mode (a channel given), against the Slack surrogate through the real
 * @slack/web-api client: chat.postMessage with the bot token, outputs channel and ts, a reply in
 * a thread, Slack's error codes as our error types (never naming the token), no second post from
 * a retried attempt (by heartbeat, or found by its metadata when the answer was lost), and the
 * rollback follow-up in the message's thread.
 */
import { createSlackClients } from '../../src/providers/slack';
import { freePort } from '../../src/runtime/free-port';
import type { SlackFault } from '../surrogates/slack/server';
import { contextOf, messageTarget as target, slack, useSlackBed } from './helpers/slack-bed';

const bed = useSlackBed();
const RUN = { $run_key: 'run-1' };
const announce = { text: 'run {{url}}', channel: '#releases' };
const posts = () => bed().surrogate.count('chat.postMessage');

it('posts to a channel with the bot token, outputs channel and ts, and replies in its thread', async () => {
  const first = await contextOf(bed());
  const link = await slack.apply(first, target(announce, { ...RUN, url: 'https://ci/run/1' }, 'run-link'));
  const channel = bed().surrogate.state.channel('releases')?.id;
  const ts = link.outputs['ts'] as string;
  expect(link.outputs).toEqual({ posted: true, text: 'run https://ci/run/1', channel, ts });
  expect(ts).toMatch(/^\d{10}\.\d{6}$/);
  expect(first.beats).toEqual([{ posted: true, channel, ts }]);

  const notes = target({ text: 'notes' }, { ...RUN, channel, thread_ts: ts }, 'notes');
  await expect(slack.plan(await contextOf(bed()), notes)).resolves.toMatchObject({ action: 'create' });
  const reply = await slack.apply(await contextOf(bed()), notes);
  expect(reply.outputs).toEqual({ posted: true, text: 'notes', channel, ts: expect.any(String), thread_ts: ts });
  expect(bed().surrogate.messages('releases').slice(-2)).toEqual([
    expect.objectContaining({ ts, thread_ts: undefined, text: 'run https://ci/run/1' }),
    expect.objectContaining({
      ts: reply.outputs['ts'],
      thread_ts: ts,
      metadata: {
        event_type: 'deployment_node',
        event_payload: { run_key: 'run-1', node_id: notes.node.node_id, kind: 'message' },
      },
    }),
  ]);
  expect(Number(reply.outputs['ts'])).toBeGreaterThan(Number(ts));
});

it("classifies Slack's answers as error types and never names the token", async () => {
  const post = async (fault?: SlackFault) => {
    if (fault) bed().surrogate.fail('chat.postMessage', fault);
    return slack.apply(await contextOf(bed()), target(announce, { url: 'x' })).catch((e: unknown) => e as Error);
  };
  const cases: [Parameters<typeof post>[0], object][] = [
    [{ error: 'channel_not_found' }, { type: 'not_found', retryable: false }],
    [{ error: 'not_in_channel' }, { type: 'permission', retryable: false }],
    [{ error: 'invalid_blocks' }, { type: 'invalid_input', retryable: false }],
    [
      { error: 'ratelimited', retryAfter: 3 },
      { type: 'rate_limited', retryable: true, retryAfterMs: 3_000 },
    ],
    [{ error: 'internal_error' }, { type: 'unavailable', retryable: true }],
    [{ status: 503 }, { type: 'unavailable', retryable: true }],
  ];
  for (const [fault, expected] of cases) {
    const err = await post(fault);
    expect(err).toMatchObject({ ...expected, message: expect.stringContaining('chat.postMessage in #releases') });
    expect((err as Error).message).not.toContain(bed().token);
  }
  const badToken = `xoxb-not-known-${Date.now()}`;
  const refused = await slack
    .apply(
      await contextOf(bed(), { credentials: await bed().credentials({ token: badToken }) }),
      target(announce, { url: 'x' }),
    )
    .catch((e: unknown) => e as Error);
  expect(refused).toMatchObject({
    type: 'auth',
    retryable: false,
    message:
      'Slack answered invalid_auth to chat.postMessage in #releases: check the bot token (credentials.slack.encrypted_bot_token)',
  });
  await expect(
    slack.plan(await contextOf(bed(), { credentials: await bed().credentials({ token: badToken }) }), target(announce)),
  ).rejects.toMatchObject({ type: 'auth', message: expect.stringContaining('invalid_auth to auth.test') });
  const unreachable = {
    clients: { slack: createSlackClients({ apiUrl: `http://127.0.0.1:${await freePort()}/api` }) },
  };
  const ctx = { ...(await contextOf(bed())), ...unreachable };
  await expect(slack.apply(ctx, target(announce, { url: 'x' }))).rejects.toMatchObject({
    type: 'unavailable',
    message: 'Slack could not be reached (ECONNREFUSED) during chat.postMessage in #releases: retrying',
  });
});

it('refuses what cannot be posted before posting: no bot token, a thread without a channel', async () => {
  const before = posts();
  await expect(
    slack.apply(
      await contextOf(bed(), { credentials: await bed().credentials({ token: null }) }),
      target(announce, { url: 'x' }),
    ),
  ).rejects.toMatchObject({
    type: 'invalid_input',
    message: expect.stringContaining(
      'credentials.slack.encrypted_bot_token is required for slack:message with a channel',
    ),
  });
  const threadOnly = target({ text: 'x', thread_ts: '1700000000.000100' });
  await expect(slack.plan(await contextOf(bed()), threadOnly)).rejects.toMatchObject({
    type: 'invalid_input',
    message:
      'notify: thread_ts needs a channel (a webhook cannot reply in a thread): give channel and credentials.slack.encrypted_bot_token',
  });
  expect(() => slack.properties.parse({ text: 'x', channel: '#r', thread_ts: 'yesterday' })).toThrow(
    'thread_ts must be a Slack message ts',
  );
  expect(posts()).toBe(before);
});

describe('a retried attempt', () => {
  it('does not post again when the earlier attempt heartbeated its post', async () => {
    const before = bed().surrogate.requests.length;
    const earlier = { posted: true, channel: 'C00000001', ts: '1700000000.000100' };
    const applied = await slack.apply(
      await contextOf(bed(), { attempt: 2, lastHeartbeat: earlier }),
      target(announce, { ...RUN, url: 'x' }),
    );
    expect(applied.outputs).toMatchObject({ channel: 'C00000001', ts: '1700000000.000100' });
    expect(bed().surrogate.requests.length).toBe(before);
  });

  it('finds its earlier post by metadata when the answer was lost, in the channel and in a thread', async () => {
    const refs = { ...RUN, $run_key: 'run-lost', url: 'x' };
    bed().surrogate.fail('chat.postMessage', { status: 503, afterEffect: true });
    const lost = await slack.apply(await contextOf(bed()), target(announce, refs, 'lost')).catch((e: unknown) => e);
    expect(lost).toMatchObject({ type: 'unavailable' });
    const landed = bed().surrogate.messages('releases').at(-1);
    const retry = await contextOf(bed(), { attempt: 2 });
    const applied = await slack.apply(retry, target(announce, refs, 'lost'));
    expect(applied.outputs).toMatchObject({ channel: landed?.channel, ts: landed?.ts });
    expect(retry.logs).toEqual([`an earlier attempt posted this message (ts ${landed?.ts}): not posting it again`]);

    const replyRefs = { $run_key: 'run-lost', channel: landed?.channel, thread_ts: landed?.ts };
    bed().surrogate.fail('chat.postMessage', { error: 'internal_error', afterEffect: true });
    await expect(slack.apply(await contextOf(bed()), target({ text: 'r' }, replyRefs, 'reply'))).rejects.toMatchObject({
      type: 'unavailable',
    });
    const reply = await slack.apply(await contextOf(bed(), { attempt: 3 }), target({ text: 'r' }, replyRefs, 'reply'));
    const thread = bed()
      .surrogate.messages('releases')
      .filter((m) => m.thread_ts === landed?.ts);
    expect(thread.map((m) => m.ts)).toEqual([reply.outputs['ts']]);
    expect(bed().surrogate.count('conversations.replies')).toBeGreaterThan(0);
  });

  it('posts, saying so, when its token may not read the history', async () => {
    const readOnly = `xoxb-write-only-${Date.now()}`;
    bed().surrogate.addToken(readOnly, ['chat:write']);
    const retry = await contextOf(bed(), { attempt: 2, credentials: await bed().credentials({ token: readOnly }) });
    const before = posts();
    await slack.apply(retry, target(announce, { ...RUN, $run_key: 'run-no-scope', url: 'x' }));
    expect(posts()).toBe(before + 1);
    expect(retry.logs[0]).toMatch(
      /^cannot look for an earlier post of this message \(Slack answered missing_scope \(needs channels:read\)/,
    );
  });
});

it("compensates with on_rollback_text in the message's thread", async () => {
  const node = target({ ...announce, on_rollback_text: 'rolled back {{url}}' }, { ...RUN, url: 'v9' }, 'rollback');
  const applied = await slack.apply(await contextOf(bed()), node);
  const { channel, ts } = applied.outputs as { channel: string; ts: string };
  expect(applied.undo).toEqual({ posted: true, channel, thread_ts: ts, rollback_text: 'rolled back v9' });
  const compensation = await contextOf(bed());
  await expect(slack.compensate(compensation, { ...node, refs: RUN }, applied.undo)).resolves.toEqual({
    outcome: "compensated: posted on_rollback_text in the message's thread (the first message stays)",
  });
  expect(compensation.beats).toEqual([{ posted: true }]);
  expect(bed().surrogate.messages('releases').at(-1)).toMatchObject({
    text: 'rolled back v9',
    thread_ts: ts,
    metadata: { event_type: 'deployment_node', event_payload: { kind: 'rollback' } },
  });
});
