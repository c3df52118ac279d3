/**
 * What the release train's pull request nodes (`github:pulls:gather`, `github:pulls:merge`) share:
 * GitHub's approval rule, reading a pull request, retargeting one (PATCH of its base), moving a
 * set back to their base (gather's compensation and halt).
 *
 * Retargeting is idempotent by nature (a PATCH to the base it already has changes nothing); moving
 * back touches only pull requests still open on the branch, so it may run any number of times.
 */
import { z } from 'zod';
import type { GitHubClient } from '../../providers/github';
import { gh, ghOrNull } from './errors';
import { ownerSchema, repoNameSchema } from './secret-properties';

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

/** The repository a train type works in, as every GitHub type names it. */
export const repoProperties = { owner: ownerSchema, repo: repoNameSchema };

/** The deploy pull request a type waits on or merges: given, or by the reference `number`. */
export const deployPullNumber = z
  .number()
  .int()
  .positive()
  .optional()
  .meta({ description: 'The pull request; else the reference `number` (the deploy PR’s)' });

export const repoLabel = (p: RepoRef): string => `repository ${p.owner}/${p.repo}`;

export const pullList = (numbers: readonly number[]): string => numbers.map((n) => `#${n}`).join(', ');

interface ReviewLike {
  readonly user: { readonly login: string } | null;
  readonly state: string;
}

/**
 * GitHub's rule: per reviewer, their latest approval, change request or dismissal counts (comments
 * do not); approved when at least one counts as APPROVED and none as CHANGES_REQUESTED.
 */
export function isApproved(reviews: readonly ReviewLike[]): boolean {
  const latest = new Map<string, string>();
  for (const review of reviews) {
    if (!review.user || !['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(review.state)) continue;
    latest.set(review.user.login, review.state);
  }
  const states = [...latest.values()];
  return states.includes('APPROVED') && !states.includes('CHANGES_REQUESTED');
}

export async function getPull(client: GitHubClient, p: RepoRef, number: number) {
  const pull = await gh({ action: `read pull request #${number}`, target: repoLabel(p) }, () =>
    client.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...ownerRepo(p), pull_number: number }),
  );
  return pull.data;
}

export async function retarget(client: GitHubClient, p: RepoRef, number: number, base: string): Promise<void> {
  await gh({ action: `retarget pull request #${number} to ${base}`, target: repoLabel(p) }, () =>
    client.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { ...ownerRepo(p), pull_number: number, base }),
  );
}

export interface MovedBack {
  readonly moved: number[];
  readonly merged: number[];
  readonly closed: number[];
}

/** Retargets from `branch` back to `base` each of `numbers` still open on `branch`; says what it could not. */
export async function moveBack(
  client: GitHubClient,
  p: RepoRef,
  numbers: readonly number[],
  branch: string,
  base: string,
): Promise<MovedBack> {
  const done: MovedBack = { moved: [], merged: [], closed: [] };
  for (const number of numbers) {
    const pull = await getPull(client, p, number);
    if (pull.merged) done.merged.push(number);
    else if (pull.state !== 'open') done.closed.push(number);
    else if (pull.base.ref === branch) {
      await retarget(client, p, number, base);
      done.moved.push(number);
    }
  }
  return done;
}

const ownerRepo = (p: RepoRef): RepoRef => ({ owner: p.owner, repo: p.repo });

/** The commit `branch` points at, or null when there is no such branch. */
export async function branchHead(client: GitHubClient, p: RepoRef, branch: string): Promise<string | null> {
  const ref = await ghOrNull({ action: `read branch ${branch}`, target: repoLabel(p) }, () =>
    client.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { owner: p.owner, repo: p.repo, ref: `heads/${branch}` }),
  );
  return ref ? ref.data.object.sha : null;
}
