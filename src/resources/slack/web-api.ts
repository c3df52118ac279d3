/**
 * `slack:message` through Slack's Web API: chat.postMessage with the bot token sealed in
 * `credentials.slack.encrypted_bot_token` (opened at the moment of use, never named), into a
 * channel or, with `thread_ts`, as a reply in a thread.
 *
 * A post carries message metadata (event type `deployment_node`, payload: the run key, the node id
 * and whether it is the message or its rollback follow-up). A retried attempt (attempt > 1: Temporal's
 * retry, or an operator's retry of the node) first looks for that metadata among the channel's last
 * LOOKBACK_MESSAGES messages of the last day (conversations.history; for a reply,
 * conversations.replies of its thread) and adopts what it finds instead of posting again. A channel
 * given by name is looked up among the first LOOKBACK_CHANNELS public channels (conversations.list,
 * scope channels:read: a private one asks groups:read too, so give its id), since the history needs
 * its id. What it cannot check it says in the node's log and posts: a token without
 * channels:history (groups:history for a private channel) or, for a name, channels:read; a name
 * not among those channels; an earlier post older than a day or beyond those messages.
 */
import type { ChatPostMessageArguments } from '@slack/web-api';
import { slackCall, type SlackClient } from '../../providers/slack';
import { OperationError } from '../../providers/operation-error';
import { openCredential } from '../open-field';
import type { NodeTarget, OperationContext } from '../resource-type';

export const BOT_TOKEN_FIELD = 'credentials.slack.encrypted_bot_token';
/** The metadata event type of every message a run posts. */
export const EVENT_TYPE = 'deployment_node';
const LOOKBACK_MESSAGES = 100;
const LOOKBACK_CHANNELS = 1_000;
const LOOKBACK_SECONDS = 24 * 60 * 60;
/** Block Kit blocks are sent as given: the properties keep them as objects, Slack checks them. */
type SlackBlocks = Extract<ChatPostMessageArguments, { blocks: unknown }>['blocks'];
/** Channel, private channel, direct message and multi-party ids; anything else is a name. */
const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;

export interface ChannelMessage {
  /** A channel id (C…) or name (#releases). */
  readonly channel: string;
  readonly text: string;
  readonly blocks?: readonly Record<string, unknown>[] | undefined;
  /** Replies in that thread (the ts of its first message). */
  readonly thread_ts?: string | undefined;
}

export interface Posted {
  /** The channel's id, as Slack answers it. */
  readonly channel: string;
  readonly ts: string;
}

/** Which post of which run: the message's metadata payload. */
export interface PostMark {
  readonly run_key: string;
  readonly node_id: string;
  readonly kind: 'message' | 'rollback' | 'alert';
}

/** The mark of this node's post in its run; null outside a run (no `$run_key`): nothing to find it by. */
export function markOf(target: NodeTarget<unknown>, kind: PostMark['kind']): PostMark | null {
  const runKey = target.refs['$run_key'];
  return typeof runKey === 'string' ? { run_key: runKey, node_id: target.node.node_id, kind } : null;
}

/** A Web API client with the opened bot token. */
export async function botClient(ctx: OperationContext): Promise<SlackClient> {
  const clients = ctx.clients.slack;
  if (!clients)
    throw new OperationError('unavailable', 'this worker has no Slack client configured (SLACK_API_URL)', {
      retryable: false,
    });
  const sealed = ctx.credentials?.slack?.encrypted_bot_token;
  if (!sealed)
    throw new OperationError(
      'invalid_input',
      `${BOT_TOKEN_FIELD} is required for slack:message with a channel: seal a bot token (scope chat:write) with npm run seal -- --purpose slack_bot_token`,
      { retryable: false },
    );
  const token = await openCredential(ctx, sealed, { field: BOT_TOKEN_FIELD, purpose: 'slack_bot_token' });
  return clients.forToken(token, ctx.signal);
}

/** Checks that Slack takes the bot token (auth.test): a plan shows a bad token before anything is posted. */
export async function checkBotToken(ctx: OperationContext): Promise<void> {
  const client = await botClient(ctx);
  await slackCall({ method: 'auth.test', target: 'the workspace' }, () => client.auth.test());
}

const where = (message: ChannelMessage): string =>
  message.thread_ts === undefined ? message.channel : `the thread ${message.thread_ts} of ${message.channel}`;

/** A lookup that the token may not make is skipped with a note; any other failure fails the attempt. */
async function mayLookUp<T>(ctx: OperationContext, run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof OperationError) || err.type !== 'permission') throw err;
    ctx.log(`cannot look for an earlier post of this message (${err.message}): posting it`);
    return null;
  }
}

async function channelId(ctx: OperationContext, client: SlackClient, channel: string): Promise<string | null> {
  if (CHANNEL_ID.test(channel)) return channel;
  const name = channel.replace(/^#/, '');
  const listed = await mayLookUp(ctx, () =>
    slackCall({ method: 'conversations.list', target: channel }, () =>
      client.conversations.list({
        types: 'public_channel',
        exclude_archived: true,
        limit: LOOKBACK_CHANNELS,
      }),
    ),
  );
  const id = listed?.channels?.find((c) => c.name === name)?.id ?? null;
  if (listed && id === null)
    ctx.log(`cannot look for an earlier post: ${channel} is not among the first ${LOOKBACK_CHANNELS} channels`);
  return id;
}

const isMark = (payload: unknown, mark: PostMark): boolean => {
  const p = (payload ?? {}) as Partial<Record<keyof PostMark, unknown>>;
  return p.run_key === mark.run_key && p.node_id === mark.node_id && p.kind === mark.kind;
};

/** An earlier attempt's post of this mark among the recent messages, if the token may look. */
async function findEarlierPost(
  ctx: OperationContext,
  client: SlackClient,
  message: ChannelMessage,
  mark: PostMark,
): Promise<Posted | null> {
  const channel = await channelId(ctx, client, message.channel);
  if (channel === null) return null;
  const window = {
    channel,
    oldest: String(Math.floor(Date.now() / 1_000) - LOOKBACK_SECONDS),
    limit: LOOKBACK_MESSAGES,
    include_all_metadata: true,
  };
  const threadTs = message.thread_ts;
  const page = await mayLookUp(ctx, () =>
    threadTs === undefined
      ? slackCall({ method: 'conversations.history', target: message.channel }, () =>
          client.conversations.history(window),
        )
      : slackCall({ method: 'conversations.replies', target: where(message) }, () =>
          client.conversations.replies({ ...window, ts: threadTs }),
        ),
  );
  const found = page?.messages?.find(
    (m) => m.metadata?.event_type === EVENT_TYPE && isMark(m.metadata.event_payload, mark),
  );
  return found?.ts === undefined ? null : { channel, ts: found.ts };
}

/**
 * Posts `message` once: a retried attempt first adopts its earlier post (see the header). Marked
 * with `mark` (null: unmarked, not looked for).
 */
export async function postToChannel(
  ctx: OperationContext,
  message: ChannelMessage,
  mark: PostMark | null,
): Promise<Posted> {
  const client = await botClient(ctx);
  if (mark !== null && ctx.attempt > 1) {
    const earlier = await findEarlierPost(ctx, client, message, mark);
    if (earlier) {
      ctx.log(`an earlier attempt posted this message (ts ${earlier.ts}): not posting it again`);
      return earlier;
    }
  }
  const answer = await slackCall({ method: 'chat.postMessage', target: where(message) }, () =>
    client.chat.postMessage({
      channel: message.channel,
      text: message.text,
      ...(message.blocks === undefined ? {} : { blocks: [...message.blocks] as unknown as SlackBlocks }),
      ...(message.thread_ts === undefined ? {} : { thread_ts: message.thread_ts }),
      ...(mark === null ? {} : { metadata: { event_type: EVENT_TYPE, event_payload: { ...mark } } }),
    }),
  );
  if (typeof answer.channel !== 'string' || typeof answer.ts !== 'string')
    throw new OperationError(
      'unavailable',
      `Slack answered chat.postMessage in ${where(message)} without channel and ts`,
    );
  return { channel: answer.channel, ts: answer.ts };
}
