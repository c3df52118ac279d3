/**
 * GET /health's GitHub part (seed 003): when GITHUB_HEALTH_TOKEN (a PAT sealed to the service's
 * public key, like every credential) is configured, the token's login, scopes (x-oauth-scopes of
 * GET /user) and core rate limit (GET /rate_limit, which does not count against it). The token is
 * opened in memory for the two calls only; a failure is reported as error_type + message.
 */
import { requireCredentialShape } from '../../credentials/credential-shape';
import type { GitHubClients } from '../../providers/github';
import type { SecretOpener } from '../../activities/operation-context';
import { OperationError } from '../../providers/operation-error';
import { githubError } from '../../resources/github/errors';
import type { GitHubHealth } from '../schemas/health';

export interface GitHubHealthCheck {
  readonly clients: GitHubClients;
  readonly secrets: SecretOpener;
  /** GITHUB_HEALTH_TOKEN: the PAT sealed to the service's public key (npm run seal). */
  readonly sealedToken: string;
}

const scopesOf = (header: unknown): string[] =>
  typeof header === 'string'
    ? header
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

export async function githubHealth(check: GitHubHealthCheck): Promise<GitHubHealth> {
  const call = { action: 'check the health token', target: check.clients.baseUrl };
  try {
    // The service's own token: bound to no tenant.
    const use = { field: 'GITHUB_HEALTH_TOKEN', purpose: 'github_token', tenant: null } as const;
    const token = requireCredentialShape(await check.secrets.open(check.sealedToken, use), use.field);
    const octokit = check.clients.forToken(token);
    const user = await octokit.rest.users.getAuthenticated();
    const { data } = await octokit.rest.rateLimit.get();
    return {
      ok: true,
      login: user.data.login,
      scopes: scopesOf(user.headers['x-oauth-scopes']),
      rate_limit: {
        limit: data.resources.core.limit,
        remaining: data.resources.core.remaining,
        reset_at: data.resources.core.reset,
      },
      error: null,
    };
  } catch (err) {
    const mapped = err instanceof OperationError ? err : githubError(err, call);
    return {
      ok: false,
      login: null,
      scopes: null,
      rate_limit: null,
      error: { type: mapped.type, message: mapped.message },
    };
  }
}
