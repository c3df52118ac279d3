/**
 * Response bodies of the Git data, commits, branches, compare and contents APIs, in GitHub's
 * documented shapes, built from what the real git repository holds (fixtures.ts does the same for
 * repositories and Actions). The validator checks every one that is sent.
 */
import { API, WEB } from './fixtures';
import type { CommitInfo, FileChange, TreeEntry } from './git-repo';
import { ownerLogin, type Repository } from './state';

export const repoApi = (repo: Repository): string => `${API}/repos/${ownerLogin(repo.owner)}/${repo.name}`;
export const repoWeb = (repo: Repository): string => `${WEB}/${ownerLogin(repo.owner)}/${repo.name}`;

const UNSIGNED = { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null };

const shaNodeId = (kind: string, sha: string): string =>
  Buffer.from(`0${kind.length}:${kind}${sha}`).toString('base64');

export function gitRef(repo: Repository, ref: string, sha: string, type: string): Record<string, unknown> {
  return {
    ref,
    node_id: shaNodeId('Ref', ref),
    url: `${repoApi(repo)}/git/${ref}`,
    object: { type, sha, url: `${repoApi(repo)}/git/${type === 'tag' ? 'tags' : 'commits'}/${sha}` },
  };
}

export function gitCommit(repo: Repository, commit: CommitInfo): Record<string, unknown> {
  return {
    sha: commit.sha,
    node_id: shaNodeId('Commit', commit.sha),
    url: `${repoApi(repo)}/git/commits/${commit.sha}`,
    html_url: `${repoWeb(repo)}/commit/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    message: commit.message,
    tree: { sha: commit.tree, url: `${repoApi(repo)}/git/trees/${commit.tree}` },
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${repoApi(repo)}/git/commits/${sha}`,
      html_url: `${repoWeb(repo)}/commit/${sha}`,
    })),
    verification: UNSIGNED,
  };
}

export function gitTree(repo: Repository, sha: string, entries: readonly TreeEntry[]): Record<string, unknown> {
  return {
    sha,
    url: `${repoApi(repo)}/git/trees/${sha}`,
    truncated: false,
    tree: entries.map((e) => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.size === undefined ? {} : { size: e.size }),
      url: `${repoApi(repo)}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`,
    })),
  };
}

export const shortBlob = (repo: Repository, sha: string): Record<string, unknown> => ({
  sha,
  url: `${repoApi(repo)}/git/blobs/${sha}`,
});

export function blob(repo: Repository, sha: string, content: Buffer): Record<string, unknown> {
  return {
    ...shortBlob(repo, sha),
    content: content.toString('base64'),
    encoding: 'base64',
    size: content.length,
    node_id: shaNodeId('Blob', sha),
  };
}

/** A commit as the REST commits API shows it (`commit` schema); authors are not mapped to accounts. */
export function restCommit(repo: Repository, commit: CommitInfo): Record<string, unknown> {
  const git = gitCommit(repo, commit);
  return {
    url: `${repoApi(repo)}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: git['node_id'],
    html_url: git['html_url'],
    comments_url: `${repoApi(repo)}/commits/${commit.sha}/comments`,
    commit: {
      url: git['url'],
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      tree: git['tree'],
      comment_count: 0,
      verification: UNSIGNED,
    },
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${repoApi(repo)}/commits/${sha}`,
      html_url: `${repoWeb(repo)}/commit/${sha}`,
    })),
  };
}

export function branch(repo: Repository, name: string, commit: CommitInfo): Record<string, unknown> {
  const self = `${repoApi(repo)}/branches/${encodeURIComponent(name)}`;
  return {
    name,
    commit: restCommit(repo, commit),
    _links: { self, html: `${repoWeb(repo)}/tree/${name}` },
    protected: false,
    protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
    protection_url: `${self}/protection`,
  };
}

export function diffEntry(repo: Repository, change: FileChange, at: string): Record<string, unknown> {
  return {
    sha: change.sha,
    filename: change.path,
    status: change.status,
    additions: 0,
    deletions: 0,
    changes: 0,
    blob_url: `${repoWeb(repo)}/blob/${at}/${change.path}`,
    raw_url: `${repoWeb(repo)}/raw/${at}/${change.path}`,
    contents_url: `${repoApi(repo)}/contents/${change.path}?ref=${at}`,
  };
}

export interface Comparison {
  readonly basehead: string;
  readonly base: CommitInfo;
  readonly mergeBase: CommitInfo;
  readonly head: CommitInfo;
  readonly aheadBy: number;
  readonly behindBy: number;
  /** Oldest first. */
  readonly commits: readonly CommitInfo[];
  readonly files: readonly FileChange[];
}

export function comparison(repo: Repository, c: Comparison): Record<string, unknown> {
  const status =
    c.aheadBy === 0 && c.behindBy === 0
      ? 'identical'
      : c.behindBy === 0
        ? 'ahead'
        : c.aheadBy === 0
          ? 'behind'
          : 'diverged';
  const web = `${repoWeb(repo)}/compare/${c.basehead}`;
  const owner = ownerLogin(repo.owner);
  return {
    url: `${repoApi(repo)}/compare/${c.basehead}`,
    html_url: web,
    permalink_url: `${repoWeb(repo)}/compare/${owner}:${c.base.sha}...${owner}:${c.head.sha}`,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    base_commit: restCommit(repo, c.base),
    merge_base_commit: restCommit(repo, c.mergeBase),
    status,
    ahead_by: c.aheadBy,
    behind_by: c.behindBy,
    total_commits: c.commits.length,
    commits: c.commits.map((commit) => restCommit(repo, commit)),
    files: c.files.map((f) => diffEntry(repo, f, c.head.sha)),
  };
}

function contentLinks(repo: Repository, entry: TreeEntry, ref: string) {
  const self = `${repoApi(repo)}/contents/${entry.path}?ref=${encodeURIComponent(ref)}`;
  const git = `${repoApi(repo)}/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`;
  const html = `${repoWeb(repo)}/${entry.type === 'tree' ? 'tree' : 'blob'}/${ref}/${entry.path}`;
  return { url: self, git_url: git, html_url: html, _links: { self, git, html } };
}

/** A directory listing's entry, or the metadata of a file. */
export function contentEntry(repo: Repository, entry: TreeEntry, ref: string): Record<string, unknown> {
  const isFile = entry.type === 'blob';
  return {
    type: isFile ? 'file' : entry.type === 'tree' ? 'dir' : 'submodule',
    size: entry.size ?? 0,
    name: entry.path.split('/').pop() ?? entry.path,
    path: entry.path,
    sha: entry.sha,
    ...contentLinks(repo, entry, ref),
    download_url: isFile
      ? `https://raw.githubusercontent.com/${ownerLogin(repo.owner)}/${repo.name}/${ref}/${entry.path}`
      : null,
  };
}

/** A file with its content, base64 in lines of 60 characters as GitHub sends it. */
export function contentFile(repo: Repository, entry: TreeEntry, ref: string, content: Buffer): Record<string, unknown> {
  const base64 = content.toString('base64');
  return {
    ...contentEntry(repo, entry, ref),
    encoding: 'base64',
    content: (base64.match(/.{1,60}/g) ?? []).join('\n') + '\n',
  };
}
