/**
 * The Slack surrogate answers as Slack does, seen through Slack's own client (@slack/web-api):
 * what the product does not use yet (chat.update, metadata hidden unless asked for, tokens
 * missing or unknown) is pinned here; what it uses, by test/slack/.
 */
import { WebClient } from '@slack/web-api';
import { SlackSurrogate } from './server';

let surrogate: SlackSurrogate;
const client = (token?: string) =>
  new WebClient(token, { slackApiUrl: surrogate.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });

beforeAll(async () => {
  surrogate = await SlackSurrogate.start();
  surrogate.addToken('xoxb-good');
  surrogate.addChannel('releases');
});
afterAll(() => surrogate.close());

it('posts, threads and updates messages with unique increasing ts, showing metadata only when asked', async () => {
  const bot = client('xoxb-good');
  const metadata = { event_type: 'deployment_node', event_payload: { run_key: 'r', node_id: 'n' } };
  const first = await bot.chat.postMessage({ channel: '#releases', text: 'one', metadata });
  const reply = await bot.chat.postMessage({
    channel: first.channel as string,
    text: 'two',
    thread_ts: first.ts as string,
  });
  expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
  expect(Number(reply.ts)).toBeGreaterThan(Number(first.ts));
  await bot.chat.update({ channel: first.channel as string, ts: first.ts as string, text: 'one, edited' });

  const history = await bot.conversations.history({ channel: first.channel as string });
  expect(history.messages).toEqual([
    expect.objectContaining({ ts: first.ts, text: 'one, edited', thread_ts: first.ts, reply_count: 1 }),
  ]);
  expect(history.messages?.[0]?.metadata).toBeUndefined();
  const withMetadata = await bot.conversations.history({
    channel: first.channel as string,
    include_all_metadata: true,
  });
  expect(withMetadata.messages?.[0]?.metadata).toEqual(metadata);
  const thread = await bot.conversations.replies({ channel: first.channel as string, ts: first.ts as string });
  expect(thread.messages?.map((m) => m.text)).toEqual(['one, edited', 'two']);
  expect(surrogate.messages('releases').map((m) => [m.text, m.thread_ts])).toEqual([
    ['one, edited', undefined],
    ['two', first.ts],
  ]);
});

it('refuses what Slack refuses, and answers injected faults once', async () => {
  await expect(client().auth.test()).rejects.toMatchObject({ data: { ok: false, error: 'not_authed' } });
  await expect(client('xoxb-bad').auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  const bot = client('xoxb-good');
  await expect(bot.chat.postMessage({ channel: '#nowhere', text: 'x' })).rejects.toMatchObject({
    data: { error: 'channel_not_found' },
  });
  await expect(bot.conversations.history({ channel: 'releases' })).rejects.toMatchObject({
    data: { error: 'channel_not_found' },
  });
  surrogate.fail('chat.postMessage', { error: 'ratelimited', retryAfter: 7 });
  await expect(bot.chat.postMessage({ channel: '#releases', text: 'x' })).rejects.toMatchObject({ retryAfter: 7 });
  await expect(bot.chat.postMessage({ channel: '#releases', text: 'x' })).resolves.toMatchObject({ ok: true });
  expect(surrogate.count('chat.postMessage', 'ratelimited')).toBe(1);
});

it('takes incoming webhooks at their secret URL only', async () => {
  const url = surrogate.addWebhook('releases');
  const post = (to: string, body: unknown) =>
    fetch(to, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const posted = await post(url, { text: 'hooked' });
  expect([posted.status, await posted.text()]).toEqual([200, 'ok']);
  const unknown = await post(`${surrogate.url}/services/T0/B0/wrong`, { text: 'x' });
  expect([unknown.status, await unknown.text()]).toEqual([404, 'no_service']);
  expect(surrogate.messages('releases').at(-1)).toMatchObject({ text: 'hooked', via: 'webhook' });
});
