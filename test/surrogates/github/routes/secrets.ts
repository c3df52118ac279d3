/**
 * Actions secrets of repositories, environments and organizations. A PUT stores the ciphertext as
 * received, after checking it names the scope's current key and opens with that key's private
 * half (proof the client sealed it correctly); each accepted write is recorded with its value.
 */
import { minimalRepository as minimalRepositoryOf, secretMetadata } from '../fixtures';
import { timestamp, type Organization, type SecretScope, type StoredSecret } from '../state';
import { adminEnvironment, adminOrg, adminRepo } from './scopes';
import { notFound, page, unprocessable, type Reply, type Route, type RouteRequest } from './route';

const REPO = ['repo'];
const ORG = ['admin:org'];

function publicKey(scope: SecretScope): Reply {
  return { status: 200, body: { key_id: scope.key.key_id, key: scope.key.key } };
}

function list(scope: SecretScope, req: RouteRequest, orgUrl?: string): Reply {
  const all = [...scope.secrets.values()].sort((a, b) => a.name.localeCompare(b.name));
  return {
    status: 200,
    body: { total_count: all.length, secrets: page(all, req.query).map((s) => secretMetadata(s, orgUrl)) },
  };
}

function get(scope: SecretScope, req: RouteRequest, orgUrl?: string): Reply {
  const secret = scope.secrets.get((req.params['secret_name'] ?? '').toUpperCase());
  if (!secret) throw notFound();
  return { status: 200, body: secretMetadata(secret, orgUrl) };
}

function put(scope: SecretScope, req: RouteRequest, org?: Organization): Reply {
  const name = (req.params['secret_name'] ?? '').toUpperCase();
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name) || name.startsWith('GITHUB_')) {
    throw unprocessable(
      'Secret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_), must not start with a number or GITHUB_.',
    );
  }
  const { encrypted_value: encrypted, key_id: keyId } = req.body as { encrypted_value: string; key_id: string };
  if (keyId !== scope.key.key_id)
    throw unprocessable(`key_id ${keyId} is not the current public key of ${scope.scope}`);
  const value = req.state.open(scope, encrypted);
  if (value === null) {
    req.violation(
      `PUT secret ${name} in ${scope.scope}: encrypted_value does not open with key ${keyId} (not sealed to that public key)`,
    );
    throw unprocessable('Bad request - encrypted_value could not be decrypted');
  }
  let visibility: StoredSecret['visibility'];
  let selected: number[] | undefined;
  if (org) {
    visibility = req.body['visibility'] as StoredSecret['visibility'];
    selected = req.body['selected_repository_ids'] as number[] | undefined;
    if (selected && visibility !== 'selected')
      throw unprocessable('selected_repository_ids can only be given when visibility is selected');
    for (const id of selected ?? []) {
      if (req.state.repoById(id)?.owner !== org)
        throw unprocessable(`repository ${id} is not a repository of ${org.login}`);
    }
  }
  const now = timestamp();
  const existing = scope.secrets.get(name);
  const orgFields = org
    ? { visibility: visibility ?? 'all', selected_repository_ids: visibility === 'selected' ? (selected ?? []) : [] }
    : {};
  if (existing) Object.assign(existing, { encrypted_value: encrypted, key_id: keyId, updated_at: now, ...orgFields });
  else
    scope.secrets.set(name, {
      name,
      encrypted_value: encrypted,
      key_id: keyId,
      created_at: now,
      updated_at: now,
      ...orgFields,
    });
  req.state.writes.push({ scope: scope.scope, name, value, at: now });
  return existing ? { status: 204 } : { status: 201, body: {} };
}

function remove(scope: SecretScope, req: RouteRequest): Reply {
  if (!scope.secrets.delete((req.params['secret_name'] ?? '').toUpperCase())) throw notFound();
  return { status: 204 };
}

const orgSecretsUrl = (org: Organization): string => `https://api.github.com/orgs/${org.login}/actions/secrets`;

const REPO_SECRETS = '/repos/{owner}/{repo}/actions/secrets';
const ENV_SECRETS = '/repos/{owner}/{repo}/environments/{environment_name}/secrets';
const ORG_SECRETS = '/orgs/{org}/actions/secrets';

export const secretRoutes: readonly Route[] = [
  { method: 'get', template: `${REPO_SECRETS}/public-key`, scopes: REPO, handle: (req) => publicKey(adminRepo(req)) },
  { method: 'get', template: REPO_SECRETS, scopes: REPO, handle: (req) => list(adminRepo(req), req) },
  { method: 'get', template: `${REPO_SECRETS}/{secret_name}`, scopes: REPO, handle: (req) => get(adminRepo(req), req) },
  {
    method: 'put',
    template: `${REPO_SECRETS}/{secret_name}`,
    scopes: REPO,
    handle: (req) => put(adminRepo(req, true), req),
  },
  {
    method: 'delete',
    template: `${REPO_SECRETS}/{secret_name}`,
    scopes: REPO,
    handle: (req) => remove(adminRepo(req, true), req),
  },

  {
    method: 'get',
    template: `${ENV_SECRETS}/public-key`,
    scopes: REPO,
    handle: (req) => publicKey(adminEnvironment(req).env),
  },
  { method: 'get', template: ENV_SECRETS, scopes: REPO, handle: (req) => list(adminEnvironment(req).env, req) },
  {
    method: 'get',
    template: `${ENV_SECRETS}/{secret_name}`,
    scopes: REPO,
    handle: (req) => get(adminEnvironment(req).env, req),
  },
  {
    method: 'put',
    template: `${ENV_SECRETS}/{secret_name}`,
    scopes: REPO,
    handle: (req) => put(adminEnvironment(req, true).env, req),
  },
  {
    method: 'delete',
    template: `${ENV_SECRETS}/{secret_name}`,
    scopes: REPO,
    handle: (req) => remove(adminEnvironment(req, true).env, req),
  },

  { method: 'get', template: `${ORG_SECRETS}/public-key`, scopes: ORG, handle: (req) => publicKey(adminOrg(req)) },
  {
    method: 'get',
    template: ORG_SECRETS,
    scopes: ORG,
    handle: (req) => {
      const org = adminOrg(req);
      return list(org, req, orgSecretsUrl(org));
    },
  },
  {
    method: 'get',
    template: `${ORG_SECRETS}/{secret_name}`,
    scopes: ORG,
    handle: (req) => {
      const org = adminOrg(req);
      return get(org, req, orgSecretsUrl(org));
    },
  },
  {
    method: 'put',
    template: `${ORG_SECRETS}/{secret_name}`,
    scopes: ORG,
    handle: (req) => {
      const org = adminOrg(req);
      return put(org, req, org);
    },
  },
  {
    method: 'delete',
    template: `${ORG_SECRETS}/{secret_name}`,
    scopes: ORG,
    handle: (req) => remove(adminOrg(req), req),
  },
  {
    method: 'get',
    template: `${ORG_SECRETS}/{secret_name}/repositories`,
    scopes: ORG,
    handle(req) {
      const org = adminOrg(req);
      const secret = org.secrets.get((req.params['secret_name'] ?? '').toUpperCase());
      if (!secret) throw notFound();
      const repos = (secret.selected_repository_ids ?? []).flatMap((id) => req.state.repoById(id) ?? []);
      return {
        status: 200,
        body: { total_count: repos.length, repositories: page(repos, req.query).map((r) => minimalRepositoryOf(r)) },
      };
    },
  },
  {
    method: 'put',
    template: `${ORG_SECRETS}/{secret_name}/repositories`,
    scopes: ORG,
    handle(req) {
      const org = adminOrg(req);
      const secret = org.secrets.get((req.params['secret_name'] ?? '').toUpperCase());
      if (!secret) throw notFound();
      if (secret.visibility !== 'selected')
        throw unprocessable('The secret visibility must be selected to set selected repositories');
      const ids = req.body['selected_repository_ids'] as number[];
      for (const id of ids)
        if (req.state.repoById(id)?.owner !== org)
          throw unprocessable(`repository ${id} is not a repository of ${org.login}`);
      secret.selected_repository_ids = [...ids];
      return { status: 204 };
    },
  },
];
