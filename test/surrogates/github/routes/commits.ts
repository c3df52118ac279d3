/**
 * Reading the repository's history through the REST API: a branch, a commit, the history of a
 * branch (newest first, with `path` and paging, e.g. to find a commit by its message trailer), a
 * comparison of two revisions (`base...head`, GitHub's three-dot form) and a path's contents at a
 * ref (a file with its base64 content and blob SHA, or a directory listing).
 */
import { branch, comparison, contentEntry, contentFile, restCommit } from '../fixtures-git';
import type { CommitInfo, GitRepo } from '../git-repo';
import { adminRepoGit } from './scopes';
import { GitHubHttpError, notFound, type Route, type RouteRequest } from './route';

const perPage = (req: RouteRequest): number => Math.min(Number(req.query['per_page'] ?? 30) || 30, 100);
const pageNumber = (req: RouteRequest): number => Math.max(Number(req.query['page'] ?? 1) || 1, 1);

/** A commit a revision names, else GitHub's 404 (or 422 for a ref that names nothing). */
export async function commitAt(git: GitRepo, rev: string, status: 404 | 422 = 404): Promise<CommitInfo> {
  const sha = await git.resolve(rev);
  const commit = sha === null ? null : await git.commit(sha);
  if (!commit) throw new GitHubHttpError(status, `No commit found for SHA: ${rev}`);
  return commit;
}

/** `owner:branch` or `branch`: the branch. */
const sideOf = (side: string): string => side.replace(/^[^:]+:/, '');

export const commitRoutes: readonly Route[] = [
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/branches/{branch}',
    scopes: [],
    async handle(req) {
      const { repo, git } = await adminRepoGit(req);
      const name = req.params['branch'] ?? '';
      const sha = await git.refSha(`refs/heads/${name}`);
      const commit = sha === null ? null : await git.commit(sha);
      if (!commit) throw new GitHubHttpError(404, 'Branch not found');
      return { status: 200, body: branch(repo, name, commit) };
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/commits/{ref}',
    scopes: [],
    async handle(req) {
      const { repo, git } = await adminRepoGit(req);
      return { status: 200, body: restCommit(repo, await commitAt(git, req.params['ref'] ?? '', 422)) };
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/commits',
    scopes: [],
    async handle(req) {
      const { repo, git } = await adminRepoGit(req);
      const start = await commitAt(git, typeof req.query['sha'] === 'string' ? req.query['sha'] : 'main');
      const path = typeof req.query['path'] === 'string' ? req.query['path'] : undefined;
      const commits = await git.log([start.sha], {
        max: perPage(req),
        skip: (pageNumber(req) - 1) * perPage(req),
        ...(path === undefined ? {} : { path }),
      });
      return { status: 200, body: commits.map((c) => restCommit(repo, c)) };
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/compare/{basehead}',
    scopes: [],
    async handle(req) {
      const { repo, git } = await adminRepoGit(req);
      const basehead = req.params['basehead'] ?? '';
      const sides = /^(.+?)\.\.\.(.+)$/.exec(basehead);
      if (!sides) throw notFound();
      const base = await commitAt(git, sideOf(sides[1] ?? ''));
      const head = await commitAt(git, sideOf(sides[2] ?? ''));
      const mergeBaseSha = await git.mergeBase(base.sha, head.sha);
      if (mergeBaseSha === null) throw new GitHubHttpError(404, `No common ancestor between ${basehead}.`);
      const body = comparison(repo, {
        basehead,
        base,
        head,
        mergeBase: await commitAt(git, mergeBaseSha),
        aheadBy: await git.count(`${mergeBaseSha}..${head.sha}`),
        behindBy: await git.count(`${mergeBaseSha}..${base.sha}`),
        commits: (await git.log([`${mergeBaseSha}..${head.sha}`], { max: 250 })).reverse(),
        files: await git.changes(mergeBaseSha, head.sha),
      });
      return { status: 200, body };
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/contents/{path}',
    scopes: [],
    async handle(req) {
      const { repo, git } = await adminRepoGit(req);
      const ref = typeof req.query['ref'] === 'string' ? req.query['ref'] : 'main';
      const path = (req.params['path'] ?? '').replace(/^\/+|\/+$/g, '');
      const commit = await commitAt(git, ref);
      const entry = await git.entryAt(commit.sha, path);
      if (!entry) throw notFound();
      if (entry.type === 'blob')
        return { status: 200, body: contentFile(repo, entry, ref, await git.readBlob(entry.sha)) };
      const listing = await git.readTree(entry.sha);
      return {
        status: 200,
        body: listing.map((e) => contentEntry(repo, { ...e, path: `${path}/${e.path}` }, ref)),
      };
    },
  },
];
