/**
 * GitHub clients for the worker: one factory, configured once (API base URL, pacing), handing out
 * an Octokit per opened PAT with the throttling and retry plugins. Rate limits (403 with
 * x-ratelimit-remaining: 0, secondary limits) wait for the reset and retry; 5xx, 429 and network
 * errors are retried with backoff. What still fails reaches `githubError` and then Temporal's own
 * retry. The PAT lives only in the returned client; nothing here logs it.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';

const GitHubOctokit = Octokit.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

export interface GitHubClientOptions {
  /** GITHUB_API_URL: https://api.github.com, a GitHub Enterprise API root, or a test surrogate. */
  readonly baseUrl: string;
  /** Minimum spacing of writes (GitHub asks for one second between content-creating requests). Default 1000. */
  readonly writeIntervalMs?: number | undefined;
  /** Base of the backoff between retries of 5xx/429/network errors (1, 4, 9 × base). Default 1000. */
  readonly retryBaseMs?: number | undefined;
  /** Retries inside one activity attempt, for rate limits and for server errors alike. Default 3. */
  readonly retries?: number | undefined;
}

export interface GitHubClients {
  readonly baseUrl: string;
  /** An Octokit authenticated with this PAT. Build one per operation; do not keep it. */
  forToken(pat: string): GitHubClient;
}

export function createGitHubClients(options: GitHubClientOptions): GitHubClients {
  const retries = options.retries ?? 3;
  // One write limiter per factory (GitHub paces writes per user; one worker's tokens share it).
  const writeMs = options.writeIntervalMs ?? 1_000;
  const write = new Bottleneck.Group({ maxConcurrent: 1, minTime: writeMs });
  // Writes that notify people (a pull request opened, reviewers requested) GitHub paces three times slower.
  const notifications = new Bottleneck.Group({ maxConcurrent: 1, minTime: 3 * writeMs });
  const retryIfBudgetLeft = (_after: number, _options: unknown, _octokit: unknown, retryCount: number): boolean =>
    retryCount < retries;
  return {
    baseUrl: options.baseUrl,
    forToken(pat) {
      return new GitHubOctokit({
        auth: pat,
        baseUrl: options.baseUrl,
        userAgent: 'deploy-orchestrator',
        log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
        throttle: { write, notifications, onRateLimit: retryIfBudgetLeft, onSecondaryRateLimit: retryIfBudgetLeft },
        retry: { retries, retryAfterBaseValue: options.retryBaseMs ?? 1_000 },
      });
    },
  };
}
