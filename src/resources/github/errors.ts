/**
 * GitHub faults → OperationError (DESIGN.md §5, seed 003): each class with an actionable message
 * naming what was touched. Octokit's errors are read by shape (status, response headers, GitHub's
 * `message`), never passed on: their request options are not ours to forward.
 */
import { transportReason } from '../../providers/transport-reason';
import { OperationError } from '../../providers/operation-error';

interface HttpErrorShape {
  readonly status: number;
  readonly message: string;
  readonly response?:
    | { readonly headers?: Readonly<Record<string, string | number | undefined>>; readonly data?: unknown }
    | undefined;
}

/** What the failed call was doing, for the message: `put secret API_KEY` on `repository my-org/my-app`. */
export interface GitHubCall {
  readonly action: string;
  readonly target: string;
}

const isHttpError = (err: unknown): err is HttpErrorShape =>
  typeof err === 'object' &&
  err !== null &&
  typeof (err as { status?: unknown }).status === 'number' &&
  'response' in err;

const header = (err: HttpErrorShape, name: string): string | undefined => {
  const value = err.response?.headers?.[name];
  return value === undefined ? undefined : String(value);
};

const scopesOf = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** GitHub's own `message` (and the `errors` detail of a 422), never the request. */
function githubMessage(err: HttpErrorShape): string {
  const data = err.response?.data as { message?: unknown; errors?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? data.message : err.message;
  const details = Array.isArray(data?.errors)
    ? (data.errors as unknown[])
        .map((e) => (typeof e === 'string' ? e : (e as { message?: unknown }).message))
        .filter((m): m is string => typeof m === 'string')
    : [];
  return [message.replace(/\s+/g, ' ').trim(), ...details].join(': ');
}

/** Milliseconds until the rate limit resets: the later of retry-after and x-ratelimit-reset, at least 1 s. */
function retryAfterMs(err: HttpErrorShape, now: number): number {
  const after = Number(header(err, 'retry-after') ?? 0) * 1_000;
  const reset = Number(header(err, 'x-ratelimit-reset') ?? 0) * 1_000 - now;
  return Math.max(after, reset, 1_000);
}

const isRateLimit = (err: HttpErrorShape): boolean =>
  err.status === 429 || header(err, 'x-ratelimit-remaining') === '0' || /\brate limit\b/i.test(githubMessage(err));

export function githubError(err: unknown, call: GitHubCall, now = Date.now()): OperationError {
  if (err instanceof OperationError) return err;
  if (!isHttpError(err) || err.status >= 500 || err.status === 0) {
    // A status with no answer from GitHub is Octokit's wrapper of a transport error: its message is not GitHub's.
    const why = isHttpError(err) && err.response ? `${err.status} ${githubMessage(err)}` : transportReason(err);
    return new OperationError(
      'unavailable',
      `GitHub is unavailable (${why}) during ${call.action} on ${call.target}: retrying with backoff`,
    );
  }
  const said = githubMessage(err);
  if (err.status === 401)
    return new OperationError('auth', 'GitHub rejected the token (401 Bad credentials): check the PAT');
  if ((err.status === 403 || err.status === 429) && isRateLimit(err)) {
    const wait = retryAfterMs(err, now);
    return new OperationError(
      'rate_limited',
      `GitHub rate limit reached (${err.status}) during ${call.action} on ${call.target}: retrying after the reset in ${Math.ceil(wait / 1_000)} s`,
      { retryAfterMs: wait },
    );
  }
  if (err.status === 403) {
    const has = scopesOf(header(err, 'x-oauth-scopes'));
    const missing = scopesOf(header(err, 'x-accepted-oauth-scopes')).filter((s) => !has.includes(s));
    if (missing.length > 0 && header(err, 'x-oauth-scopes') !== undefined) {
      return new OperationError(
        'permission',
        `GitHub refused to ${call.action} on ${call.target} (403): the token needs scope ${missing.join(' or ')} (it has: ${has.join(', ') || 'no scopes'})`,
      );
    }
    return new OperationError(
      'permission',
      `GitHub refused to ${call.action} on ${call.target} (403 ${said}): check the token's access`,
    );
  }
  if (err.status === 404) {
    return new OperationError(
      'not_found',
      `${call.target} not found (404) during ${call.action}: check the name, and that the token can see it`,
    );
  }
  if (err.status === 409)
    return new OperationError('conflict', `GitHub refused to ${call.action} on ${call.target} (409): ${said}`);
  return new OperationError(
    'invalid_input',
    `GitHub rejected ${call.action} on ${call.target} (${err.status}): ${said}`,
  );
}

/** Runs one GitHub call, mapping its failure. */
export async function gh<T>(call: GitHubCall, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw githubError(err, call);
  }
}

/** Runs a read where 404 means "absent": null instead of an error. */
export async function ghOrNull<T>(call: GitHubCall, run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (err) {
    if (isHttpError(err) && err.status === 404) return null;
    throw githubError(err, call);
  }
}
