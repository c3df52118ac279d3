/**
 * `slack:message`: posts a message to the Slack incoming webhook sealed in
 * `credentials.slack.encrypted_webhook_url` (opened at the moment of use; the URL is the secret,
 * so no error, log or output ever names it). `text` may use `{{name}}` for the node's resolved
 * references (`{{version}}`, `{{arn}}`), so a message can carry what earlier nodes produced.
 *
 * A sent message cannot be unsent: the plan says so, and compensation posts `on_rollback_text`
 * when given (a follow-up, the first message stays), else reports it irreversible. A webhook
 * cannot deduplicate: an attempt that posted heartbeats `{ posted: true }`, so a retry of the
 * same activity does not post again; a worker dying between Slack's answer and that heartbeat
 * can still post twice. Nothing to verify or destroy: a message is not a resource.
 */
import { transportReason } from '../../providers/transport-reason';
import { z } from 'zod';
import { OperationError } from '../../providers/operation-error';
import { openCredential } from '../open-field';
import type { NodeTarget, OperationContext, ResourceType } from '../resource-type';

const TEXT = z.string().min(1).max(40_000);

const properties = z
  .object({
    text: TEXT.meta({ description: 'The message (Slack mrkdwn); {{name}} is replaced by the reference of that name' }),
    /** Block Kit blocks, sent as given (text stays the notification fallback). */
    blocks: z.array(z.record(z.string(), z.unknown())).max(50).optional(),
    /** Posted when a rollback compensates this node. */
    on_rollback_text: TEXT.optional(),
  })
  .strict();

export type SlackMessageProperties = z.output<typeof properties>;
type Target = NodeTarget<SlackMessageProperties>;

const IRREVERSIBLE = 'a sent Slack message cannot be unsent';
const WEBHOOK_FIELD = 'credentials.slack.encrypted_webhook_url';

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

async function webhook(ctx: OperationContext): Promise<string> {
  const sealed = ctx.credentials?.slack?.encrypted_webhook_url;
  if (!sealed)
    throw new OperationError(
      'invalid_input',
      `${WEBHOOK_FIELD} is required for slack:message: seal the webhook URL with npm run seal`,
      { retryable: false },
    );
  return openCredential(ctx, sealed, { field: WEBHOOK_FIELD, purpose: 'slack_webhook_url' });
}

/** Slack's answer as an error_type; its body is a short code such as `invalid_payload` or `no_service`. */
function failure(status: number, body: string, retryAfter: string | null): OperationError {
  const code = body.slice(0, 100).replace(/[^\w -]/g, '');
  const said = `Slack answered ${status}${code ? ` ${code}` : ''}`;
  if (status === 429) {
    const seconds = Number(retryAfter);
    return new OperationError(
      'rate_limited',
      `${said}: retrying after the limit resets`,
      Number.isFinite(seconds) ? { retryAfterMs: seconds * 1_000 } : {},
    );
  }
  if (status >= 500) return new OperationError('unavailable', `${said}: retrying`);
  if (status === 404 || status === 410)
    return new OperationError(
      'not_found',
      `${said}: the webhook's channel or app is gone; make a new webhook and seal it`,
      { retryable: false },
    );
  if (status === 401 || status === 403)
    return new OperationError('permission', `${said}: the webhook may not post there`, { retryable: false });
  return new OperationError('invalid_input', `${said}: check text and blocks`, { retryable: false });
}

async function post(ctx: OperationContext, payload: Record<string, unknown>): Promise<void> {
  const url = await webhook(ctx);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: ctx.signal,
    });
  } catch (err) {
    // The error of a failed fetch names the URL: only its class and code are kept.
    throw new OperationError(
      'unavailable',
      `the Slack webhook could not be reached (${transportReason(err)}): retrying`,
    );
  }
  const body = await response.text().catch(() => '');
  if (!response.ok) throw failure(response.status, body, response.headers.get('retry-after'));
}

export const slackMessage: ResourceType<SlackMessageProperties> = {
  type: 'slack:message',
  provider: 'slack',
  description:
    'A message posted to a Slack incoming webhook (sealed), with {{reference}} placeholders; a rollback can post a follow-up',
  regional: false,
  properties,
  irreversible: (p) =>
    p.on_rollback_text === undefined ? IRREVERSIBLE : `${IRREVERSIBLE} (a rollback posts on_rollback_text after it)`,

  plan: async (ctx) => {
    await webhook(ctx);
    return { action: 'create', diff: [], warnings: [`sends a Slack message: ${IRREVERSIBLE}`] };
  },

  async apply(ctx, target) {
    const text = render(target, target.properties.text);
    if ((ctx.lastHeartbeat as { posted?: unknown } | undefined)?.posted === true) {
      ctx.log('an earlier attempt posted this message: not posting it again');
    } else {
      await post(ctx, { text, ...(target.properties.blocks ? { blocks: target.properties.blocks } : {}) });
      ctx.heartbeat({ posted: true });
    }
    // Rendered now: a compensation gets no references, only this undo data.
    const followUp = target.properties.on_rollback_text;
    return {
      outputs: { posted: true, text },
      undo: { posted: true, ...(followUp === undefined ? {} : { rollback_text: render(target, followUp) }) },
    };
  },

  verify: () => Promise.resolve({ drift: [] }),

  async compensate(ctx, _target, undo) {
    const followUp = undo?.['rollback_text'];
    if (undo?.['posted'] !== true) return { outcome: 'nothing to undo (nothing was posted)' };
    if (typeof followUp !== 'string') return { outcome: `irreversible: ${IRREVERSIBLE}` };
    await post(ctx, { text: followUp });
    return { outcome: 'compensated: posted on_rollback_text (the first message stays)' };
  },

  destroy: () => Promise.resolve(),
};
