/**
 * Lookups shared by routes: a repository (with its git repository), environment or organization
 * the token may administer, else 404.
 */
import type { GitRepo } from '../git-repo';
import { isOrganization, type Environment, type Organization, type Repository } from '../state';
import { GitHubHttpError, notFound, type RouteRequest } from './route';

export function adminRepo(req: RouteRequest, write = false): Repository {
  const repo = req.state.repo(req.params['owner'] ?? '', req.params['repo'] ?? '');
  if (!repo || !req.state.canAdmin(req.account, repo.owner)) throw notFound();
  if (write && repo.archived) throw new GitHubHttpError(403, 'Repository was archived so is read-only.');
  return repo;
}

export async function adminRepoGit(req: RouteRequest, write = false): Promise<{ repo: Repository; git: GitRepo }> {
  const repo = adminRepo(req, write);
  return { repo, git: await req.state.git.open(repo) };
}

export function adminEnvironment(req: RouteRequest, write = false): { repo: Repository; env: Environment } {
  const repo = adminRepo(req, write);
  const env = repo.environments.get((req.params['environment_name'] ?? '').toLowerCase());
  if (!env) throw notFound();
  return { repo, env };
}

export function adminOrg(req: RouteRequest): Organization {
  const org = req.state.orgs.get((req.params['org'] ?? '').toLowerCase());
  if (!org || !isOrganization(org)) throw notFound();
  if (!org.admins.has(req.account.login)) throw new GitHubHttpError(403, 'You must be an org admin to do this.');
  return org;
}
