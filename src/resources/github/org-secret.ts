/**
 * `github:secret:org`: an organization's Actions secret with its visibility (all, private or
 * selected repositories). Selected repositories are named in the config and sent as ids.
 */
import { z } from 'zod';
import type { GitHubClient } from '../../providers/github';
import type { DriftItem } from '../../model/run-types';
import type { ResourceType } from '../resource-type';
import { gh } from './errors';
import { githubOwner, githubRepoName, secretValueFields } from './secret-properties';
import { secretOperations, type SecretMetadata } from './secret-operations';

const properties = z
  .object({
    org: githubOwner('org'),
    visibility: z.enum(['all', 'private', 'selected']).default('private'),
    /** Repository names in the organization (visibility `selected` only). */
    selected_repositories: z.array(githubRepoName('selected_repositories')).max(1_000).default([]),
    ...secretValueFields,
  })
  .strict()
  .refine((p) => p.visibility === 'selected' || p.selected_repositories.length === 0, {
    message: 'selected_repositories needs visibility "selected"',
    path: ['selected_repositories'],
  });

export type OrgSecretProperties = z.output<typeof properties>;

const location = (p: OrgSecretProperties) => ({
  label: `organization ${p.org}`,
  prefix: '/orgs/{org}/actions/secrets',
  params: { org: p.org },
});

async function repositoryIds(client: GitHubClient, p: OrgSecretProperties): Promise<number[]> {
  const ids: number[] = [];
  for (const name of p.selected_repositories) {
    const res = await gh({ action: 'look up a selected repository', target: `repository ${p.org}/${name}` }, () =>
      client.request('GET /repos/{owner}/{repo}', { owner: p.org, repo: name }),
    );
    ids.push(res.data.id);
  }
  return ids;
}

async function selectedNames(client: GitHubClient, p: OrgSecretProperties): Promise<string[]> {
  const res = await gh(
    { action: `read the repositories of secret ${p.secret_name}`, target: `organization ${p.org}` },
    () =>
      client.request('GET /orgs/{org}/actions/secrets/{secret_name}/repositories', {
        org: p.org,
        secret_name: p.secret_name,
        per_page: 100,
      }),
  );
  return res.data.repositories.map((r) => r.name).sort();
}

async function drift(client: GitHubClient, p: OrgSecretProperties, actual: SecretMetadata): Promise<DriftItem[]> {
  const items: DriftItem[] = [];
  if (actual.visibility !== p.visibility)
    items.push({ property: 'visibility', desired: p.visibility, actual: actual.visibility ?? null });
  if (p.visibility === 'selected' && actual.visibility === 'selected') {
    const desired = [...p.selected_repositories].sort();
    const current = await selectedNames(client, p);
    if (desired.join(',').toLowerCase() !== current.join(',').toLowerCase())
      items.push({ property: 'selected_repositories', desired, actual: current });
  }
  return items;
}

export const githubOrgSecret: ResourceType<OrgSecretProperties> = {
  type: 'github:secret:org',
  provider: 'github',
  description:
    "An organization's Actions secret with its visibility (all, private, selected repositories), re-sealed to the organization's public key",
  regional: false,
  properties,
  physicalName: (p) => `${p.org}/${p.secret_name}`.toLowerCase(),
  ...secretOperations<OrgSecretProperties>({
    location,
    async putFields(client, p) {
      return p.visibility === 'selected'
        ? { visibility: p.visibility, selected_repository_ids: await repositoryIds(client, p) }
        : { visibility: p.visibility };
    },
    drift,
  }),
};
