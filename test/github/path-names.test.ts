/**
 * Issue 23 finding 13: every name that lands in a GitHub API path (owner, org, repository,
 * environment) is refused as "." or ".." (a URL resolves such a segment away and addresses another
 * resource) and outside GitHub's characters, by the type's schema with a message naming the field,
 * and as a 400 on plan and apply before anything runs.
 */
import { config } from '../../support/deployments';
import { githubEnvSecret } from '../../src/resources/github/env-secret';
import { githubOrgSecret } from '../../src/resources/github/org-secret';
import { githubRepoSecret } from '../../src/resources/github/repo-secret';
import { githubRepository } from '../../src/resources/github/repository';
import { githubActionTrigger } from '../../src/resources/github/action-trigger';
import type { ResourceType } from '../../src/resources/resource-type';
import { testApi, unreachableClient } from '../api/helpers/app';

/** Sealed-box shaped (base64): the names are the only problem of these configs. */
const SEALED = Buffer.from('a sealed box').toString('base64');
const secret = { secret_name: 'API_KEY', encrypted_value: SEALED };
const repoSecret = { owner: 'my-org', repo: 'app', ...secret };
const envSecret = { ...repoSecret, environment: 'production' };
const orgSecret = { org: 'my-org', visibility: 'selected', selected_repositories: ['app'], ...secret };

/** The first issue of a schema check: its path and message. */
function refusal(
  type: ResourceType | undefined,
  properties: Record<string, unknown>,
): { path: string; message: string } | null {
  const first = type?.properties.safeParse(properties).error?.issues[0];
  return first ? { path: first.path.join('.'), message: first.message } : null;
}

const TYPES: Record<string, ResourceType> = Object.fromEntries(
  [githubRepoSecret, githubEnvSecret, githubOrgSecret, githubRepository, githubActionTrigger].map((t) => [t.type, t]),
);

/** What each refusal says after the field's name. */
const DOTS = 'cannot be "." or "..": in a GitHub API path that would address another resource';
const SLASH = 'cannot contain "/": it is one segment of GitHub API paths';
const OWNER = 'must be a GitHub user or organization name: 1-39 letters, digits and -, starting with a letter or digit';
const REPO = 'must be a GitHub repository name: 1-100 letters, digits, ".", "-" and "_"';
const SECRET = 'must be 1-200 letters, digits and _, not starting with a digit';

describe('GitHub names in API paths', () => {
  it.each([
    ['github:secret:repo', { ...repoSecret, repo: '..' }, 'repo', DOTS],
    ['github:secret:repo', { ...repoSecret, repo: '.' }, 'repo', DOTS],
    ['github:secret:repo', { ...repoSecret, repo: 'app/../other' }, 'repo', REPO],
    ['github:secret:repo', { ...repoSecret, owner: '..' }, 'owner', OWNER],
    ['github:secret:repo', { ...repoSecret, secret_name: '..' }, 'secret_name', SECRET],
    ['github:secret:env', { ...envSecret, repo: '..' }, 'repo', DOTS],
    ['github:secret:env', { ...envSecret, environment: '..' }, 'environment', DOTS],
    ['github:secret:env', { ...envSecret, environment: '.' }, 'environment', DOTS],
    ['github:secret:env', { ...envSecret, environment: 'production/../../..' }, 'environment', SLASH],
    ['github:secret:org', { ...orgSecret, selected_repositories: ['app', '..'] }, 'selected_repositories.1', DOTS],
    ['github:secret:org', { ...orgSecret, org: '.' }, 'org', OWNER],
    ['github:repo', { owner: 'my-org', name: '..' }, 'name', DOTS],
    ['github:repo', { owner: 'my-org', name: 'app', environments: ['qa', '..'] }, 'environments.1', DOTS],
    ['github:repo', { owner: 'my-org', name: 'app', environments: ['review/1'] }, 'environments.0', SLASH],
    ['github:action:trigger', { owner: 'my-org', repo: '..', workflow: 'deploy.yml' }, 'repo', DOTS],
  ])('%s refuses %j, naming %s', (type, properties, path, says) => {
    const field = path.split('.')[0] ?? path;
    expect(refusal(TYPES[type], properties)).toEqual({ path, message: `${field} ${says}` });
  });

  it('still takes the names GitHub takes: dots inside a repository name, spaces and dots inside an environment name', () => {
    expect(refusal(githubRepoSecret, { ...repoSecret, repo: 'my.app-v2_x' })).toBeNull();
    expect(refusal(githubRepoSecret, { ...repoSecret, repo: '.github' })).toBeNull();
    expect(refusal(githubEnvSecret, { ...envSecret, environment: 'Production (EU) v1.2' })).toBeNull();
    expect(refusal(githubRepository, { owner: 'my-org', name: 'app', environments: ['..qa', 'qa.'] })).toBeNull();
  });

  describe.each(['/deploy/plan', '/deploy/apply'])('POST %s', (route) => {
    it('is a 400 naming the field, for a repository and an environment of ".."', async () => {
      const api = testApi({ client: unreachableClient() });
      const cfg = config({
        repo_secret: { type: 'github:secret:repo', properties: { ...repoSecret, repo: '..' } },
        env_secret: { type: 'github:secret:env', properties: { ...envSecret, environment: '..' } },
      });
      const response = await api.post(route, {
        config: { ...cfg, credentials: { github: { encrypted_pat: SEALED } } },
      });
      expect([response.status, response.body.error?.type]).toEqual([400, 'validation_error']);
      const issues = (response.body.error.details.issues as { path: string; message: string }[]).map(
        ({ path, message }) => ({ path, message }),
      );
      expect(issues).toEqual([
        { path: 'config.resources.repo_secret.properties.repo', message: `repo ${DOTS}` },
        { path: 'config.resources.env_secret.properties.environment', message: `environment ${DOTS}` },
      ]);
    });
  });
});
