/**
 * One bare git repository of the surrogate, read and written with git's plumbing only (hash-object,
 * mktree, commit-tree, update-ref, cat-file, ls-tree, merge-tree, log), so whatever a client does
 * through the Git data, pulls or contents API is a real object in a real repository, visible to
 * `git log` / `git show` in tests. git runs through execFile (never a shell) with an environment
 * that ignores the machine's configuration and names a committer.
 */
import { execFile } from 'node:child_process';

export interface GitIdentity {
  readonly name: string;
  readonly email: string;
  /** ISO 8601; now when absent. */
  readonly date?: string | undefined;
}

export interface TreeEntry {
  readonly path: string;
  readonly mode: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly sha: string;
  /** Blobs only. */
  readonly size?: number;
}

/** A change to a tree: `sha: null` removes the path. Paths may be nested (`a/b/c.txt`). */
export type TreeChange = Omit<TreeEntry, 'sha' | 'size'> & { readonly sha: string | null };

export interface CommitInfo {
  readonly sha: string;
  readonly tree: string;
  readonly parents: readonly string[];
  readonly author: Required<GitIdentity>;
  readonly committer: Required<GitIdentity>;
  readonly message: string;
}

export interface FileChange {
  readonly status: 'added' | 'removed' | 'modified';
  readonly path: string;
  readonly sha: string;
}

/** What GitHub commits as when it merges: its web-flow identity. */
export const GITHUB_COMMITTER: GitIdentity = { name: 'GitHub', email: 'noreply@github.com' };
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (${String(code)}): ${stderr.trim()}`);
  }
}

const isoDate = (gitDate: string): string => new Date(gitDate).toISOString().replace(/\.\d{3}Z$/, 'Z');

const FIELDS = ['%H', '%T', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'];
const LOG_FORMAT = `--format=${FIELDS.join('%x1f')}%x1e`;

function parseCommits(out: string): CommitInfo[] {
  return out
    .split('\x1e')
    .map((record) => record.replace(/^\n/, ''))
    .filter((record) => record !== '')
    .map((record) => {
      const [sha = '', tree = '', parents = '', an = '', ae = '', ad = '', cn = '', ce = '', cd = '', message = ''] =
        record.split('\x1f');
      return {
        sha,
        tree,
        parents: parents === '' ? [] : parents.split(' '),
        author: { name: an, email: ae, date: isoDate(ad) },
        committer: { name: cn, email: ce, date: isoDate(cd) },
        message: message.replace(/\n+$/, ''),
      };
    });
}

function parseTree(out: string): TreeEntry[] {
  return out
    .split('\0')
    .filter((line) => line !== '')
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode = '', type = '', sha = '', size = '-'] = line.slice(0, tab).split(/\s+/);
      const entry = { path: line.slice(tab + 1), mode, type: type as TreeEntry['type'], sha };
      return size === '-' ? entry : { ...entry, size: Number(size) };
    });
}

export class GitRepo {
  constructor(
    readonly dir: string,
    private readonly baseEnv: Readonly<Record<string, string>>,
  ) {}

  /** Runs git on this repository; rejects with GitCommandError on a non-zero exit. */
  run(
    args: readonly string[],
    options: { input?: string | Buffer; env?: Record<string, string> } = {},
  ): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        ['--git-dir', this.dir, ...args],
        { env: { ...this.baseEnv, ...options.env }, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error)
            reject(
              new GitCommandError(args, typeof error.code === 'number' ? error.code : null, stderr.toString('utf8')),
            );
          else resolve(stdout);
        },
      );
      // git may exit before reading its input (an error); the exit code reports that, not EPIPE.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input);
    });
  }

  private async text(args: readonly string[], input?: string | Buffer): Promise<string> {
    return (await this.run(args, input === undefined ? {} : { input })).toString('utf8');
  }

  /** Like `run`, but a failure answers null (for questions git answers with its exit code). */
  private async attempt(args: readonly string[]): Promise<string | null> {
    try {
      return await this.text(args);
    } catch (err) {
      if (err instanceof GitCommandError) return null;
      throw err;
    }
  }

  /** The object a revision names, peeled to `type` (default: any object); null when there is none. */
  async resolve(rev: string, type: 'commit' | 'tree' | 'blob' | null = 'commit'): Promise<string | null> {
    const out = await this.attempt([
      'rev-parse',
      '--verify',
      '--quiet',
      '--end-of-options',
      type ? `${rev}^{${type}}` : rev,
    ]);
    return out === null ? null : out.trim();
  }

  async objectType(sha: string): Promise<string | null> {
    if (!/^[0-9a-f]{40}$/.test(sha)) return null;
    return (await this.attempt(['cat-file', '-t', sha]))?.trim() ?? null;
  }

  async readBlob(sha: string): Promise<Buffer> {
    return this.run(['cat-file', 'blob', sha]);
  }

  async writeBlob(content: string | Buffer): Promise<string> {
    return (await this.text(['hash-object', '-w', '--stdin'], content)).trim();
  }

  /** A tree's entries (`recursive`: every subtree and blob below it, trees included). */
  async readTree(treeish: string, recursive = false): Promise<TreeEntry[]> {
    return parseTree(await this.text(['ls-tree', '-z', '-l', ...(recursive ? ['-r', '-t'] : []), treeish]));
  }

  /** The entry at `path` in a commit's tree; null when there is none. */
  async entryAt(rev: string, path: string): Promise<TreeEntry | null> {
    const out = await this.attempt(['ls-tree', '-z', '-l', rev, '--', path]);
    return parseTree(out ?? '').find((entry) => entry.path === path) ?? null;
  }

  /** A file's bytes at a revision; null when the path is not a file there. */
  async fileAt(rev: string, path: string): Promise<Buffer | null> {
    const entry = await this.entryAt(rev, path);
    return entry?.type === 'blob' ? this.readBlob(entry.sha) : null;
  }

  /** Writes the tree `base` (or an empty one) with `changes` applied, nested paths included. */
  async writeTree(base: string | null, changes: readonly TreeChange[]): Promise<string> {
    const entries = new Map<string, TreeEntry>();
    if (base !== null) for (const entry of await this.readTree(base)) entries.set(entry.path, entry);
    const nested = new Map<string, TreeChange[]>();
    for (const change of changes) {
      const [name = '', ...rest] = change.path.split('/');
      if (rest.length > 0) nested.set(name, [...(nested.get(name) ?? []), { ...change, path: rest.join('/') }]);
      else if (change.sha === null) entries.delete(name);
      else entries.set(name, { ...change, path: name, sha: change.sha });
    }
    for (const [name, inner] of nested) {
      const existing = entries.get(name);
      const subtree = await this.writeTree(existing?.type === 'tree' ? existing.sha : null, inner);
      if (subtree === EMPTY_TREE) entries.delete(name);
      else entries.set(name, { path: name, mode: '040000', type: 'tree', sha: subtree });
    }
    const listing = [...entries.values()].map((e) => `${e.mode} ${e.type} ${e.sha}\t${e.path}\0`).join('');
    return (await this.text(['mktree', '-z'], listing)).trim();
  }

  async commitTree(options: {
    tree: string;
    parents: readonly string[];
    message: string;
    author: GitIdentity;
    committer?: GitIdentity | undefined;
  }): Promise<string> {
    const committer = options.committer ?? options.author;
    const env: Record<string, string> = {
      GIT_AUTHOR_NAME: options.author.name,
      GIT_AUTHOR_EMAIL: options.author.email,
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
      ...(options.author.date ? { GIT_AUTHOR_DATE: options.author.date } : {}),
      ...(committer.date ? { GIT_COMMITTER_DATE: committer.date } : {}),
    };
    const parents = options.parents.flatMap((p) => ['-p', p]);
    const out = await this.run(['commit-tree', options.tree, ...parents], { input: options.message, env });
    return out.toString('utf8').trim();
  }

  /** Commits in `git log` order for the given revisions (`--max-count`, `--skip`, a path filter). */
  async log(
    revs: readonly string[],
    options: { max?: number; skip?: number; path?: string } = {},
  ): Promise<CommitInfo[]> {
    const limits = [
      ...(options.max === undefined ? [] : [`--max-count=${options.max}`]),
      ...(options.skip === undefined ? [] : [`--skip=${options.skip}`]),
    ];
    const paths = options.path === undefined ? [] : ['--', options.path];
    return parseCommits(await this.text(['log', LOG_FORMAT, ...limits, ...revs, ...paths]));
  }

  async commit(sha: string): Promise<CommitInfo | null> {
    if ((await this.objectType(sha)) !== 'commit') return null;
    return parseCommits(await this.text(['log', LOG_FORMAT, '--no-walk', sha]))[0] ?? null;
  }

  /** Refs whose full name starts with `prefix` (a plain string prefix, as matching-refs has it). */
  async refs(prefix = 'refs/'): Promise<{ ref: string; sha: string; type: string }[]> {
    const out = await this.text(['for-each-ref', '--format=%(refname)%00%(objectname)%00%(objecttype)', 'refs/']);
    return out
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [ref = '', sha = '', type = ''] = line.split('\0');
        return { ref, sha, type };
      })
      .filter((r) => r.ref.startsWith(prefix));
  }

  async refSha(ref: string): Promise<string | null> {
    return (await this.refs(ref)).find((r) => r.ref === ref)?.sha ?? null;
  }

  /** Moves `ref` to `sha` if it is at `expected` now (null: must not exist yet); false when it was not. */
  async setRef(ref: string, sha: string, expected: string | null): Promise<boolean> {
    return (await this.attempt(['update-ref', ref, sha, expected ?? ''])) !== null;
  }

  async deleteRef(ref: string): Promise<boolean> {
    return (await this.attempt(['update-ref', '-d', ref])) !== null;
  }

  async validRefName(ref: string): Promise<boolean> {
    return (await this.attempt(['check-ref-format', ref])) !== null;
  }

  async isAncestor(ancestor: string, of: string): Promise<boolean> {
    return (await this.attempt(['merge-base', '--is-ancestor', ancestor, of])) !== null;
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    return (await this.attempt(['merge-base', a, b]))?.trim() ?? null;
  }

  /** The tree of merging `theirs` into `ours`, or null when they conflict. Writes no ref. */
  async mergeTree(ours: string, theirs: string): Promise<string | null> {
    const out = await this.attempt(['merge-tree', '--write-tree', '--no-messages', ours, theirs]);
    return out === null ? null : (out.split('\n')[0] ?? '').trim();
  }

  async count(range: string): Promise<number> {
    return Number((await this.text(['rev-list', '--count', range])).trim());
  }

  /** Files changed from one commit to another. */
  async changes(from: string, to: string): Promise<FileChange[]> {
    const out = await this.text(['diff-tree', '-r', '-z', '--no-renames', from, to]);
    const fields = out.split('\0');
    const changes: FileChange[] = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const [, , before = '', after = '', letter = ''] = (fields[i] ?? '').split(' ');
      const status = letter === 'A' ? 'added' : letter === 'D' ? 'removed' : 'modified';
      changes.push({ status, path: fields[i + 1] ?? '', sha: status === 'removed' ? before : after });
    }
    return changes;
  }
}
