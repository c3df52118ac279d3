/**
 * `slack:message` through an incoming webhook: the URL sealed in
 * `credentials.slack.encrypted_webhook_url` is opened at the moment of use; the URL is the secret,
 * so no error, log or output ever names it. A webhook answers only `ok` or a short error code: it
 * cannot reply in a thread, and gives nothing to find a post by.
 */
import { checkUrl, DEFAULT_OUTBOUND, OutboundRefused, postJson, type OutboundAnswer } from '../../providers/outbound';
import { transportReason } from '../../providers/transport-reason';
import { OperationError } from '../../providers/operation-error';
import { openCredential } from '../open-field';
import type { OperationContext } from '../resource-type';

const WEBHOOK_FIELD = 'credentials.slack.encrypted_webhook_url';

const refused = (err: OutboundRefused): OperationError =>
  new OperationError('permission', `the Slack webhook URL (${WEBHOOK_FIELD}) is ${err.message}`, { retryable: false });

/** Opens the webhook URL and checks it against OUTBOUND_HOSTS (a plan checks both). */
export async function webhookUrl(ctx: OperationContext): Promise<string> {
  const sealed = ctx.credentials?.slack?.encrypted_webhook_url;
  if (!sealed)
    throw new OperationError(
      'invalid_input',
      `${WEBHOOK_FIELD} is required for slack:message: seal the webhook URL with npm run seal`,
      { retryable: false },
    );
  const url = await openCredential(ctx, sealed, { field: WEBHOOK_FIELD, purpose: 'slack_webhook_url' });
  try {
    checkUrl(ctx.clients.outbound ?? DEFAULT_OUTBOUND, url);
  } catch (err) {
    throw err instanceof OutboundRefused ? refused(err) : err;
  }
  return url;
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

export async function postToWebhook(ctx: OperationContext, payload: Record<string, unknown>): Promise<void> {
  const url = await webhookUrl(ctx);
  let answer: OutboundAnswer;
  try {
    answer = await postJson(ctx.clients.outbound ?? DEFAULT_OUTBOUND, url, payload, ctx.signal);
  } catch (err) {
    if (err instanceof OutboundRefused) throw refused(err);
    // The error of a failed request names the URL: only its class and code are kept.
    throw new OperationError(
      'unavailable',
      `the Slack webhook could not be reached (${transportReason(err)}): retrying`,
    );
  }
  if (answer.status < 200 || answer.status > 299) {
    const retryAfter = answer.headers['retry-after'];
    throw failure(answer.status, answer.body, typeof retryAfter === 'string' ? retryAfter : null);
  }
}
