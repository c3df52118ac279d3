/**
 * `github:branch`: a branch made for this run from `from` (seed 004's deploy branch: `deploy-{date}`
 * from `staging`). `{date}` is the run's start day (UTC, YYYYMMDD: the same on every retry); a name
 * another run took already gets the first free suffix (`deploy-20261202-2`), so a second train the
 * same day has its own branch.
 *
 * The branch starts with one empty commit on top of `from` whose message carries the trailer
 * `Deployment-Run: <run key>`: any retry (a new attempt, an operator's retry, another worker)
 * finds the branch its run made instead of making another, with no state on a worker's disk.
 * Made through the Git data API (a commit of the base's tree, then the ref).
 *
 * Compensation deletes the branch while it still ends at that commit (nothing landed on it since);
 * a branch that holds later commits (merged pull requests) is left, and said irreversible.
 */
import { z } from 'zod';
import type { GitHubClient } from '../../providers/github';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { gh, ghOrNull } from './errors';
import { branchHead, repoLabel, repoProperties } from './pull-requests';
import { githubClient } from './session';

const NAME = /^[A-Za-z0-9._/-]+$/;

const properties = z
  .object({
    ...repoProperties,
    from: z.string().min(1).max(255).default('staging').meta({ description: 'The branch it starts from' }),
    name: z
      .string()
      .min(1)
      .max(200)
      .refine((n) => NAME.test(n.replace('{date}', '')), 'letters, digits, ".", "_", "-", "/" and {date}')
      .default('deploy-{date}')
      .meta({ description: 'The branch name; {date} is the run’s start day (YYYYMMDD, UTC)' }),
  })
  .strict();

export type BranchProperties = z.output<typeof properties>;
type Target = NodeTarget<BranchProperties>;

/** Suffixes tried after the plain name is taken: -2 … -MAX_SUFFIX. */
const MAX_SUFFIX = 20;
const TRAILER = 'Deployment-Run';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The run's key (idempotency) and start day, as the engine hands them to every node. */
function runOf(target: Target): { key: string; day: string } {
  const key = target.refs['$run_key'];
  const started = target.refs['$run_started_at'];
  if (typeof key !== 'string' || typeof started !== 'string')
    throw new OperationError('invalid_input', 'github:branch runs only inside a deployment run', { retryable: false });
  return { key, day: started.slice(0, 10).replace(/-/g, '') };
}

const candidates = (name: string): string[] => [
  name,
  ...Array.from({ length: MAX_SUFFIX - 1 }, (_, i) => `${name}-${i + 2}`),
];

/** The commit on `branch` (its first 30) whose message carries this run's trailer, or null. */
async function markerOn(
  client: GitHubClient,
  p: BranchProperties,
  branch: string,
  key: string,
): Promise<string | null> {
  const commits = await gh({ action: `list commits of ${branch}`, target: repoLabel(p) }, () =>
    client.request('GET /repos/{owner}/{repo}/commits', { owner: p.owner, repo: p.repo, sha: branch, per_page: 30 }),
  );
  const line = `${TRAILER}: ${key}`;
  return commits.data.find((c) => c.commit.message.split('\n').includes(line))?.sha ?? null;
}

/** The empty commit that starts the branch: the base's tree, the base as parent, the trailer. */
async function markerCommit(client: GitHubClient, p: BranchProperties, base: string, key: string): Promise<string> {
  const label = { action: 'make the branch’s first commit', target: repoLabel(p) };
  const parent = await gh(label, () =>
    client.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
      owner: p.owner,
      repo: p.repo,
      commit_sha: base,
    }),
  );
  const made = await gh(label, () =>
    client.request('POST /repos/{owner}/{repo}/git/commits', {
      owner: p.owner,
      repo: p.repo,
      message: `Start a deployment branch from ${p.from}\n\n${TRAILER}: ${key}`,
      tree: parent.data.tree.sha,
      parents: [base],
    }),
  );
  return made.data.sha;
}

export const githubBranch: ResourceType<BranchProperties> = {
  type: 'github:branch',
  provider: 'github',
  description: 'A branch made for this run from another (a deploy branch), found again by its run on any retry.',
  regional: false,
  properties,

  plan: () => Promise.resolve({ action: 'create', diff: [], warnings: [] }),

  async apply(ctx: OperationContext, target: Target) {
    const p = target.properties;
    const run = runOf(target);
    const client = await githubClient(ctx);
    const base = await branchHead(client, p, p.from);
    if (!base)
      throw new OperationError('not_found', `branch ${p.from} does not exist in ${repoLabel(p)}`, { retryable: false });
    let marker: string | null = null;
    for (const branch of candidates(p.name.replace('{date}', run.day))) {
      const head = await branchHead(client, p, branch);
      if (head !== null) {
        const ours = await markerOn(client, p, branch, run.key);
        if (ours)
          return { outputs: { branch, sha: ours, base_sha: base, created: false }, undo: { branch, sha: ours } };
        continue; // another run's branch
      }
      marker ??= await markerCommit(client, p, base, run.key);
      const sha = marker;
      const made = await ghOrNull({ action: `create branch ${branch}`, target: repoLabel(p) }, () =>
        client.request('POST /repos/{owner}/{repo}/git/refs', {
          owner: p.owner,
          repo: p.repo,
          ref: `refs/heads/${branch}`,
          sha,
        }),
      ).catch((err: unknown) => {
        // Another run made it between our look and our create (422): try the next name.
        if (err instanceof OperationError && /already exists/i.test(err.message)) return null;
        throw err;
      });
      if (made) return { outputs: { branch, sha, base_sha: base, created: true }, undo: { branch, sha } };
    }
    throw new OperationError('conflict', `${repoLabel(p)} has ${MAX_SUFFIX} branches named ${p.name} already`, {
      retryable: false,
    });
  },

  async verify(ctx, target, outputs) {
    const branch = text(outputs?.['branch']);
    const head = branch ? await branchHead(await githubClient(ctx), target.properties, branch) : null;
    return { drift: head === null ? [{ property: 'exists', desired: true, actual: false }] : [] };
  },

  async compensate(ctx, target, undo) {
    const branch = text(undo?.['branch']);
    if (!branch) return { outcome: 'nothing to undo' };
    const p = target.properties;
    const client = await githubClient(ctx);
    const head = await branchHead(client, p, branch);
    if (head === null) return { outcome: `compensated (branch ${branch} was already gone)` };
    if (head !== undo?.['sha'])
      return {
        outcome: `irreversible: branch ${branch} holds commits made after it (merged pull requests): left as it is`,
      };
    await deleteBranch(client, p, branch);
    return { outcome: `compensated (deleted branch ${branch})` };
  },

  async destroy(ctx, target, outputs) {
    const branch = text(outputs?.['branch']);
    if (branch) await deleteBranch(await githubClient(ctx), target.properties, branch);
  },
};

async function deleteBranch(client: GitHubClient, p: BranchProperties, branch: string): Promise<void> {
  await ghOrNull({ action: `delete branch ${branch}`, target: repoLabel(p) }, () =>
    client.request('DELETE /repos/{owner}/{repo}/git/refs/{ref}', {
      owner: p.owner,
      repo: p.repo,
      ref: `heads/${branch}`,
    }),
  );
}
