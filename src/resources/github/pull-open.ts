/**
 * `github:pull:open`: the deploy pull request, `head` (the deploy branch) into `base` (default
 * `staging`), titled `title` (default `Deploy {date}`: `{date}` is the run's start day, YYYY-MM-DD;
 * `{version}` is `version`), its description listing every merged pull request (number, title,
 * author, link), then those left out with the reason, then `version` when given; `reviewers` are
 * requested (the pull request's own author is skipped: GitHub refuses to request them).
 *
 * Idempotent: an open pull request from `head` into `base` is adopted (a 422 "already exists" from
 * a race too), its description replaced when it differs, the reviewers requested again (a no-op
 * for those already requested). The description ends with the hidden marker
 * `<!-- Deployment-Run: <run key> -->`: a retry of the run that opened it finds its own marker.
 *
 * Compensation closes a pull request this run opened (its marker was there before this apply) and
 * leaves one it adopted from elsewhere open, with its earlier description put back; a merged one is
 * irreversible. Destroy closes it if still open.
 */
import { z } from 'zod';
import type { GitHubClient } from '../../providers/github';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { gh, githubError } from './errors';
import { getPull, repoLabel, repoProperties } from './pull-requests';
import { leftOutSchema, pullSummarySchema, type LeftOut, type PullSummary } from './pull-summary';
import { githubClient } from './session';
import { propertyOrRef } from './wait-settings';

const BRANCH = z.string().min(1).max(255);
const MERGED = z.array(pullSummarySchema).max(500);
const LEFT_OUT = z.array(leftOutSchema).max(500);
const LOGIN = z.string().regex(/^[A-Za-z0-9-]{1,39}$/, 'a GitHub login');

const properties = z
  .object({
    ...repoProperties,
    head: BRANCH.optional().meta({
      description: 'The deploy branch; or a reference named head (a github:branch’s branch)',
    }),
    base: BRANCH.default('staging').meta({ description: 'The branch it merges into' }),
    title: z
      .string()
      .min(1)
      .max(256)
      .default('Deploy {date}')
      .meta({ description: 'Its title; {date} is the run’s start day (YYYY-MM-DD), {version} the version' }),
    merged: MERGED.optional().meta({
      description: "The pull requests it deploys; usually a reference named merged (github:pulls:merge's merged)",
    }),
    left_out: LEFT_OUT.optional().meta({
      description: 'Those left out, with the reason; usually a reference named left_out (none when absent)',
    }),
    version: z.string().min(1).max(100).optional().meta({
      description: "The version it deploys; or a reference named version (github:version:bump's version)",
    }),
    reviewers: z.array(LOGIN).max(15).default([]).meta({ description: 'Logins asked to review it' }),
  })
  .strict();

export type PullOpenProperties = z.output<typeof properties>;
type Target = NodeTarget<PullOpenProperties>;
type Props = PullOpenProperties;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const refused = (message: string): OperationError => new OperationError('invalid_input', message, { retryable: false });

/** The property, else the reference of that name, parsed by `schema`; `fallback` when both are absent. */
function listOf<T>(target: Target, name: 'merged' | 'left_out', schema: z.ZodType<T[]>, fallback?: T[]): T[] {
  const value = target.properties[name] ?? target.refs[name] ?? fallback;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw refused(
    `${target.node.resource_id}: give properties.${name} or references.${name} (github:pulls:merge's ${name}): ${parsed.error.issues[0]?.message ?? 'missing'}`,
  );
}

function versionOf(target: Target): string | null {
  const value = target.properties.version ?? target.refs['version'];
  return typeof value === 'string' ? value : null;
}

function runOf(target: Target): { key: string; date: string } {
  const key = target.refs['$run_key'];
  const started = target.refs['$run_started_at'];
  if (typeof key !== 'string' || typeof started !== 'string')
    throw refused('github:pull:open runs only inside a deployment run');
  return { key, date: started.slice(0, 10) };
}

const markerOf = (key: string): string => `<!-- Deployment-Run: ${key} -->`;
const line = (p: PullSummary): string => `- #${p.number} ${p.title} (@${p.author}) ${p.url}`;

/** The description: the merged ones, those left out and why, the version, the run's marker. */
function descriptionOf(
  merged: readonly PullSummary[],
  leftOut: readonly LeftOut[],
  version: string | null,
  key: string,
) {
  const parts = [
    `## Merged (${merged.length})`,
    merged.length ? merged.map(line).join('\n') : 'None.',
    ...(leftOut.length
      ? [`## Left out (${leftOut.length})`, leftOut.map((p) => `${line(p)}: ${p.reason}`).join('\n')]
      : []),
    ...(version ? [`Version: ${version}`] : []),
    markerOf(key),
  ];
  return parts.join('\n\n');
}

function titleOf(p: Props, date: string, version: string | null): string {
  if (p.title.includes('{version}') && version === null)
    throw refused('the title uses {version}: give properties.version or a reference named version');
  return p.title.replaceAll('{date}', date).replaceAll('{version}', version ?? '');
}

async function openPull(client: GitHubClient, p: Props, head: string) {
  const found = await gh({ action: `list pull requests from ${head} into ${p.base}`, target: repoLabel(p) }, () =>
    client.request('GET /repos/{owner}/{repo}/pulls', {
      owner: p.owner,
      repo: p.repo,
      state: 'open',
      head: `${p.owner}:${head}`,
      base: p.base,
    }),
  );
  return found.data[0] ?? null;
}

async function update(client: GitHubClient, p: Props, number: number, change: { body?: string; state?: 'closed' }) {
  await gh({ action: `update pull request #${number}`, target: repoLabel(p) }, () =>
    client.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner: p.owner,
      repo: p.repo,
      pull_number: number,
      ...change,
    }),
  );
}

/** Opens it; null when GitHub says one from head into base exists already (a race to adopt). */
async function create(client: GitHubClient, p: Props, head: string, title: string, body: string) {
  try {
    const made = await client.request('POST /repos/{owner}/{repo}/pulls', {
      owner: p.owner,
      repo: p.repo,
      head,
      base: p.base,
      title,
      body,
    });
    return made.data;
  } catch (err) {
    const fault = githubError(err, { action: `open a pull request from ${head} into ${p.base}`, target: repoLabel(p) });
    if (fault.type === 'invalid_input' && /already exists/i.test(fault.message)) return null;
    throw fault;
  }
}

async function requestReviewers(client: GitHubClient, p: Props, number: number, author: string | undefined) {
  const reviewers = p.reviewers.filter((r) => r.toLowerCase() !== author?.toLowerCase());
  if (reviewers.length === 0) return;
  await gh({ action: `request reviewers of pull request #${number}`, target: repoLabel(p) }, () =>
    client.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers', {
      owner: p.owner,
      repo: p.repo,
      pull_number: number,
      reviewers,
    }),
  );
}

export const githubPullOpen: ResourceType<PullOpenProperties> = {
  type: 'github:pull:open',
  provider: 'github',
  description:
    'The deploy pull request (deploy branch into base) listing the merged pull requests and those left out, with reviewers requested; an open one from the same head into the same base is adopted.',
  regional: false,
  properties,

  plan: () => Promise.resolve({ action: 'create', diff: [], warnings: [] }),

  async apply(ctx: OperationContext, target: Target) {
    const p = target.properties;
    const head = propertyOrRef(target, 'head', 'string');
    const run = runOf(target);
    const version = versionOf(target);
    const body = descriptionOf(
      listOf(target, 'merged', MERGED),
      listOf(target, 'left_out', LEFT_OUT, []),
      version,
      run.key,
    );
    const title = titleOf(p, run.date, version);
    const client = await githubClient(ctx);
    const existing = await openPull(client, p, head);
    const made = existing ? null : await create(client, p, head, title, body);
    const pull = existing ?? made ?? (await openPull(client, p, head));
    if (!pull)
      throw new OperationError(
        'conflict',
        `a pull request from ${head} into ${p.base} was opened and closed meanwhile`,
      );
    const before = pull.body ?? '';
    const opened = made !== null || before.includes(markerOf(run.key));
    if (before !== body) await update(client, p, pull.number, { body });
    await requestReviewers(client, p, pull.number, pull.user?.login);
    return {
      outputs: { number: pull.number, url: pull.html_url, head_sha: pull.head.sha },
      undo: opened
        ? { number: pull.number, opened: true }
        : { number: pull.number, opened: false, previous_body: before },
    };
  },

  async verify(ctx, target, outputs) {
    const number = outputs?.['number'];
    if (typeof number !== 'number') return { drift: [] };
    const pull = await getPull(await githubClient(ctx), target.properties, number);
    // Merged is where the train takes it (its step 9): only one closed unmerged drifts.
    const closed = pull.state === 'closed' && !pull.merged;
    return { drift: closed ? [{ property: 'state', desired: 'open or merged', actual: 'closed' }] : [] };
  },

  async compensate(ctx, target, undo) {
    const number = undo?.['number'];
    if (typeof number !== 'number') return { outcome: 'nothing to undo' };
    const p = target.properties;
    const client = await githubClient(ctx);
    const pull = await getPull(client, p, number);
    if (pull.merged) return { outcome: `irreversible: pull request #${number} is merged` };
    if (undo?.['opened'] !== true) {
      const previous = text(undo?.['previous_body']);
      if ((pull.body ?? '') !== previous) await update(client, p, number, { body: previous });
      return { outcome: `compensated (pull request #${number} was adopted: left open, its description put back)` };
    }
    if (pull.state === 'open') await update(client, p, number, { state: 'closed' });
    return { outcome: `compensated (closed pull request #${number})` };
  },

  async destroy(ctx, target, outputs) {
    const number = outputs?.['number'];
    if (typeof number !== 'number') return;
    const client = await githubClient(ctx);
    const pull = await getPull(client, target.properties, number);
    if (pull.state === 'open') await update(client, target.properties, number, { state: 'closed' });
  },
};
