/**
 * `github:repo`: a repository, created or adopted, with its environments. `generate_name: true`
 * names it `{name}__{node_id}` (seed 001 §7.3), so every deployment of the config addresses the
 * same repository. Compensation removes what this run created (the repository per `on_destroy`,
 * or the environments it added to an adopted one); destroy archives or deletes per `on_destroy`.
 */
import { z } from 'zod';
import type { GitHubClient } from '../../providers/github';
import type { DriftItem } from '../../model/run-types';
import type { NodeTarget, ResourceType } from '../resource-type';
import { gh, ghOrNull } from './errors';
import { githubEnvironmentName, githubRepoName, ownerSchema } from './secret-properties';
import { githubClient } from './session';

const properties = z
  .object({
    /** A user (the token's own account) or an organization. */
    owner: ownerSchema,
    name: githubRepoName('name'),
    generate_name: z.boolean().default(false),
    private: z.boolean().default(true),
    description: z.string().max(350).optional(),
    environments: z.array(githubEnvironmentName('environments')).max(100).default([]),
    on_destroy: z.enum(['archive', 'delete']).default('archive'),
  })
  .strict();

export type RepositoryProperties = z.output<typeof properties>;

interface Repo {
  readonly id: number;
  readonly node_id: string;
  readonly name: string;
  readonly full_name: string;
  readonly html_url: string;
  readonly default_branch: string;
  readonly private: boolean;
  readonly archived: boolean;
}

const repoName = (target: NodeTarget<RepositoryProperties>): string =>
  target.properties.generate_name ? `${target.properties.name}__${target.node.node_id}` : target.properties.name;

const label = (target: NodeTarget<RepositoryProperties>): string =>
  `repository ${target.properties.owner}/${repoName(target)}`;

async function readRepo(client: GitHubClient, target: NodeTarget<RepositoryProperties>): Promise<Repo | null> {
  const res = await ghOrNull({ action: 'read the repository', target: label(target) }, () =>
    client.request('GET /repos/{owner}/{repo}', { owner: target.properties.owner, repo: repoName(target) }),
  );
  return res ? (res.data as Repo) : null;
}

async function hasEnvironment(
  client: GitHubClient,
  target: NodeTarget<RepositoryProperties>,
  env: string,
): Promise<boolean> {
  const res = await ghOrNull({ action: `read environment ${env}`, target: label(target) }, () =>
    client.request('GET /repos/{owner}/{repo}/environments/{environment_name}', {
      owner: target.properties.owner,
      repo: repoName(target),
      environment_name: env,
    }),
  );
  return res !== null;
}

async function missingEnvironments(client: GitHubClient, target: NodeTarget<RepositoryProperties>): Promise<string[]> {
  const missing: string[] = [];
  for (const env of target.properties.environments) if (!(await hasEnvironment(client, target, env))) missing.push(env);
  return missing;
}

async function createRepo(client: GitHubClient, target: NodeTarget<RepositoryProperties>): Promise<Repo> {
  const p = target.properties;
  const call = { action: 'create the repository', target: label(target) };
  const body = {
    name: repoName(target),
    private: p.private,
    ...(p.description === undefined ? {} : { description: p.description }),
  };
  const me = await gh({ action: 'read the token owner', target: 'GET /user' }, () => client.request('GET /user'));
  const res =
    me.data.login.toLowerCase() === p.owner.toLowerCase()
      ? await gh(call, () => client.request('POST /user/repos', body))
      : await gh(call, () => client.request('POST /orgs/{org}/repos', { org: p.owner, ...body }));
  return res.data as Repo;
}

async function removeRepo(client: GitHubClient, target: NodeTarget<RepositoryProperties>): Promise<string> {
  const p = target.properties;
  const where = { owner: p.owner, repo: repoName(target) };
  if (p.on_destroy === 'delete') {
    const gone = await ghOrNull({ action: 'delete the repository', target: label(target) }, () =>
      client.request('DELETE /repos/{owner}/{repo}', where),
    );
    return gone ? 'deleted' : 'already gone';
  }
  const current = await readRepo(client, target);
  if (!current) return 'already gone';
  if (current.archived) return 'already archived';
  await gh({ action: 'archive the repository', target: label(target) }, () =>
    client.request('PATCH /repos/{owner}/{repo}', { ...where, archived: true }),
  );
  return 'archived';
}

const outputsOf = (repo: Repo, created: boolean): Record<string, unknown> => ({
  id: repo.id,
  node_id: repo.node_id,
  name: repo.name,
  full_name: repo.full_name,
  html_url: repo.html_url,
  default_branch: repo.default_branch,
  created,
});

export const githubRepository: ResourceType<RepositoryProperties> = {
  type: 'github:repo',
  provider: 'github',
  description: 'A repository (created or adopted) and its environments; destroy archives or deletes it',
  regional: false,
  properties,
  physicalName: (p) => (p.generate_name ? null : `${p.owner}/${p.name}`.toLowerCase()),

  async plan(ctx, target) {
    const client = await githubClient(ctx);
    const repo = await readRepo(client, target);
    if (!repo) {
      return { action: 'create', diff: [{ property: 'exists', desired: true, actual: false }], warnings: [] };
    }
    const diff: DriftItem[] = [];
    if (repo.archived) diff.push({ property: 'archived', desired: false, actual: true });
    const missing = await missingEnvironments(client, target);
    if (missing.length > 0)
      diff.push({
        property: 'environments',
        desired: target.properties.environments,
        actual: target.properties.environments.filter((e) => !missing.includes(e)),
      });
    const warnings =
      repo.private === target.properties.private
        ? []
        : [
            `${label(target)} exists and is ${repo.private ? 'private' : 'public'}; an adopted repository keeps its visibility`,
          ];
    return { action: diff.length > 0 ? 'update' : 'no-op', diff, warnings };
  },

  async apply(ctx, target) {
    const p = target.properties;
    const client = await githubClient(ctx);
    let repo = await readRepo(client, target);
    const created = repo === null;
    let unarchived = false;
    if (!repo) {
      repo = await createRepo(client, target);
    } else if (repo.archived) {
      await gh({ action: 'unarchive the repository', target: label(target) }, () =>
        client.request('PATCH /repos/{owner}/{repo}', { owner: p.owner, repo: repoName(target), archived: false }),
      );
      unarchived = true;
    }
    const added = created ? [...p.environments] : await missingEnvironments(client, target);
    for (const env of added) {
      await gh({ action: `create environment ${env}`, target: label(target) }, () =>
        client.request('PUT /repos/{owner}/{repo}/environments/{environment_name}', {
          owner: p.owner,
          repo: repoName(target),
          environment_name: env,
        }),
      );
    }
    return {
      outputs: outputsOf(repo, created),
      undo: { created, unarchived, environments_created: created ? [] : added },
    };
  },

  async verify(ctx, target) {
    const client = await githubClient(ctx);
    const repo = await readRepo(client, target);
    if (!repo) return { drift: [{ property: 'exists', desired: true, actual: false }] };
    const drift: DriftItem[] = [];
    if (repo.archived) drift.push({ property: 'archived', desired: false, actual: true });
    if (repo.private !== target.properties.private)
      drift.push({ property: 'private', desired: target.properties.private, actual: repo.private });
    const missing = await missingEnvironments(client, target);
    if (missing.length > 0)
      drift.push({
        property: 'environments',
        desired: target.properties.environments,
        actual: target.properties.environments.filter((e) => !missing.includes(e)),
      });
    return { drift };
  },

  async compensate(ctx, target, undo) {
    const client = await githubClient(ctx);
    if (undo?.['created'] === true) return { outcome: `compensated (${await removeRepo(client, target)})` };
    const p = target.properties;
    const envs = Array.isArray(undo?.['environments_created']) ? (undo['environments_created'] as string[]) : [];
    for (const env of envs) {
      await ghOrNull({ action: `delete environment ${env}`, target: label(target) }, () =>
        client.request('DELETE /repos/{owner}/{repo}/environments/{environment_name}', {
          owner: p.owner,
          repo: repoName(target),
          environment_name: env,
        }),
      );
    }
    if (undo?.['unarchived'] === true) {
      await gh({ action: 'archive the repository again', target: label(target) }, () =>
        client.request('PATCH /repos/{owner}/{repo}', { owner: p.owner, repo: repoName(target), archived: true }),
      );
    }
    return { outcome: envs.length > 0 || undo?.['unarchived'] === true ? 'compensated' : 'nothing to undo (adopted)' };
  },

  async destroy(ctx, target) {
    await removeRepo(await githubClient(ctx), target);
  },

  /** The deployment's when its name follows the naming rule (`{name}__{node_id}`) or its apply created it; not once archived by a destroy. */
  async findRecorded(ctx, target, outputs) {
    if (!target.properties.generate_name && outputs?.['created'] !== true) return null;
    const repo = await readRepo(await githubClient(ctx), target);
    return repo && !(repo.archived && target.properties.on_destroy === 'archive') ? repo.full_name : null;
  },
};
