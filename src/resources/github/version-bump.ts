/**
 * `github:version:bump`: one commit on a branch (the train's deploy branch, usually the reference
 * `branch` to a `github:branch`) that moves the version in every configured file (version-files.ts;
 * default package.json, mix.exs, VERSION) from the one they agree on to the next: `bump`
 * patch/minor/major computed by `semver`, or an explicit `version`. Files that disagree, miss the
 * version or hold one that is not semver are refused (not retried), naming each file and version.
 *
 * Through the Git data API only (contents at the branch's head, a tree on its tree, a commit, a
 * fast-forward of the ref), so no working copy on any worker. The commit's message is
 * `Bump version to X` with the trailer `Deployment-Run: <run key>`: a retry (a new attempt, an
 * operator's retry, another worker) finds that commit among the branch's last 30 and adopts it
 * instead of bumping again. A head that moved between the read and the ref update (not a
 * fast-forward) fails retryably, and the retry reads again.
 *
 * Compensation moves the branch back to the commit's parent (a forced ref update) while the branch
 * still ends at that commit; once later commits sit on it, it says irreversible and leaves it.
 * Destroy does nothing: the commit is the branch's history, which the branch's own node deletes.
 */
import { gt, inc, valid } from 'semver';
import { z } from 'zod';
import type { GitHubClient } from '../../providers/github';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { gh, ghOrNull } from './errors';
import { branchHead, repoLabel, repoProperties } from './pull-requests';
import { githubClient } from './session';
import { propertyOrRef } from './wait-settings';
import { DEFAULT_VERSION_FILES, findVersion, versionFileSchema } from './version-files';

const properties = z
  .object({
    ...repoProperties,
    branch: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .meta({ description: 'The branch to commit on; or a reference named branch (a github:branch’s branch)' }),
    files: z
      .array(versionFileSchema)
      .min(1)
      .max(20)
      .default([...DEFAULT_VERSION_FILES])
      .meta({
        description: 'The files holding the version and their formats (default package.json, mix.exs, VERSION)',
      }),
    bump: z.enum(['patch', 'minor', 'major']).default('patch').meta({ description: 'Which part goes up' }),
    version: z
      .string()
      .refine((v) => valid(v) === v, 'a semantic version such as 2.0.0')
      .optional()
      .meta({ description: 'An explicit next version (then bump is ignored); must be greater than the current one' }),
  })
  .strict();

export type VersionBumpProperties = z.output<typeof properties>;
type Target = NodeTarget<VersionBumpProperties>;
type Props = VersionBumpProperties;

const TRAILER = 'Deployment-Run';
const SUBJECT = 'Bump version to ';
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const refused = (message: string): OperationError => new OperationError('invalid_input', message, { retryable: false });

function runKeyOf(target: Target): string {
  const key = target.refs['$run_key'];
  if (typeof key !== 'string') throw refused('github:version:bump runs only inside a deployment run');
  return key;
}

/** Each file's text at `ref` and the version it holds (refusing a missing file or version). */
async function readFiles(client: GitHubClient, p: Props, ref: string) {
  const read = [];
  for (const file of p.files) {
    const res = await ghOrNull({ action: `read ${file.path} at ${ref}`, target: repoLabel(p) }, () =>
      client.request('GET /repos/{owner}/{repo}/contents/{path}', {
        owner: p.owner,
        repo: p.repo,
        path: file.path,
        ref,
      }),
    );
    const data = res?.data;
    if (!data || Array.isArray(data) || data.type !== 'file' || !('content' in data))
      throw refused(`${file.path} is not a file at ${ref} in ${repoLabel(p)}`);
    const content = Buffer.from(data.content, 'base64').toString('utf8');
    const slot = findVersion(file, content);
    if (typeof slot === 'string') throw refused(`${file.path} holds no version: ${slot}`);
    read.push({ path: file.path, slot });
  }
  return read;
}

/** The one version all files agree on (refusing disagreement or a version that is not semver). */
function agreed(read: Awaited<ReturnType<typeof readFiles>>): string {
  const versions = new Set(read.map((f) => f.slot.version));
  const listed = read.map((f) => `${f.path} ${f.slot.version}`).join(', ');
  if (versions.size !== 1) throw refused(`the version files disagree: ${listed}`);
  const [current] = versions as unknown as [string];
  if (!valid(current)) throw refused(`the current version is not a semantic version: ${listed}`);
  return current;
}

function nextVersion(p: Props, current: string): string {
  if (p.version === undefined) return inc(current, p.bump) as string;
  if (!gt(p.version, current)) throw refused(`version ${p.version} is not greater than the current ${current}`);
  return p.version;
}

/** This run's bump commit among the last 30 up to `head`, with its parent, or null. */
async function ourCommit(client: GitHubClient, p: Props, head: string, key: string) {
  const commits = await gh({ action: `list commits up to ${head}`, target: repoLabel(p) }, () =>
    client.request('GET /repos/{owner}/{repo}/commits', { owner: p.owner, repo: p.repo, sha: head, per_page: 30 }),
  );
  for (const c of commits.data) {
    const [subject = '', ...rest] = c.commit.message.split('\n');
    const parent = c.parents[0]?.sha;
    if (subject.startsWith(SUBJECT) && rest.includes(`${TRAILER}: ${key}`) && parent)
      return { sha: c.sha, parent, version: subject.slice(SUBJECT.length) };
  }
  return null;
}

/** The commit moving every file to the next version, on top of `head`; the branch fast-forwarded to it. */
async function commitBump(client: GitHubClient, p: Props, branch: string, head: string, key: string) {
  const read = await readFiles(client, p, head);
  const previous = agreed(read);
  const version = nextVersion(p, previous);
  const label = { action: `commit version ${version} on ${branch}`, target: repoLabel(p) };
  const where = { owner: p.owner, repo: p.repo };
  const parent = await gh(label, () =>
    client.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', { ...where, commit_sha: head }),
  );
  const tree = await gh(label, () =>
    client.request('POST /repos/{owner}/{repo}/git/trees', {
      ...where,
      base_tree: parent.data.tree.sha,
      tree: read.map(
        (f) => ({ path: f.path, mode: '100644', type: 'blob', content: f.slot.replace(version) }) as const,
      ),
    }),
  );
  const commit = await gh(label, () =>
    client.request('POST /repos/{owner}/{repo}/git/commits', {
      ...where,
      message: `${SUBJECT}${version}\n\n${TRAILER}: ${key}`,
      tree: tree.data.sha,
      parents: [head],
    }),
  );
  await gh(label, () =>
    client.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
      ...where,
      ref: `heads/${branch}`,
      sha: commit.data.sha,
      force: false,
    }),
  ).catch((err: unknown) => {
    // 422: not a fast-forward, the branch moved since it was read. The retry reads it again.
    if (err instanceof OperationError && err.type === 'invalid_input')
      throw new OperationError('conflict', `${branch} moved while its version was bumped: ${err.message}`, {
        retryable: true,
      });
    throw err;
  });
  return { version, previous, commit_sha: commit.data.sha, parent: head };
}

const outputsOf = (bump: { version: string; previous: string; commit_sha: string }, p: Props) => ({
  version: bump.version,
  previous: bump.previous,
  commit_sha: bump.commit_sha,
  files: p.files.map((f) => f.path),
});

export const githubVersionBump: ResourceType<VersionBumpProperties> = {
  type: 'github:version:bump',
  provider: 'github',
  description:
    'One commit on a branch moving the version in every configured file (JSON path, TOML key, regular expression or whole file) to the next patch/minor/major or an explicit version; found again by its run on any retry.',
  regional: false,
  properties,

  plan: () => Promise.resolve({ action: 'create', diff: [], warnings: [] }),

  async apply(ctx: OperationContext, target: Target) {
    const p = target.properties;
    const branch = propertyOrRef(target, 'branch', 'string');
    const key = runKeyOf(target);
    const client = await githubClient(ctx);
    const head = await branchHead(client, p, branch);
    if (!head) throw new OperationError('not_found', `branch ${branch} does not exist in ${repoLabel(p)}`);
    const found = await ourCommit(client, p, head, key);
    if (found) {
      const previous = agreed(await readFiles(client, p, found.parent));
      return {
        outputs: outputsOf({ ...found, previous, commit_sha: found.sha }, p),
        undo: { branch, sha: found.sha, parent: found.parent },
      };
    }
    const bump = await commitBump(client, p, branch, head, key);
    return { outputs: outputsOf(bump, p), undo: { branch, sha: bump.commit_sha, parent: bump.parent } };
  },

  async verify(ctx, target, outputs) {
    const version = text(outputs?.['version']);
    if (!version) return { drift: [] };
    const p = target.properties;
    const read = await readFiles(await githubClient(ctx), p, propertyOrRef(target, 'branch', 'string'));
    return {
      drift: read
        .filter((f) => f.slot.version !== version)
        .map((f) => ({ property: `version (${f.path})`, desired: version, actual: f.slot.version })),
    };
  },

  async compensate(ctx, target, undo) {
    const branch = text(undo?.['branch']);
    const sha = text(undo?.['sha']);
    const parent = text(undo?.['parent']);
    if (!branch || !sha || !parent) return { outcome: 'nothing to undo' };
    const p = target.properties;
    const client = await githubClient(ctx);
    const head = await branchHead(client, p, branch);
    if (head === null) return { outcome: `compensated (branch ${branch} is gone, and its version commit with it)` };
    if (head !== sha)
      return { outcome: `irreversible: branch ${branch} holds commits made after the version commit: left as it is` };
    await gh({ action: `move ${branch} back before its version commit`, target: repoLabel(p) }, () =>
      client.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
        owner: p.owner,
        repo: p.repo,
        ref: `heads/${branch}`,
        sha: parent,
        force: true,
      }),
    );
    return { outcome: `compensated (moved ${branch} back to ${parent.slice(0, 7)})` };
  },

  destroy: () => Promise.resolve(),
};
