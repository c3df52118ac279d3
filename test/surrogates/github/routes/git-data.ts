/**
 * The Git data API on the repository's real git repository: refs (get, list by prefix, create,
 * move with GitHub's fast-forward rule unless `force`, delete), commits, trees (with `base_tree`,
 * entries by content or by SHA, `sha: null` removes a path) and blobs. Every write is a git object
 * or ref; moving a branch is a push (push-runs.ts).
 */
import { blob, gitCommit, gitRef, gitTree, shortBlob } from '../fixtures-git';
import type { GitIdentity, TreeChange } from '../git-repo';
import type { Account, Organization } from '../state';
import { adminRepoGit } from './scopes';
import { refMoved } from './push-runs';
import { GitHubHttpError, notFound, unprocessable, type Route, type RouteRequest } from './route';

const REPO = ['repo'];

/** The identity GitHub gives a commit made through the API when none is named. */
export const identityOf = (account: Account | Organization): GitIdentity => ({
  name: account.login,
  email: `${account.id}+${account.login}@users.noreply.github.com`,
});

const fullRef = (req: RouteRequest): string => `refs/${req.params['ref'] ?? ''}`;

interface TreeEntryInput {
  readonly path?: string;
  readonly mode?: string;
  readonly type?: 'blob' | 'tree' | 'commit';
  readonly sha?: string | null;
  readonly content?: string;
}

export const gitDataRoutes: readonly Route[] = [
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/git/ref/{ref}',
    scopes: [],
    async handle(req) {
      const { repo, git } = await adminRepoGit(req);
      const found = (await git.refs(fullRef(req))).find((r) => r.ref === fullRef(req));
      if (!found) throw notFound();
      return { status: 200, body: gitRef(repo, found.ref, found.sha, found.type) };
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/git/matching-refs/{ref}',
    scopes: [],
    async handle(req) {
      const { repo, git } = await adminRepoGit(req);
      const refs = await git.refs(fullRef(req));
      return { status: 200, body: refs.map((r) => gitRef(repo, r.ref, r.sha, r.type)) };
    },
  },
  {
    method: 'post',
    template: '/repos/{owner}/{repo}/git/refs',
    scopes: REPO,
    async handle(req) {
      const { repo, git } = await adminRepoGit(req, true);
      const { ref, sha } = req.body as { ref: string; sha: string };
      if (!/^refs\/[^/]+\/./.test(ref) || !(await git.validRefName(ref)))
        throw unprocessable(`${ref} is not a valid ref name.`);
      const type = await git.objectType(sha);
      if (type === null || (ref.startsWith('refs/heads/') && type !== 'commit'))
        throw unprocessable('Object does not exist');
      if (!(await git.setRef(ref, sha, null))) throw unprocessable('Reference already exists');
      await refMoved(req.state, repo, git, ref, sha, req.account);
      return { status: 201, body: gitRef(repo, ref, sha, type) };
    },
  },
  {
    method: 'patch',
    template: '/repos/{owner}/{repo}/git/refs/{ref}',
    scopes: REPO,
    async handle(req) {
      const { repo, git } = await adminRepoGit(req, true);
      const { sha, force } = req.body as { sha: string; force?: boolean };
      const ref = fullRef(req);
      const current = await git.refSha(ref);
      if (current === null) throw unprocessable('Reference does not exist');
      if ((await git.objectType(sha)) !== 'commit') throw unprocessable('Object does not exist');
      if (force !== true && !(await git.isAncestor(current, sha))) throw unprocessable('Update is not a fast forward');
      if (!(await git.setRef(ref, sha, current))) throw new GitHubHttpError(409, 'Reference update failed');
      await refMoved(req.state, repo, git, ref, sha, req.account);
      return { status: 200, body: gitRef(repo, ref, sha, 'commit') };
    },
  },
  {
    method: 'delete',
    template: '/repos/{owner}/{repo}/git/refs/{ref}',
    scopes: REPO,
    async handle(req) {
      const { repo, git } = await adminRepoGit(req, true);
      const ref = fullRef(req);
      // GitHub documents this 422 without a body.
      if ((await git.refSha(ref)) === null || !(await git.deleteRef(ref))) return { status: 422 };
      await refMoved(req.state, repo, git, ref, null, req.account);
      return { status: 204 };
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/git/commits/{commit_sha}',
    scopes: [],
    async handle(req) {
      const { repo, git } = await adminRepoGit(req);
      const commit = await git.commit(req.params['commit_sha'] ?? '');
      if (!commit) throw notFound();
      return { status: 200, body: gitCommit(repo, commit) };
    },
  },
  {
    method: 'post',
    template: '/repos/{owner}/{repo}/git/commits',
    scopes: REPO,
    async handle(req) {
      const { repo, git } = await adminRepoGit(req, true);
      const body = req.body as {
        message: string;
        tree: string;
        parents?: string[];
        author?: GitIdentity;
        committer?: Partial<GitIdentity>;
      };
      if ((await git.objectType(body.tree)) !== 'tree') throw unprocessable('Tree SHA does not exist');
      for (const parent of body.parents ?? [])
        if ((await git.objectType(parent)) !== 'commit')
          throw unprocessable('Parent SHA does not exist or is not a commit object');
      const author = body.author ?? identityOf(req.account);
      const committer = { ...author, ...body.committer };
      const sha = await git.commitTree({
        tree: body.tree,
        parents: body.parents ?? [],
        message: body.message,
        author,
        committer,
      });
      const commit = await git.commit(sha);
      if (!commit) throw new Error(`commit ${sha} just written is missing`);
      return { status: 201, body: gitCommit(repo, commit) };
    },
  },
  {
    method: 'post',
    template: '/repos/{owner}/{repo}/git/trees',
    scopes: REPO,
    async handle(req) {
      const { repo, git } = await adminRepoGit(req, true);
      const body = req.body as { tree: TreeEntryInput[]; base_tree?: string };
      const base = body.base_tree === undefined ? null : await git.resolve(body.base_tree, 'tree');
      if (body.base_tree !== undefined && base === null) throw unprocessable('base_tree is not a valid tree oid');
      const changes: TreeChange[] = [];
      for (const entry of body.tree) {
        const { path = '', mode = '100644', type = 'blob' } = entry;
        if (path === '' || path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..'))
          throw unprocessable(`tree.path ${JSON.stringify(path)} is not a valid path`);
        if (entry.content !== undefined && entry.sha !== undefined)
          throw unprocessable('Must supply either tree.sha or tree.content, not both');
        let sha = entry.sha ?? null;
        if (entry.content !== undefined) sha = await git.writeBlob(entry.content);
        else if (sha === null && entry.sha === undefined) throw unprocessable('Must supply tree.sha or tree.content');
        else if (sha !== null && (await git.objectType(sha)) !== type)
          throw unprocessable(`tree.sha ${sha} is not a valid ${type}`);
        changes.push({ path, mode, type, sha });
      }
      const sha = await git.writeTree(base, changes);
      return { status: 201, body: gitTree(repo, sha, await git.readTree(sha)) };
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/git/trees/{tree_sha}',
    scopes: [],
    async handle(req) {
      const { repo, git } = await adminRepoGit(req);
      const sha = await git.resolve(req.params['tree_sha'] ?? '', 'tree');
      if (sha === null) throw notFound();
      return { status: 200, body: gitTree(repo, sha, await git.readTree(sha, req.query['recursive'] !== undefined)) };
    },
  },
  {
    method: 'post',
    template: '/repos/{owner}/{repo}/git/blobs',
    scopes: REPO,
    async handle(req) {
      const { repo, git } = await adminRepoGit(req, true);
      const { content, encoding = 'utf-8' } = req.body as { content: string; encoding?: string };
      if (encoding !== 'utf-8' && encoding !== 'utf8' && encoding !== 'base64')
        throw unprocessable(`encoding must be utf-8 or base64, not ${encoding}`);
      const sha = await git.writeBlob(Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'));
      return { status: 201, body: shortBlob(repo, sha) };
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/git/blobs/{file_sha}',
    scopes: [],
    async handle(req) {
      const { repo, git } = await adminRepoGit(req);
      const sha = req.params['file_sha'] ?? '';
      if ((await git.objectType(sha)) !== 'blob') throw notFound();
      return { status: 200, body: blob(repo, sha, await git.readBlob(sha)) };
    },
  },
];
