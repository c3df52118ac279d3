/**
 * Pull requests: list (state, head, base filters), get (with `mergeable` from a real trial merge),
 * create (GitHub's 422s: a missing branch, an open pull request for the same head and base, no
 * commits between them), update (title, body, state, retarget), merge (pull-git.ts), reviews,
 * requested reviewers and commits; and issues, which share the pull requests' numbers.
 */
import { issue, pullRequest, pullRequestSimple, review } from '../fixtures-pulls';
import { restCommit } from '../fixtures-git';
import type { GitRepo } from '../git-repo';
import { timestamp, type Account, type GitHubState, type Repository } from '../state';
import type { PullRequest } from '../state-pulls';
import { mergeable, mergePull, pullCommits, pullHeads, type MergeRequest } from './pull-git';
import { adminRepo, adminRepoGit } from './scopes';
import { notFound, page, unprocessable, type Route, type RouteRequest } from './route';

const REPO = ['repo'];
const PULL = '/repos/{owner}/{repo}/pulls/{pull_number}';

export interface NewPull {
  readonly head: string;
  readonly base: string;
  readonly title: string;
  readonly body?: string | null | undefined;
  readonly draft?: boolean | undefined;
  readonly labels?: readonly string[] | undefined;
}

const invalid = (field: string) =>
  unprocessable('Validation Failed', [{ resource: 'PullRequest', field, code: 'invalid' }]);
const custom = (message: string) =>
  unprocessable('Validation Failed', [{ resource: 'PullRequest', code: 'custom', message }]);

/** Opens a pull request with GitHub's checks (routes and test helpers alike). */
export async function openPull(
  state: GitHubState,
  repo: Repository,
  git: GitRepo,
  user: Account,
  fields: NewPull,
): Promise<PullRequest> {
  const base = await git.refSha(`refs/heads/${fields.base}`);
  if (base === null) throw invalid('base');
  const head = await git.refSha(`refs/heads/${fields.head}`);
  if (head === null) throw invalid('head');
  const same = [...repo.pulls.values()].find(
    (p) => p.state === 'open' && p.head === fields.head && p.base === fields.base,
  );
  if (same) throw custom(`A pull request already exists for ${repo.owner.login}:${fields.head}.`);
  if (await git.isAncestor(head, base)) throw custom(`No commits between ${fields.base} and ${fields.head}`);
  const now = timestamp();
  repo.lastNumber += 1;
  const pull: PullRequest = {
    id: state.id(),
    number: repo.lastNumber,
    user,
    head: fields.head,
    base: fields.base,
    title: fields.title,
    body: fields.body ?? null,
    state: 'open',
    draft: fields.draft ?? false,
    labels: [...(fields.labels ?? [])],
    requested_reviewers: [],
    reviews: [],
    head_sha: head,
    merged: null,
    created_at: now,
    updated_at: now,
    closed_at: null,
  };
  repo.pulls.set(pull.number, pull);
  return pull;
}

async function pullOf(req: RouteRequest, write = false) {
  const { repo, git } = await adminRepoGit(req, write);
  const pull = repo.pulls.get(Number(req.params['pull_number']));
  if (!pull) throw notFound();
  return { repo, git, pull };
}

async function fullPull(repo: Repository, git: GitRepo, pull: PullRequest) {
  const heads = await pullHeads(git, pull);
  const commits = await pullCommits(git, pull, heads);
  const from = pull.merged?.base_sha ?? (await git.mergeBase(heads.base, heads.head));
  const files = from === null ? [] : await git.changes(from, heads.head);
  const detail = { mergeable: await mergeable(git, pull, heads), commits: commits.length, changed_files: files.length };
  return pullRequest(repo, pull, heads, detail);
}

const branchOf = (value: unknown): string | undefined =>
  typeof value === 'string' ? value.replace(/^[^:]+:/, '') : undefined;

export const pullRoutes: readonly Route[] = [
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/pulls',
    scopes: [],
    async handle(req) {
      const { repo, git } = await adminRepoGit(req);
      const state = req.query['state'] ?? 'open';
      const head = branchOf(req.query['head']);
      const base = branchOf(req.query['base']);
      const key = req.query['sort'] === 'updated' ? 'updated_at' : 'created_at';
      const ascending =
        req.query['direction'] === 'asc' || (req.query['direction'] === undefined && key !== 'created_at');
      const pulls = [...repo.pulls.values()]
        .filter((p) => state === 'all' || p.state === state)
        .filter((p) => (head === undefined || p.head === head) && (base === undefined || p.base === base))
        .sort((a, b) => (a[key].localeCompare(b[key]) || a.number - b.number) * (ascending ? 1 : -1));
      const body = [];
      for (const p of page(pulls, req.query)) body.push(pullRequestSimple(repo, p, await pullHeads(git, p)));
      return { status: 200, body };
    },
  },
  {
    method: 'post',
    template: '/repos/{owner}/{repo}/pulls',
    scopes: REPO,
    async handle(req) {
      const { repo, git } = await adminRepoGit(req, true);
      const body = req.body as { head: string; base: string; title?: string; body?: string; draft?: boolean };
      if (body.title === undefined) throw invalid('title');
      const pull = await openPull(req.state, repo, git, req.account, {
        ...body,
        head: branchOf(body.head) ?? '',
        title: body.title,
      });
      return { status: 201, body: await fullPull(repo, git, pull) };
    },
  },
  {
    method: 'get',
    template: PULL,
    scopes: [],
    async handle(req) {
      const { repo, git, pull } = await pullOf(req);
      return { status: 200, body: await fullPull(repo, git, pull) };
    },
  },
  {
    method: 'patch',
    template: PULL,
    scopes: REPO,
    async handle(req) {
      const { repo, git, pull } = await pullOf(req, true);
      const body = req.body as { title?: string; body?: string; state?: 'open' | 'closed'; base?: string };
      if (body.base !== undefined && body.base !== pull.base) {
        if (pull.state !== 'open') throw unprocessable('Cannot change the base branch of a closed pull request.');
        if ((await git.refSha(`refs/heads/${body.base}`)) === null || body.base === pull.head)
          throw unprocessable(`Proposed base branch '${body.base}' was not found`);
        pull.base = body.base;
      }
      if (body.state === 'open' && pull.merged !== null) throw unprocessable('Cannot reopen a merged pull request.');
      if (body.state === 'open' && (await git.refSha(`refs/heads/${pull.base}`)) === null)
        throw unprocessable(`Cannot reopen: the base branch ${pull.base} was deleted.`);
      if (body.state !== undefined && body.state !== pull.state) {
        pull.state = body.state;
        pull.closed_at = body.state === 'closed' ? timestamp() : null;
      }
      if (body.title !== undefined) pull.title = body.title;
      if (body.body !== undefined) pull.body = body.body;
      pull.updated_at = timestamp();
      return { status: 200, body: await fullPull(repo, git, pull) };
    },
  },
  {
    method: 'put',
    template: `${PULL}/merge`,
    scopes: REPO,
    async handle(req) {
      const { repo, git, pull } = await pullOf(req, true);
      const sha = await mergePull(req.state, repo, git, pull, req.account, req.body as MergeRequest);
      return { status: 200, body: { sha, merged: true, message: 'Pull Request successfully merged' } };
    },
  },
  {
    method: 'get',
    template: `${PULL}/reviews`,
    scopes: [],
    async handle(req) {
      const { repo, pull } = await pullOf(req);
      return { status: 200, body: page(pull.reviews, req.query).map((r) => review(repo, pull, r)) };
    },
  },
  {
    method: 'get',
    template: `${PULL}/requested_reviewers`,
    scopes: [],
    async handle(req) {
      const { repo, git, pull } = await pullOf(req);
      const simple = pullRequestSimple(repo, pull, await pullHeads(git, pull));
      return { status: 200, body: { users: simple['requested_reviewers'], teams: [] } };
    },
  },
  {
    method: 'post',
    template: `${PULL}/requested_reviewers`,
    scopes: REPO,
    async handle(req) {
      const { repo, git, pull } = await pullOf(req, true);
      const logins = (req.body['reviewers'] as string[] | undefined) ?? [];
      const accounts = logins.map((login) => req.state.accounts.get(login.toLowerCase()));
      // GitHub documents this 422 (not a collaborator, or the author) without a body.
      if (accounts.some((a) => a === undefined || a === pull.user)) return { status: 422 };
      for (const account of accounts)
        if (account && !pull.requested_reviewers.includes(account)) pull.requested_reviewers.push(account);
      pull.updated_at = timestamp();
      return { status: 201, body: pullRequestSimple(repo, pull, await pullHeads(git, pull)) };
    },
  },
  {
    method: 'get',
    template: `${PULL}/commits`,
    scopes: [],
    async handle(req) {
      const { repo, git, pull } = await pullOf(req);
      const commits = await pullCommits(git, pull, await pullHeads(git, pull));
      return { status: 200, body: page(commits, req.query).map((c) => restCommit(repo, c)) };
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/issues/{issue_number}',
    scopes: [],
    handle(req) {
      const repo = adminRepo(req);
      const number = Number(req.params['issue_number']);
      const item = repo.issues.get(number) ?? repo.pulls.get(number);
      if (!item) throw notFound();
      return { status: 200, body: issue(repo, item) };
    },
  },
];
