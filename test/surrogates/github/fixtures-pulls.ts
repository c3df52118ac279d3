/**
 * Response bodies of pull requests, reviews, check runs, combined statuses, releases and issues,
 * in GitHub's documented shapes (starting from its published examples, as fixtures.ts does),
 * filled from the surrogate's state and the SHAs its git repository holds.
 */
import { example, fullRepository, minimalRepository, simpleUser } from './fixtures';
import { repoApi, repoWeb } from './fixtures-git';
import { nodeId, ownerLogin, type Account, type Repository } from './state';
import type { Issue, PullRequest, Release, Review } from './state-pulls';

function label(repo: Repository, name: string): Record<string, unknown> {
  const id = [...name].reduce((hash, c) => (hash * 31 + c.charCodeAt(0)) >>> 0, 7);
  return {
    id,
    node_id: nodeId('Label', id),
    url: `${repoApi(repo)}/labels/${encodeURIComponent(name)}`,
    name,
    description: '',
    color: 'ededed',
    default: false,
  };
}

const association = (repo: Repository, user: Account): string =>
  ownerLogin(repo.owner) === user.login ? 'OWNER' : 'COLLABORATOR';

function side(repo: Repository, branch: string, sha: string): Record<string, unknown> {
  return {
    label: `${ownerLogin(repo.owner)}:${branch}`,
    ref: branch,
    sha,
    user: simpleUser(repo.owner),
    repo: fullRepository(repo),
  };
}

/** The SHAs a pull request's sides point at now. */
export interface PullHeads {
  readonly head: string;
  readonly base: string;
}

/** A pull request in a list (`pull-request-simple`). */
export function pullRequestSimple(repo: Repository, pull: PullRequest, heads: PullHeads): Record<string, unknown> {
  const api = `${repoApi(repo)}/pulls/${pull.number}`;
  const web = `${repoWeb(repo)}/pull/${pull.number}`;
  const issue = `${repoApi(repo)}/issues/${pull.number}`;
  const statuses = `${repoApi(repo)}/statuses/${heads.head}`;
  return {
    url: api,
    id: pull.id,
    node_id: nodeId('PullRequest', pull.id),
    html_url: web,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    issue_url: issue,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repoApi(repo)}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: statuses,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: simpleUser(pull.user),
    body: pull.body,
    labels: pull.labels.map((name) => label(repo, name)),
    milestone: null,
    active_lock_reason: null,
    created_at: pull.created_at,
    updated_at: pull.updated_at,
    closed_at: pull.closed_at,
    merged_at: pull.merged?.at ?? null,
    merge_commit_sha: pull.merged?.sha ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: pull.requested_reviewers.map((a) => simpleUser(a)),
    requested_teams: [],
    head: side(repo, pull.head, heads.head),
    base: side(repo, pull.base, heads.base),
    _links: {
      self: { href: api },
      html: { href: web },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: `${repoApi(repo)}/pulls/comments{/number}` },
      commits: { href: `${api}/commits` },
      statuses: { href: statuses },
    },
    author_association: association(repo, pull.user),
    auto_merge: null,
    draft: pull.draft,
  };
}

/** One pull request (`pull-request`): with whether it merges cleanly and how many commits it has. */
export function pullRequest(
  repo: Repository,
  pull: PullRequest,
  heads: PullHeads,
  detail: { mergeable: boolean | null; commits: number; changed_files: number },
): Record<string, unknown> {
  const mergeableState =
    detail.mergeable === null ? 'unknown' : !detail.mergeable ? 'dirty' : pull.draft ? 'draft' : 'clean';
  return {
    ...pullRequestSimple(repo, pull, heads),
    merged: pull.merged !== null,
    mergeable: detail.mergeable,
    rebaseable: detail.mergeable,
    mergeable_state: mergeableState,
    merged_by: pull.merged ? simpleUser(pull.merged.by) : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: detail.commits,
    additions: 0,
    deletions: 0,
    changed_files: detail.changed_files,
  };
}

export function review(repo: Repository, pull: PullRequest, r: Review): Record<string, unknown> {
  const html = `${repoWeb(repo)}/pull/${pull.number}#pullrequestreview-${r.id}`;
  const api = `${repoApi(repo)}/pulls/${pull.number}`;
  return {
    id: r.id,
    node_id: nodeId('PullRequestReview', r.id),
    user: simpleUser(r.user),
    body: r.body,
    state: r.state,
    html_url: html,
    pull_request_url: api,
    _links: { html: { href: html }, pull_request: { href: api } },
    submitted_at: r.submitted_at,
    commit_id: r.commit_id,
    author_association: association(repo, r.user),
  };
}

export interface CheckRunView {
  readonly id: number;
  readonly name: string;
  readonly sha: string;
  readonly conclusion: 'success' | 'failure' | null;
  readonly started_at: string;
}

export function checkRun(repo: Repository, run: CheckRunView): Record<string, unknown> {
  const url = `${repoApi(repo)}/check-runs/${run.id}`;
  return {
    ...example('check-run'),
    id: run.id,
    node_id: nodeId('CheckRun', run.id),
    head_sha: run.sha,
    external_id: String(run.id),
    url,
    html_url: `${repoWeb(repo)}/runs/${run.id}`,
    details_url: `${repoWeb(repo)}/runs/${run.id}`,
    status: run.conclusion === null ? 'in_progress' : 'completed',
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.conclusion === null ? null : run.started_at,
    output: {
      title: run.conclusion === null ? null : `${run.name}: ${run.conclusion}`,
      summary: null,
      text: null,
      annotations_count: 0,
      annotations_url: `${url}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.id },
    pull_requests: [],
  };
}

export interface StatusView {
  readonly id: number;
  readonly context: string;
  readonly state: 'pending' | 'success' | 'failure';
  readonly at: string;
}

export function combinedStatus(
  repo: Repository,
  sha: string,
  statuses: readonly StatusView[],
): Record<string, unknown> {
  const state = statuses.some((s) => s.state === 'failure')
    ? 'failure'
    : statuses.length === 0 || statuses.some((s) => s.state === 'pending')
      ? 'pending'
      : 'success';
  return {
    state,
    sha,
    total_count: statuses.length,
    statuses: statuses.map((s) => ({
      url: `${repoApi(repo)}/statuses/${sha}`,
      avatar_url: null,
      id: s.id,
      node_id: nodeId('StatusContext', s.id),
      state: s.state,
      description: `${s.context}: ${s.state}`,
      target_url: `${repoWeb(repo)}/statuses/${s.id}`,
      context: s.context,
      created_at: s.at,
      updated_at: s.at,
    })),
    repository: minimalRepository(repo),
    commit_url: `${repoApi(repo)}/commits/${sha}`,
    url: `${repoApi(repo)}/commits/${sha}/status`,
  };
}

export function release(repo: Repository, r: Release): Record<string, unknown> {
  const api = `${repoApi(repo)}/releases/${r.id}`;
  const web = `${repoWeb(repo)}/releases/tag/${encodeURIComponent(r.tag_name)}`;
  const base = example('release');
  delete base['discussion_url'];
  return {
    ...base,
    url: api,
    html_url: web,
    assets_url: `${api}/assets`,
    upload_url: `https://uploads.github.com/repos/${ownerLogin(repo.owner)}/${repo.name}/releases/${r.id}/assets{?name,label}`,
    tarball_url: `${repoApi(repo)}/tarball/${r.tag_name}`,
    zipball_url: `${repoApi(repo)}/zipball/${r.tag_name}`,
    id: r.id,
    node_id: nodeId('Release', r.id),
    tag_name: r.tag_name,
    target_commitish: r.target_commitish,
    name: r.name,
    body: r.body,
    draft: r.draft,
    prerelease: r.prerelease,
    created_at: r.created_at,
    published_at: r.published_at,
    author: simpleUser(r.author),
    assets: [],
  };
}

/** An issue, or a pull request seen as the issue it also is. */
export function issue(repo: Repository, item: Issue | PullRequest): Record<string, unknown> {
  const api = `${repoApi(repo)}/issues/${item.number}`;
  const pull = 'head' in item ? item : null;
  const web = `${repoWeb(repo)}/${pull ? 'pull' : 'issues'}/${item.number}`;
  const base = example('issue');
  delete base['pull_request'];
  return {
    ...base,
    id: item.id,
    node_id: nodeId(pull ? 'PullRequest' : 'Issue', item.id),
    url: api,
    repository_url: repoApi(repo),
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: web,
    number: item.number,
    state: item.state,
    title: item.title,
    body: item.body,
    user: simpleUser(item.user),
    labels: pull ? pull.labels.map((name) => label(repo, name)) : [],
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: 0,
    closed_at: pull ? pull.closed_at : null,
    created_at: item.created_at,
    updated_at: pull ? pull.updated_at : item.created_at,
    closed_by: null,
    author_association: association(repo, item.user),
    state_reason: null,
    ...(pull
      ? {
          pull_request: {
            url: `${repoApi(repo)}/pulls/${pull.number}`,
            html_url: web,
            diff_url: `${web}.diff`,
            patch_url: `${web}.patch`,
            merged_at: pull.merged?.at ?? null,
          },
        }
      : {}),
  };
}
