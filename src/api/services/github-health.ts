/**
 * GET /health's GitHub part (seed 003): when GITHUB_HEALTH_TOKEN (a PAT sealed to the service's
 * public key, like every credential) is configured, the token's login, scopes (x-oauth-scopes of
 * GET /user) and core rate limit (GET /rate_limit, which does not count against it), and, when the
 * caller names a repository, that the token can read it (GET /repos/{owner}/{repo}, seed 003's
 * connectivity check). The token is opened in memory for these calls only; a failure is reported
 * as error_type + message. The same check in seed 003's fields: repo, scopes {repo, workflow}, rate_limit.
 */
import { requireCredentialShape } from '../../credentials/credential-shape';
import type { GitHubClients } from '../../providers/github';
import type { SecretOpener } from '../../activities/operation-context';
import { OperationError } from '../../providers/operation-error';
import { githubError } from '../../resources/github/errors';
import type { GitHubHealth, Health } from '../schemas/health';

export interface GitHubHealthCheck {
  readonly clients: GitHubClients;
  readonly secrets: SecretOpener;
  /** GITHUB_HEALTH_TOKEN: the PAT sealed to the service's public key (npm run seal). */
  readonly sealedToken: string;
}

/** The check, as /health's `github` and seed 003's fields beside it. */
export type GitHubHealthReport = Required<Pick<Health, 'repo' | 'scopes' | 'rate_limit'>> & {
  readonly github: GitHubHealth;
};

/** A repository the caller asks the token to read: owner and name. */
export type HealthRepo = readonly [owner: string, name: string];

/** x-oauth-scopes, or null without the header (fine-grained tokens have no scopes to show). */
const scopesOf = (header: unknown): string[] | null =>
  typeof header === 'string'
    ? header
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : null;

async function check(token: string, clients: GitHubClients, repo: HealthRepo | undefined) {
  const octokit = clients.forToken(token);
  const user = await octokit.rest.users.getAuthenticated();
  if (repo !== undefined) await octokit.rest.repos.get({ owner: repo[0], repo: repo[1] });
  const { core } = (await octokit.rest.rateLimit.get()).data.resources;
  return {
    login: user.data.login,
    scopes: scopesOf(user.headers['x-oauth-scopes']),
    rate_limit: { limit: core.limit, remaining: core.remaining, reset_at: core.reset },
  };
}

export async function githubHealth(health: GitHubHealthCheck, repo?: HealthRepo): Promise<GitHubHealthReport> {
  const named = repo === undefined ? null : repo.join('/');
  const call = { action: 'check the health token', target: named ? `repository ${named}` : health.clients.baseUrl };
  try {
    // The service's own token: bound to no tenant.
    const use = { field: 'GITHUB_HEALTH_TOKEN', purpose: 'github_token', tenant: null } as const;
    const token = requireCredentialShape(await health.secrets.open(health.sealedToken, use), use.field);
    const { login, scopes, rate_limit } = await check(token, health.clients, repo);
    const has = (scope: string): boolean | null => (scopes === null ? null : scopes.includes(scope));
    return {
      github: { ok: true, login, scopes: scopes ?? [], rate_limit, error: null },
      repo: named,
      scopes: { repo: has('repo'), workflow: has('workflow') },
      rate_limit,
    };
  } catch (err) {
    const mapped = err instanceof OperationError ? err : githubError(err, call);
    const error = { type: mapped.type, message: mapped.message };
    return {
      github: { ok: false, login: null, scopes: null, rate_limit: null, error },
      repo: named,
      scopes: null,
      rate_limit: null,
    };
  }
}
