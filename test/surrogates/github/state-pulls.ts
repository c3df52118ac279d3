/**
 * What a surrogate repository holds beside its git objects: pull requests with their reviews and
 * requested reviewers, issues (sharing the pull requests' numbers, as on GitHub), releases, and
 * the scripted checks of commits. Plain data; the routes and the test helpers change it.
 */
import type { Account, Organization } from './state';

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';

export interface Review {
  readonly id: number;
  readonly user: Account;
  readonly state: ReviewState;
  readonly body: string;
  /** The pull request's head when the review was given. */
  readonly commit_id: string;
  readonly submitted_at: string;
}

export interface PullMerge {
  readonly sha: string;
  readonly at: string;
  readonly by: Account;
  /** The base branch's head before the merge: the pull request's commits are base_sha..head. */
  readonly base_sha: string;
}

export interface PullRequest {
  readonly id: number;
  readonly number: number;
  readonly user: Account;
  /** Branch names in the same repository. */
  readonly head: string;
  base: string;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  labels: string[];
  requested_reviewers: Account[];
  readonly reviews: Review[];
  /** The head branch's commit when last seen (kept once the branch is merged or deleted). */
  head_sha: string;
  merged: PullMerge | null;
  readonly created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface Issue {
  readonly id: number;
  readonly number: number;
  readonly user: Account;
  readonly title: string;
  readonly body: string | null;
  state: 'open' | 'closed';
  readonly created_at: string;
}

export interface Release {
  readonly id: number;
  tag_name: string;
  target_commitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  readonly author: Account | Organization;
  readonly created_at: string;
  published_at: string;
}

/** How the checks of a commit behave: pending for some reads, then concluded. */
export interface CheckScriptSettings {
  /** Check runs reported (default `['build']`). */
  readonly names?: readonly string[];
  /** Commit status contexts reported in the combined status (default none). */
  readonly contexts?: readonly string[];
  /** Reads of each endpoint (check runs, combined status) that answer in progress/pending first (default 0). */
  readonly pendingPolls?: number;
  /** How they conclude (default success). */
  readonly conclusion?: 'success' | 'failure';
  /** With `conclusion: 'failure'`: the names and contexts that fail (default all of them). */
  readonly failing?: readonly string[];
}

/** Which commit a script applies to: one SHA, or whatever the head of a pull request is. */
export type CheckTarget = string | { readonly pull: number };

export interface CheckScript {
  readonly target: CheckTarget;
  settings: CheckScriptSettings;
  /** Bumped when the script changes: fresh run ids, reads counted from zero. */
  generation: number;
  /** Reads per `${generation}:${sha}:${endpoint}`. */
  readonly reads: Map<string, number>;
  /** Check run ids per `${generation}:${sha}:${name}`. */
  readonly ids: Map<string, number>;
}

/** The repository's collaboration state, numbered as GitHub numbers issues and pull requests. */
export interface Collaboration {
  readonly pulls: Map<number, PullRequest>;
  readonly issues: Map<number, Issue>;
  readonly releases: Release[];
  readonly checks: CheckScript[];
  lastNumber: number;
}

export const emptyCollaboration = (): Collaboration => ({
  pulls: new Map(),
  issues: new Map(),
  releases: [],
  checks: [],
  lastNumber: 0,
});
