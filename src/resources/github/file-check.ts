/**
 * `github:file:check`: a guard before a change that creates or edits something a repository file
 * stands for (seed 003: a pod is `<specs>/<customer>/<env>/spec.yml`). `mode: new` requires the
 * path to be absent (else a `conflict`: "Pod acme/prod already exists."), `mode: edit` requires
 * it to exist (else `not_found`); either refusal fails the node without retries, so what depends
 * on it (a workflow dispatch) never starts. `label` names the thing in those messages.
 *
 * Only reads, at the ref's current commit: its plan makes the same check (a live plan shows the
 * refusal before anything runs); nothing to compensate, verify or destroy.
 */
import { z } from 'zod';
import type { GitHubClient } from '../../providers/github';
import { OperationError } from '../../providers/operation-error';
import type { ResourceType } from '../resource-type';
import { gh, ghOrNull } from './errors';
import { repoLabel } from './pull-requests';
import { ownerSchema, repoNameSchema } from './secret-properties';
import { githubClient } from './session';

const properties = z
  .object({
    owner: ownerSchema.meta({ description: 'The repository’s owner' }),
    repo: repoNameSchema.meta({ description: 'The repository’s name' }),
    path: z
      .string()
      .min(1)
      .max(400)
      .refine((p) => !p.startsWith('/') && !p.split('/').some((s) => s === '' || s === '.' || s === '..'), {
        message: 'a path inside the repository (no leading "/", no "." or ".." segments)',
      })
      .meta({ description: 'The file (or folder) whose existence is checked, e.g. pods/acme/prod/spec.yml' }),
    ref: z.string().min(1).max(255).default('main').meta({ description: 'The branch, tag or commit looked at' }),
    mode: z.enum(['new', 'edit']).meta({
      description: 'new: the path must not exist yet (a conflict if it does); edit: it must exist (not_found if not)',
    }),
    label: z.string().min(1).max(200).optional().meta({
      description: 'What the path stands for, in the refusal: "Pod acme/prod" gives "Pod acme/prod already exists."',
    }),
  })
  .strict();

export type FileCheckProperties = z.output<typeof properties>;

/** The ref's commit and whether the path exists there; a missing repository or ref is not_found. */
async function look(client: GitHubClient, p: FileCheckProperties): Promise<{ sha: string; exists: boolean }> {
  const commit = await gh({ action: `read ref ${p.ref}`, target: repoLabel(p) }, () =>
    client.request('GET /repos/{owner}/{repo}/commits/{ref}', { owner: p.owner, repo: p.repo, ref: p.ref }),
  );
  const sha = commit.data.sha;
  const entry = await ghOrNull({ action: `read ${p.path} at ${p.ref}`, target: repoLabel(p) }, () =>
    client.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: p.owner,
      repo: p.repo,
      path: p.path,
      ref: sha,
    }),
  );
  return { sha, exists: entry !== null };
}

/** The check's outputs, or its refusal. */
async function check(client: GitHubClient, p: FileCheckProperties) {
  const { sha, exists } = await look(client, p);
  const what = p.label ?? `${p.path} in ${p.owner}/${p.repo}`;
  if (p.mode === 'new' && exists) throw new OperationError('conflict', `${what} already exists.`, { retryable: false });
  if (p.mode === 'edit' && !exists)
    throw new OperationError('not_found', `${what} does not exist (${p.path} at ${p.ref}): create it in mode new.`, {
      retryable: false,
    });
  return { path: p.path, exists, sha };
}

export const githubFileCheck: ResourceType<FileCheckProperties> = {
  type: 'github:file:check',
  provider: 'github',
  description:
    'Checks that a path does not exist yet (mode new) or exists (mode edit) in a repository at a ref; refuses otherwise, so what depends on it does not run.',
  regional: false,
  properties,
  async plan(ctx, target) {
    await check(await githubClient(ctx), target.properties);
    return { action: 'create', diff: [], warnings: [] };
  },
  async apply(ctx, target) {
    return { outputs: await check(await githubClient(ctx), target.properties), undo: null };
  },
  verify: () => Promise.resolve({ drift: [] }),
  compensate: () => Promise.resolve({ outcome: 'nothing to undo (a read-only check)' }),
  destroy: () => Promise.resolve(),
};
