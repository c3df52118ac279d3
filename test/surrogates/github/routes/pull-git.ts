/**
 * Pull requests in the git repository: where their branches point, whether they merge cleanly,
 * their commits, and the merge itself: a real merge (`git merge-tree --write-tree`, then
 * `commit-tree` with the base and head as parents, or the base alone for a squash) moved onto
 * the base branch with `update-ref` only if the base has not moved meanwhile. A conflict changes
 * nothing and answers GitHub's 405.
 */
import type { PullHeads } from '../fixtures-pulls';
import { GITHUB_COMMITTER, type CommitInfo, type GitRepo } from '../git-repo';
import { ownerLogin, timestamp, type Account, type GitHubState, type Repository } from '../state';
import type { PullRequest } from '../state-pulls';
import { identityOf } from './git-data';
import { refMoved } from './push-runs';
import { GitHubHttpError } from './route';

/** The SHAs of a pull request's sides now; an open pull request's head follows its branch. */
export async function pullHeads(git: GitRepo, pull: PullRequest): Promise<PullHeads> {
  if (pull.state === 'open') pull.head_sha = (await git.refSha(`refs/heads/${pull.head}`)) ?? pull.head_sha;
  const base = (await git.refSha(`refs/heads/${pull.base}`)) ?? pull.merged?.base_sha ?? pull.head_sha;
  return { head: pull.head_sha, base };
}

/** Whether an open pull request merges without conflict (null once it is closed). */
export async function mergeable(git: GitRepo, pull: PullRequest, heads: PullHeads): Promise<boolean | null> {
  if (pull.state !== 'open') return null;
  return (await git.mergeTree(heads.base, heads.head)) !== null;
}

/** The pull request's own commits, oldest first. */
export async function pullCommits(git: GitRepo, pull: PullRequest, heads: PullHeads): Promise<CommitInfo[]> {
  const from = pull.merged?.base_sha ?? (await git.mergeBase(heads.base, heads.head));
  return (await git.log(from === null ? [heads.head] : [`${from}..${heads.head}`])).reverse();
}

export interface MergeRequest {
  readonly merge_method?: 'merge' | 'squash' | 'rebase';
  readonly sha?: string;
  readonly commit_title?: string;
  readonly commit_message?: string;
}

const notMergeable = (message = 'Pull Request is not mergeable') => new GitHubHttpError(405, message);

/** Merges the pull request into its base as GitHub does; answers the merge commit's SHA. */
export async function mergePull(
  state: GitHubState,
  repo: Repository,
  git: GitRepo,
  pull: PullRequest,
  by: Account,
  request: MergeRequest,
): Promise<string> {
  if (pull.merged !== null || pull.state !== 'open') throw notMergeable();
  if (pull.draft) throw notMergeable('Pull Request is still a draft');
  const method = request.merge_method ?? 'merge';
  if (method === 'rebase') throw notMergeable('Rebase merges are not allowed on this repository.');
  const heads = await pullHeads(git, pull);
  if (request.sha !== undefined && request.sha !== heads.head)
    throw new GitHubHttpError(409, 'Head branch was modified. Review and try the merge again.');
  const tree = await git.mergeTree(heads.base, heads.head);
  if (tree === null) throw notMergeable();
  const commits = await pullCommits(git, pull, heads);
  const title =
    request.commit_title ??
    (method === 'squash'
      ? `${pull.title} (#${pull.number})`
      : `Merge pull request #${pull.number} from ${ownerLogin(repo.owner)}/${pull.head}`);
  const detail =
    request.commit_message ??
    (method === 'squash' ? commits.map((c) => `* ${c.message.split('\n')[0] ?? ''}`).join('\n') : pull.title);
  const sha = await git.commitTree({
    tree,
    parents: method === 'squash' ? [heads.base] : [heads.base, heads.head],
    message: detail === '' ? title : `${title}\n\n${detail}`,
    author: identityOf(method === 'squash' ? pull.user : by),
    committer: GITHUB_COMMITTER,
  });
  if (!(await git.setRef(`refs/heads/${pull.base}`, sha, heads.base)))
    throw new GitHubHttpError(409, 'Base branch was modified. Review and try the merge again.');
  const now = timestamp();
  Object.assign(pull, {
    merged: { sha, at: now, by, base_sha: heads.base },
    state: 'closed',
    closed_at: now,
    updated_at: now,
  });
  await refMoved(state, repo, git, `refs/heads/${pull.base}`, sha, by);
  return sha;
}
