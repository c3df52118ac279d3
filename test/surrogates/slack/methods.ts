/**
 * The Web API methods the Slack surrogate serves, as Slack answers them: chat.postMessage,
 * chat.update, conversations.history / .replies / .list and auth.test. Arguments arrive as the
 * SDK sends them (form fields, objects as JSON text); a method refuses what Slack refuses with its
 * error code (`channel_not_found`, `thread_not_found`, `missing_scope`, …).
 */
import type { BotToken, Message, MessageMetadata, SlackState } from './state';

/** Slack's `{ ok: false, error }` answer, with any extra fields (`needed` of missing_scope). */
export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(error);
  }
}

export type Args = Readonly<Record<string, unknown>>;
type Method = (state: SlackState, args: Args, token: BotToken) => Record<string, unknown>;

export const TEAM = {
  team: 'Surrogate',
  team_id: 'T0SURROGATE',
  user: 'deploy-bot',
  user_id: 'U0BOT',
  bot_id: 'B0BOT',
};

/** Form fields are text: objects come as JSON. */
const parsed = (value: unknown): unknown => {
  if (typeof value !== 'string' || !/^[[{]/.test(value)) return value;
  return JSON.parse(value) as unknown;
};
const text = (args: Args, name: string): string | undefined => {
  const value = args[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
};
const flag = (args: Args, name: string): boolean => args[name] === true || args[name] === 'true';
const limitOf = (args: Args): number => Math.min(Number(text(args, 'limit') ?? 100) || 100, 1_000);

function requireScope(token: BotToken, scope: string): void {
  if (!token.scopes.has(scope))
    throw new SlackApiError('missing_scope', { needed: scope, provided: [...token.scopes].join(',') });
}

/** A channel by id only, as the conversations.* methods take it. */
function channelById(state: SlackState, args: Args): string {
  const id = text(args, 'channel') ?? '';
  if (!state.channels.has(id)) throw new SlackApiError('channel_not_found');
  return id;
}

function metadataOf(args: Args): MessageMetadata | undefined {
  const value = parsed(args['metadata']) as Partial<MessageMetadata> | undefined;
  if (value === undefined) return undefined;
  if (typeof value.event_type !== 'string' || typeof value.event_payload !== 'object' || value.event_payload === null)
    throw new SlackApiError('invalid_metadata_format');
  return { event_type: value.event_type, event_payload: value.event_payload };
}

/** A message as Slack lists it; metadata only when asked for. */
function shown(message: Message, state: SlackState, withMetadata: boolean): Record<string, unknown> {
  const replies = state.messages.filter((m) => m.thread_ts === message.ts && m.channel === message.channel).length;
  return {
    type: 'message',
    bot_id: TEAM.bot_id,
    text: message.text,
    ts: message.ts,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.thread_ts ? { thread_ts: message.thread_ts } : replies > 0 ? { thread_ts: message.ts } : {}),
    ...(replies > 0 ? { reply_count: replies } : {}),
    ...(message.edited ? { edited: { user: TEAM.user_id, ts: message.ts } } : {}),
    ...(withMetadata && message.metadata ? { metadata: message.metadata } : {}),
  };
}

/** Messages within the `oldest`/`latest` window, up to `limit`, and whether more were left. */
function page(messages: readonly Message[], args: Args): { messages: Message[]; has_more: boolean } {
  const oldest = Number(text(args, 'oldest') ?? 0);
  const latest = Number(text(args, 'latest') ?? Infinity);
  const inWindow = messages.filter((m) => Number(m.ts) >= oldest && Number(m.ts) <= latest);
  const limit = limitOf(args);
  return { messages: inWindow.slice(0, limit), has_more: inWindow.length > limit };
}

const postMessage: Method = (state, args, token) => {
  requireScope(token, 'chat:write');
  const channel = state.channel(text(args, 'channel') ?? '');
  if (!channel) throw new SlackApiError('channel_not_found');
  const blocks = parsed(args['blocks']) as unknown[] | undefined;
  const body = text(args, 'text') ?? '';
  if (body === '' && !blocks?.length) throw new SlackApiError('no_text');
  const threadTs = text(args, 'thread_ts');
  const parent = threadTs === undefined ? undefined : state.find(channel.id, threadTs);
  if (threadTs !== undefined && (parent === undefined || parent.thread_ts !== undefined))
    throw new SlackApiError('thread_not_found');
  const message = state.post({
    channel: channel.id,
    text: body,
    blocks,
    thread_ts: threadTs,
    metadata: metadataOf(args),
    via: 'web_api',
  });
  return { channel: channel.id, ts: message.ts, message: shown(message, state, true) };
};

const update: Method = (state, args, token) => {
  requireScope(token, 'chat:write');
  const channel = state.channel(text(args, 'channel') ?? '');
  if (!channel) throw new SlackApiError('channel_not_found');
  const message = state.find(channel.id, text(args, 'ts') ?? '');
  if (!message) throw new SlackApiError('message_not_found');
  if (message.via !== 'web_api') throw new SlackApiError('cant_update_message');
  message.text = text(args, 'text') ?? message.text;
  message.blocks = (parsed(args['blocks']) as unknown[] | undefined) ?? message.blocks;
  message.edited = true;
  return { channel: channel.id, ts: message.ts, text: message.text };
};

const history: Method = (state, args, token) => {
  requireScope(token, 'channels:history');
  const channel = channelById(state, args);
  const inChannel = state.messages.filter((m) => m.channel === channel && m.thread_ts === undefined).reverse();
  const found = page(inChannel, args);
  const withMetadata = flag(args, 'include_all_metadata');
  return { messages: found.messages.map((m) => shown(m, state, withMetadata)), has_more: found.has_more };
};

const replies: Method = (state, args, token) => {
  requireScope(token, 'channels:history');
  const channel = channelById(state, args);
  const parent = state.find(channel, text(args, 'ts') ?? '');
  if (!parent || parent.thread_ts !== undefined) throw new SlackApiError('thread_not_found');
  const thread = state.messages.filter((m) => m.channel === channel && m.thread_ts === parent.ts);
  const found = page(thread, args);
  const withMetadata = flag(args, 'include_all_metadata');
  return {
    messages: [parent, ...found.messages].map((m) => shown(m, state, withMetadata)),
    has_more: found.has_more,
  };
};

const list: Method = (state, args, token) => {
  requireScope(token, 'channels:read');
  const channels = [...state.channels.values()].slice(0, limitOf(args));
  return { channels: channels.map((c) => ({ id: c.id, name: c.name, is_channel: true, is_archived: false })) };
};

const authTest: Method = () => ({ url: 'https://surrogate.slack.com/', ...TEAM });

export const METHODS: Readonly<Record<string, Method>> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'conversations.history': history,
  'conversations.replies': replies,
  'conversations.list': list,
  'auth.test': authTest,
};
