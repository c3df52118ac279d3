/**
 * The surrogate's git repositories: one bare repository per surrogate repository, made on first
 * use under a temporary directory the store owns (removed by `remove()`), each starting as GitHub's
 * `auto_init` does, with one commit of a README on `main`. git sees only this environment: no
 * system or user configuration (HOME is the store's directory) and a committer identity, so it
 * works on a clean machine. Work on one repository is serialized (`exclusive`), as GitHub
 * serializes pushes and merges to a repository.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GITHUB_COMMITTER, GitRepo } from './git-repo';

export interface GitStoreRepository {
  readonly id: number;
  readonly name: string;
}

export class GitStore {
  private root: Promise<string> | null = null;
  private readonly repos = new Map<number, Promise<GitRepo>>();
  private readonly queues = new Map<number, Promise<unknown>>();

  private directory(): Promise<string> {
    this.root ??= mkdtemp(join(tmpdir(), 'github-surrogate-git-'));
    return this.root;
  }

  /** The repository's bare git repository, made (with its initial commit on main) on first use. */
  open(repo: GitStoreRepository): Promise<GitRepo> {
    let opened = this.repos.get(repo.id);
    if (!opened) {
      opened = this.initialize(repo);
      this.repos.set(repo.id, opened);
    }
    return opened;
  }

  private async initialize(repo: GitStoreRepository): Promise<GitRepo> {
    const root = await this.directory();
    const env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: root,
      LANG: 'C',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: GITHUB_COMMITTER.name,
      GIT_AUTHOR_EMAIL: GITHUB_COMMITTER.email,
      GIT_COMMITTER_NAME: GITHUB_COMMITTER.name,
      GIT_COMMITTER_EMAIL: GITHUB_COMMITTER.email,
    };
    const git = new GitRepo(join(root, `${repo.id}.git`), env);
    await git.run(['init', '--quiet', '--bare', '--initial-branch=main', git.dir]);
    const readme = await git.writeBlob(`# ${repo.name}\n`);
    const tree = await git.writeTree(null, [{ path: 'README.md', mode: '100644', type: 'blob', sha: readme }]);
    const commit = await git.commitTree({ tree, parents: [], message: 'Initial commit', author: GITHUB_COMMITTER });
    await git.setRef('refs/heads/main', commit, null);
    return git;
  }

  /** Runs `work` after every earlier piece of work on the same repository has finished. */
  exclusive<T>(repoId: number, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(repoId) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.queues.set(
      repoId,
      next.catch(() => undefined),
    );
    return next;
  }

  /** Deletes every repository (the surrogate is stopping). */
  async remove(): Promise<void> {
    const root = this.root;
    this.root = null;
    this.repos.clear();
    if (root) await rm(await root, { recursive: true, force: true });
  }
}
