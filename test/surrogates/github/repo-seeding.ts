/**
 * Test helpers that shape a repository as a test needs it, through the same git repository and
 * rules the routes use: files committed on branches, pull requests whose head branch carries
 * commits, reviews, issues, and scripted checks. Git work runs in the repository's turn
 * (GitStore.exclusive), so a helper may change a repository while a client is polling it.
 */
import type { GitRepo } from './git-repo';
import { identityOf } from './routes/git-data';
import { openPull, type NewPull } from './routes/pulls';
import { refMoved } from './routes/push-runs';
import { timestamp, type Account, type GitHubState, type Organization, type Repository } from './state';
import type {
  CheckScript,
  CheckScriptSettings,
  CheckTarget,
  Issue,
  PullRequest,
  Review,
  ReviewState,
} from './state-pulls';

/** File contents by path; null deletes the path. */
export type FileChanges = Readonly<Record<string, string | null>>;

export interface CommitOptions {
  /** Where a branch that does not exist yet starts (default main). */
  readonly from?: string;
  readonly message?: string;
  /** The commit's author and the push's actor (default the repository's owner). */
  readonly author?: Account;
}

export interface PullSeed extends Omit<NewPull, 'title'> {
  readonly author: Account;
  /** Changes committed on the head branch (made from the base when it does not exist). */
  readonly files: FileChanges;
  readonly title?: string;
  readonly message?: string;
}

export interface ScriptedChecks {
  readonly script: CheckScript;
  /** Changes how the checks go from now on (e.g. a fixed check turns green): reads count afresh. */
  update(settings: CheckScriptSettings): void;
}

async function commitOn(
  state: GitHubState,
  repo: Repository,
  git: GitRepo,
  branch: string,
  files: FileChanges,
  options: CommitOptions,
): Promise<string> {
  const ref = `refs/heads/${branch}`;
  const current = await git.refSha(ref);
  const parent = current ?? (await git.refSha(`refs/heads/${options.from ?? 'main'}`));
  if (parent === null) throw new Error(`${repo.name} has no branch ${options.from ?? 'main'} to start ${branch} from`);
  const changes = [];
  for (const [path, content] of Object.entries(files))
    changes.push({
      path,
      mode: '100644',
      type: 'blob' as const,
      sha: content === null ? null : await git.writeBlob(content),
    });
  const tree = await git.writeTree(await git.resolve(parent, 'tree'), changes);
  const actor: Account | Organization = options.author ?? repo.owner;
  const message = options.message ?? `Update ${Object.keys(files).join(', ')}`;
  const sha = await git.commitTree({ tree, parents: [parent], message, author: identityOf(actor) });
  if (!(await git.setRef(ref, sha, current))) throw new Error(`${branch} moved while a test helper committed to it`);
  await refMoved(state, repo, git, ref, sha, actor);
  return sha;
}

/** Commits `files` on `branch` (made from `options.from` when missing); answers the commit's SHA. */
export function commitFiles(
  state: GitHubState,
  repo: Repository,
  branch: string,
  files: FileChanges,
  options: CommitOptions = {},
): Promise<string> {
  return state.git.exclusive(repo.id, async () =>
    commitOn(state, repo, await state.git.open(repo), branch, files, options),
  );
}

/** Commits `files` on main and points each of `branches` (default staging) at that commit. */
export function seedRepository(
  state: GitHubState,
  repo: Repository,
  files: FileChanges,
  branches: readonly string[] = ['staging'],
): Promise<string> {
  return state.git.exclusive(repo.id, async () => {
    const git = await state.git.open(repo);
    const sha = await commitOn(state, repo, git, 'main', files, { message: 'Seed the repository' });
    for (const branch of branches) {
      const ref = `refs/heads/${branch}`;
      if (!(await git.setRef(ref, sha, await git.refSha(ref)))) throw new Error(`could not seed ${branch}`);
      await refMoved(state, repo, git, ref, sha, repo.owner);
    }
    return sha;
  });
}

/** Opens a pull request whose head branch carries a commit changing `files`. */
export function addPullRequest(state: GitHubState, repo: Repository, seed: PullSeed): Promise<PullRequest> {
  return state.git.exclusive(repo.id, async () => {
    const git = await state.git.open(repo);
    const message = seed.message ?? seed.title ?? `Change ${Object.keys(seed.files).join(', ')}`;
    await commitOn(state, repo, git, seed.head, seed.files, { from: seed.base, message, author: seed.author });
    return openPull(state, repo, git, seed.author, { ...seed, title: seed.title ?? message });
  });
}

/** Adds a review of the pull request's current head; a requested reviewer who reviews is no longer requested. */
export function addReview(
  state: GitHubState,
  pull: PullRequest,
  user: Account,
  reviewState: ReviewState,
  body = '',
): Review {
  const review: Review = {
    id: state.id(),
    user,
    state: reviewState,
    body,
    commit_id: pull.head_sha,
    submitted_at: timestamp(),
  };
  pull.reviews.push(review);
  pull.requested_reviewers = pull.requested_reviewers.filter((a) => a !== user);
  return review;
}

/** Opens an issue (numbered with the pull requests, as on GitHub). */
export function addIssue(
  state: GitHubState,
  repo: Repository,
  user: Account,
  title: string,
  body: string | null = null,
): Issue {
  repo.lastNumber += 1;
  const issue: Issue = {
    id: state.id(),
    number: repo.lastNumber,
    user,
    title,
    body,
    state: 'open',
    created_at: timestamp(),
  };
  repo.issues.set(issue.number, issue);
  return issue;
}

/** Scripts the checks of a commit, or of whatever the head of a pull request is; the latest script wins. */
export function scriptChecks(repo: Repository, target: CheckTarget, settings: CheckScriptSettings): ScriptedChecks {
  const script: CheckScript = { target, settings, generation: 0, reads: new Map(), ids: new Map() };
  repo.checks.push(script);
  return {
    script,
    update(changes) {
      script.settings = { ...script.settings, ...changes };
      script.generation += 1;
    },
  };
}
