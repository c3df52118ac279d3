/** Repositories (create for a user or an organization, get, archive/update, delete) and their environments. */
import { environment, fullRepository } from '../fixtures';
import { emptyCollaboration } from '../state-pulls';
import { nodeId, timestamp, type Account, type Environment, type Organization, type Repository } from '../state';
import { adminEnvironment, adminOrg, adminRepo } from './scopes';
import { GitHubHttpError, unprocessable, type Route, type RouteRequest } from './route';

const REPO = ['repo'];

export function createRepository(
  req: Pick<RouteRequest, 'state'>,
  owner: Account | Organization,
  name: string,
  options: { private?: boolean; description?: string | null } = {},
): Repository {
  const key = `${owner.login}/${name}`.toLowerCase();
  if (req.state.repos.has(key)) {
    throw unprocessable('Repository creation failed.', [
      { resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' },
    ]);
  }
  const id = req.state.id();
  const now = timestamp();
  const repo: Repository = {
    id,
    node_id: nodeId('Repository', id),
    owner,
    name,
    private: options.private ?? false,
    archived: false,
    description: options.description ?? null,
    created_at: now,
    updated_at: now,
    branches: new Set(['main']),
    environments: new Map(),
    workflows: [],
    scope: `repo:${owner.login}/${name}`,
    key: req.state.keyPair(),
    secrets: new Map(),
    ...emptyCollaboration(),
  };
  req.state.repos.set(key, repo);
  return repo;
}

export function createEnvironment(req: Pick<RouteRequest, 'state'>, repo: Repository, name: string): Environment {
  const existing = repo.environments.get(name.toLowerCase());
  if (existing) {
    existing.updated_at = timestamp();
    return existing;
  }
  const id = req.state.id();
  const now = timestamp();
  const env: Environment = {
    id,
    node_id: nodeId('Environment', id),
    name,
    created_at: now,
    updated_at: now,
    scope: `env:${repo.owner.login}/${repo.name}/${name}`,
    key: req.state.keyPair(),
    secrets: new Map(),
  };
  repo.environments.set(name.toLowerCase(), env);
  return env;
}

function createFromBody(req: RouteRequest, owner: Account | Organization) {
  const body = req.body as { name: string; private?: boolean; description?: string };
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(body.name)) {
    throw unprocessable('Repository creation failed.', [
      { resource: 'Repository', code: 'custom', field: 'name', message: 'name is invalid' },
    ]);
  }
  return { status: 201, body: fullRepository(createRepository(req, owner, body.name, body)) };
}

export const repoRoutes: readonly Route[] = [
  { method: 'post', template: '/user/repos', scopes: REPO, handle: (req) => createFromBody(req, req.account) },
  { method: 'post', template: '/orgs/{org}/repos', scopes: REPO, handle: (req) => createFromBody(req, adminOrg(req)) },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}',
    scopes: [],
    handle: (req) => ({ status: 200, body: fullRepository(adminRepo(req)) }),
  },
  {
    method: 'patch',
    template: '/repos/{owner}/{repo}',
    scopes: REPO,
    handle(req) {
      const repo = adminRepo(req);
      const body = req.body as { archived?: boolean; description?: string };
      if (repo.archived && body.archived !== false)
        throw new GitHubHttpError(403, 'Repository was archived so is read-only.');
      if (body.archived !== undefined) repo.archived = body.archived;
      if (body.description !== undefined) repo.description = body.description;
      repo.updated_at = timestamp();
      return { status: 200, body: fullRepository(repo) };
    },
  },
  {
    method: 'delete',
    template: '/repos/{owner}/{repo}',
    scopes: ['delete_repo'],
    handle(req) {
      const repo = adminRepo(req);
      req.state.repos.delete(`${repo.owner.login}/${repo.name}`.toLowerCase());
      return { status: 204 };
    },
  },
  {
    method: 'put',
    template: '/repos/{owner}/{repo}/environments/{environment_name}',
    scopes: REPO,
    handle(req) {
      const repo = adminRepo(req, true);
      return {
        status: 200,
        body: environment(repo, createEnvironment(req, repo, req.params['environment_name'] ?? '')),
      };
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/environments/{environment_name}',
    scopes: REPO,
    handle(req) {
      const { repo, env } = adminEnvironment(req);
      return { status: 200, body: environment(repo, env) };
    },
  },
  {
    method: 'delete',
    template: '/repos/{owner}/{repo}/environments/{environment_name}',
    scopes: REPO,
    handle(req) {
      const { repo, env } = adminEnvironment(req, true);
      repo.environments.delete(env.name.toLowerCase());
      return { status: 204 };
    },
  },
];
