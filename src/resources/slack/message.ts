/**
 * `slack:message`: posts a message, in one of two modes.
 * - With `channel` (a property, or a reference of that name): through Slack's Web API with the
 *   bot token (web-api.ts), outputs `channel` and `ts`; with `thread_ts` (likewise, usually a
 *   reference to another slack:message's `ts`) as a reply in that thread.
 * - Without: to the incoming webhook (webhook.ts), which cannot reply in a thread.
 * `text` may use `{{name}}` for the node's resolved references (`{{version}}`, `{{arn}}`), so a
 * message can carry what earlier nodes produced.
 *
 * A sent message cannot be unsent: the plan says so, and compensation posts `on_rollback_text`
 * when given (a follow-up, in the message's thread in Web API mode; the first message stays), else
 * reports it irreversible. An attempt that posted heartbeats it, so a retry of the same activity
 * does not post again. A worker dying between Slack's answer and that heartbeat: in Web API mode
 * the retry finds its earlier post by the message's metadata (web-api.ts says how far it looks);
 * a webhook gives nothing to find, so it can post twice. Nothing to verify or destroy: a message
 * is not a resource.
 */
import { z } from 'zod';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { checkBotToken, markOf, postToChannel, type Posted } from './web-api';
import { postToWebhook, webhookUrl } from './webhook';

const TEXT = z.string().min(1).max(40_000);

const properties = z
  .object({
    text: TEXT.meta({ description: 'The message (Slack mrkdwn); {{name}} is replaced by the reference of that name' }),
    /** Block Kit blocks, sent as given (text stays the notification fallback). */
    blocks: z.array(z.record(z.string(), z.unknown())).max(50).optional(),
    /** Posted when a rollback compensates this node. */
    on_rollback_text: TEXT.optional(),
    channel: z.string().min(1).max(80).optional().meta({
      description:
        'Posts through the Web API with credentials.slack.encrypted_bot_token into this channel (id C… or name #releases), not to the webhook; or give a reference named channel',
    }),
    thread_ts: z
      .string()
      .regex(/^\d+\.\d+$/, 'thread_ts must be a Slack message ts such as 1700000000.000100')
      .optional()
      .meta({
        description:
          "Replies in this thread: the ts of its first message; usually a reference named thread_ts to another slack:message's ts",
      }),
  })
  .strict();

export type SlackMessageProperties = z.output<typeof properties>;
type Target = NodeTarget<SlackMessageProperties>;

const IRREVERSIBLE = 'a sent Slack message cannot be unsent';

/** `{{name}}` → the reference's value; an unknown name is an error naming it. */
function render(target: Target, template: string): string {
  return template.replace(/\{\{\s*([A-Za-z_][\w]*)\s*\}\}/g, (_all, name: string) => {
    const value = target.refs[name];
    if (value === undefined || value === null) {
      throw new OperationError(
        'invalid_input',
        `${target.node.resource_id}: {{${name}}} names no resolved reference (its references: ${Object.keys(target.node.references).join(', ') || 'none'})`,
        { retryable: false },
      );
    }
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

/** Whether the node posts through the Web API: it has a channel (property or reference); a thread needs one. */
function usesWebApi(target: Target): boolean {
  const has = (name: 'channel' | 'thread_ts'): boolean =>
    target.properties[name] !== undefined || target.node.references[name] !== undefined;
  if (!has('channel') && has('thread_ts'))
    throw new OperationError(
      'invalid_input',
      `${target.node.resource_id}: thread_ts needs a channel (a webhook cannot reply in a thread): give channel and credentials.slack.encrypted_bot_token`,
      { retryable: false },
    );
  return has('channel');
}

/** The property, else the resolved reference of that name, which must be text. */
function setting(target: Target, name: 'channel' | 'thread_ts'): string | undefined {
  const value = target.properties[name] ?? target.refs[name];
  if (value === undefined || typeof value === 'string') return value;
  throw new OperationError(
    'invalid_input',
    `${target.node.resource_id}: the reference ${name} resolved to ${typeof value}, not a ${name === 'channel' ? 'channel' : 'message ts'}`,
    { retryable: false },
  );
}

interface Heartbeat {
  readonly posted?: unknown;
  readonly channel?: unknown;
  readonly ts?: unknown;
}

/** What an earlier attempt of this activity heartbeated that it posted, or null. */
function postedBefore(ctx: OperationContext): Posted | null {
  const beat = ctx.lastHeartbeat as Heartbeat | undefined;
  return beat?.posted === true && typeof beat.channel === 'string' && typeof beat.ts === 'string'
    ? { channel: beat.channel, ts: beat.ts }
    : null;
}

async function applyThroughWebApi(ctx: OperationContext, target: Target, text: string): Promise<Posted> {
  const earlier = postedBefore(ctx);
  if (earlier) {
    ctx.log(`an earlier attempt posted this message (ts ${earlier.ts}): not posting it again`);
    return earlier;
  }
  const channel = setting(target, 'channel') as string;
  const posted = await postToChannel(
    ctx,
    { channel, text, blocks: target.properties.blocks, thread_ts: setting(target, 'thread_ts') },
    markOf(target, 'message'),
  );
  ctx.heartbeat({ posted: true, ...posted });
  return posted;
}

async function applyThroughWebhook(ctx: OperationContext, target: Target, text: string): Promise<void> {
  if ((ctx.lastHeartbeat as Heartbeat | undefined)?.posted === true) {
    ctx.log('an earlier attempt posted this message: not posting it again');
    return;
  }
  await postToWebhook(ctx, { text, ...(target.properties.blocks ? { blocks: target.properties.blocks } : {}) });
  ctx.heartbeat({ posted: true });
}

export const slackMessage: ResourceType<SlackMessageProperties> = {
  type: 'slack:message',
  provider: 'slack',
  description:
    'A Slack message, to a channel through the Web API (bot token; thread_ts makes it a thread reply, outputs channel and ts) or to an incoming webhook, with {{reference}} placeholders; a rollback can post a follow-up',
  regional: false,
  properties,
  irreversible: (p) =>
    p.on_rollback_text === undefined ? IRREVERSIBLE : `${IRREVERSIBLE} (a rollback posts on_rollback_text after it)`,

  plan: async (ctx, target) => {
    if (usesWebApi(target)) await checkBotToken(ctx);
    else await webhookUrl(ctx);
    return { action: 'create', diff: [], warnings: [`sends a Slack message: ${IRREVERSIBLE}`] };
  },

  async apply(ctx, target) {
    const text = render(target, target.properties.text);
    // Rendered now: a compensation gets no references, only this undo data.
    const followUp = target.properties.on_rollback_text;
    const rollback = followUp === undefined ? {} : { rollback_text: render(target, followUp) };
    if (!usesWebApi(target)) {
      await applyThroughWebhook(ctx, target, text);
      return { outputs: { posted: true, text }, undo: { posted: true, ...rollback } };
    }
    const posted = await applyThroughWebApi(ctx, target, text);
    const threadTs = setting(target, 'thread_ts');
    return {
      outputs: { posted: true, text, ...posted, ...(threadTs === undefined ? {} : { thread_ts: threadTs }) },
      undo: { posted: true, channel: posted.channel, thread_ts: threadTs ?? posted.ts, ...rollback },
    };
  },

  verify: () => Promise.resolve({ drift: [] }),

  async compensate(ctx, target, undo) {
    const followUp = undo?.['rollback_text'];
    if (undo?.['posted'] !== true) return { outcome: 'nothing to undo (nothing was posted)' };
    if (typeof followUp !== 'string') return { outcome: `irreversible: ${IRREVERSIBLE}` };
    const channel = undo['channel'];
    const threadTs = undo['thread_ts'];
    if (typeof channel !== 'string') {
      await postToWebhook(ctx, { text: followUp });
      return { outcome: 'compensated: posted on_rollback_text (the first message stays)' };
    }
    if ((ctx.lastHeartbeat as Heartbeat | undefined)?.posted !== true) {
      const thread = typeof threadTs === 'string' ? threadTs : undefined;
      await postToChannel(ctx, { channel, text: followUp, thread_ts: thread }, markOf(target, 'rollback'));
      ctx.heartbeat({ posted: true });
    }
    return { outcome: "compensated: posted on_rollback_text in the message's thread (the first message stays)" };
  },

  destroy: () => Promise.resolve(),
};
