/**
 * Slack Web API clients for the worker: one factory, configured once (SLACK_API_URL), handing out
 * a `@slack/web-api` WebClient per opened bot token. The SDK never retries (a retried
 * chat.postMessage would post twice) nor waits out rate limits: every failure reaches `slackError`
 * once and then Temporal's retry policy, which waits for a rate limit's reset. The SDK's logger is
 * silenced and its errors are read by class and Slack's error code, never passed on: the token
 * lives only in the returned client.
 */
import {
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
  type FetchFunction,
  type Logger,
} from '@slack/web-api';
import { OperationError, type ErrorType } from './operation-error';
import { transportReason } from './transport-reason';

export type SlackClient = WebClient;

export interface SlackClientOptions {
  /** SLACK_API_URL: https://slack.com/api/, or a test surrogate's root. */
  readonly apiUrl: string;
  /** How long one request may take before it is abandoned (and the activity retried). Default 30 s. */
  readonly timeoutMs?: number | undefined;
}

export interface SlackClients {
  readonly apiUrl: string;
  /** A WebClient authenticated with this bot token, aborted with `signal`. Build one per operation; do not keep it. */
  forToken(token: string, signal?: AbortSignal): SlackClient;
}

const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/** A request that got no answer, as transportReason words it: Node's fetch errors may quote the request's headers. */
class SlackTransportError extends Error {
  override readonly name = 'SlackTransportError';
  constructor(readonly reason: string) {
    super(`Slack could not be reached (${reason})`);
  }
}

/** Node's fetch, also aborted when the operation is cancelled, its transport errors reduced to their reason. */
const fetchAbortedBy =
  (signal: AbortSignal | undefined): FetchFunction =>
  async (url, init) => {
    const signals = [signal, init?.signal].filter((s): s is AbortSignal => s !== undefined);
    try {
      return await fetch(url, { ...init, signal: signals.length > 0 ? AbortSignal.any(signals) : null });
    } catch (err) {
      throw new SlackTransportError(transportReason(err));
    }
  };

export function createSlackClients(options: SlackClientOptions): SlackClients {
  const apiUrl = options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
  return {
    apiUrl,
    forToken(token, signal) {
      return new WebClient(token, {
        slackApiUrl: apiUrl,
        logger: quiet,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: options.timeoutMs ?? 30_000,
        allowAbsoluteUrls: false,
        fetch: fetchAbortedBy(signal),
      });
    },
  };
}

/** What the failed call was doing, for the message: `chat.postMessage` in `#releases`. */
export interface SlackCall {
  readonly method: string;
  readonly target: string;
}

/** Slack's error codes by our error type (https://api.slack.com/methods/chat.postMessage#errors); others are invalid_input. */
const CODES: Readonly<Record<string, ErrorType>> = {
  not_authed: 'auth',
  invalid_auth: 'auth',
  account_inactive: 'auth',
  token_revoked: 'auth',
  token_expired: 'auth',
  not_allowed_token_type: 'auth',
  missing_scope: 'permission',
  not_in_channel: 'permission',
  no_permission: 'permission',
  access_denied: 'permission',
  is_archived: 'permission',
  restricted_action: 'permission',
  restricted_action_read_only_channel: 'permission',
  restricted_action_thread_only_channel: 'permission',
  restricted_action_non_threadable_channel: 'permission',
  ekm_access_denied: 'permission',
  team_access_not_granted: 'permission',
  channel_not_found: 'not_found',
  thread_not_found: 'not_found',
  message_not_found: 'not_found',
  ratelimited: 'rate_limited',
  rate_limited: 'rate_limited',
  internal_error: 'unavailable',
  fatal_error: 'unavailable',
  service_unavailable: 'unavailable',
  request_timeout: 'unavailable',
  team_added_to_org: 'unavailable',
};

const ADVICE: Readonly<Record<ErrorType, string>> = {
  auth: 'check the bot token (credentials.slack.encrypted_bot_token)',
  permission: 'the app needs that scope, or must be invited to the channel',
  not_found: 'check the channel (and thread_ts), and that the app can see it',
  invalid_input: 'check the properties',
  conflict: 'check the properties',
  rate_limited: 'retrying after the limit resets',
  unavailable: 'retrying',
  reference: 'check the references',
  operation_failed: 'retrying',
};

/** A code as Slack writes them (`channel_not_found`); anything else is not quoted. */
const codeOf = (text: unknown): string => (typeof text === 'string' && /^[a-z0-9_.:,]{1,100}$/.test(text) ? text : '?');

function platformError(err: WebAPIPlatformError, call: SlackCall): OperationError {
  const code = codeOf(err.data.error);
  const type = CODES[code] ?? 'invalid_input';
  const needed = code === 'missing_scope' ? ` (needs ${codeOf((err.data as { needed?: unknown }).needed)})` : '';
  return new OperationError(
    type,
    `Slack answered ${code}${needed} to ${call.method} in ${call.target}: ${ADVICE[type]}`,
    type === 'rate_limited' || type === 'unavailable' ? {} : { retryable: false },
  );
}

function httpError(err: WebAPIHTTPError, call: SlackCall): OperationError {
  const said = `Slack answered HTTP ${err.statusCode} to ${call.method} in ${call.target}`;
  if (err.statusCode >= 500) return new OperationError('unavailable', `${said}: retrying`);
  const type: ErrorType =
    err.statusCode === 401
      ? 'auth'
      : err.statusCode === 403
        ? 'permission'
        : err.statusCode === 404
          ? 'not_found'
          : 'invalid_input';
  return new OperationError(type, `${said}: ${type === 'not_found' ? 'check SLACK_API_URL' : ADVICE[type]}`, {
    retryable: false,
  });
}

/** A failed Web API call as an OperationError that names the method and target, never the token or request. */
export function slackError(err: unknown, call: SlackCall): OperationError {
  if (err instanceof OperationError) return err;
  if (err instanceof WebAPIPlatformError) return platformError(err, call);
  if (err instanceof WebAPIRateLimitedError) {
    return new OperationError(
      'rate_limited',
      `Slack rate limit reached (ratelimited) during ${call.method} in ${call.target}: retrying after the reset in ${err.retryAfter} s`,
      { retryAfterMs: err.retryAfter * 1_000 },
    );
  }
  if (err instanceof WebAPIHTTPError) return httpError(err, call);
  const original = err instanceof WebAPIRequestError ? err.original : err;
  const why = original instanceof SlackTransportError ? original.reason : transportReason(original);
  return new OperationError(
    'unavailable',
    `Slack could not be reached (${why}) during ${call.method} in ${call.target}: retrying`,
  );
}

/** Runs one Web API call, mapping its failure. */
export async function slackCall<T>(call: SlackCall, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw slackError(err, call);
  }
}
