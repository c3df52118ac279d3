/**
 * `github:release:notes`: the release notes of a train (seed 004 step 10). Waits, on durable
 * timers (wait-settings.ts) holding no worker, until the release of `tag` exists (the release
 * workflow the merge started creates it), then writes into its description the merged pull
 * requests (number, title, author, link), the issues they resolve (closing keywords in their
 * descriptions, closing-keywords.ts) and the checklist. The notes are a section between two HTML
 * comment markers at the top of the description; whatever else it holds (the workflow's own
 * changelog) stays below. Outputs the same notes as Slack text, for a thread reply.
 *
 * Idempotent: a description that already holds the same section is not edited again, and a
 * retry replaces the section instead of adding one. Compensation restores the description as it
 * was before (on a retry that found its notes already there: the description without them).
 * `tag` may be given, or come from the reference `tag`, or be `tag_prefix` + the version (the
 * property or the reference `version`, github:version:bump's).
 */
import { z } from 'zod';
import type { GitHubClient } from '../../providers/github';
import { OperationError } from '../../providers/operation-error';
import type { ApplyResult, NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { closedIssues } from './closing-keywords';
import { gh, ghOrNull } from './errors';
import { repoLabel, repoProperties } from './pull-requests';
import { pullSummarySchema, type PullSummary } from './pull-summary';
import { githubClient } from './session';
import { pendingAnswer, timingProperties } from './wait-settings';

const MERGED = z.array(pullSummarySchema).max(500);

const properties = z
  .object({
    ...repoProperties,
    tag: z.string().min(1).max(255).optional().meta({ description: 'The release’s tag; else the reference `tag`' }),
    version: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'Without a tag: the tag is tag_prefix + this (or the reference `version`)' }),
    tag_prefix: z.string().max(50).default('v'),
    merged: MERGED.optional().meta({
      description: 'The merged pull requests; usually the reference `merged` (github:pulls:merge’s)',
    }),
    checklist: z.array(z.string().min(1).max(500)).max(50).default([]).meta({ description: 'Post-release checks' }),
    ...timingProperties({ interval: 30_000, max_interval: 300_000, timeout: 7_200_000 }),
  })
  .strict();

export type ReleaseNotesProperties = z.output<typeof properties>;
type Target = NodeTarget<ReleaseNotesProperties>;

const START = '<!-- release-train:notes -->';
const END = '<!-- /release-train:notes -->';

const invalid = (target: Target, message: string) =>
  new OperationError('invalid_input', `${target.node.resource_id}: ${message}`, { retryable: false });

function tagOf(target: Target): string {
  const p = target.properties;
  const tag = p.tag ?? target.refs['tag'];
  if (typeof tag === 'string' && tag !== '') return tag;
  const version = p.version ?? target.refs['version'];
  if (typeof version === 'string' && version !== '') return `${p.tag_prefix}${version}`;
  throw invalid(target, 'give properties.tag or references.tag, or a version (property or reference)');
}

function mergedOf(target: Target): PullSummary[] {
  const parsed = MERGED.safeParse(target.properties.merged ?? target.refs['merged']);
  if (parsed.success) return parsed.data;
  throw invalid(
    target,
    `give properties.merged or references.merged (pull request summaries): ${parsed.error.issues[0]?.message ?? ''}`,
  );
}

/** The notes section as Markdown (the release's description). */
function markdown(merged: readonly PullSummary[], issues: readonly string[], checklist: readonly string[]): string {
  const pulls = merged.map((m) => `- #${m.number} ${m.title} by @${m.author} (${m.url})`);
  return [
    '## Pull requests',
    ...(pulls.length > 0 ? pulls : ['- none']),
    ...(issues.length > 0 ? ['', '## Resolved issues', ...issues.map((i) => `- ${i}`)] : []),
    ...(checklist.length > 0 ? ['', '## Checklist', ...checklist.map((c) => `- [ ] ${c}`)] : []),
  ].join('\n');
}

const slackEscape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The same notes as Slack mrkdwn, for a thread reply. */
function slackText(
  release: { tag: string; url: string },
  merged: readonly PullSummary[],
  issues: readonly string[],
  checklist: readonly string[],
): string {
  const pulls = merged.map((m) => `• <${m.url}|#${m.number}> ${slackEscape(m.title)} by ${slackEscape(m.author)}`);
  return [
    `*Release <${release.url}|${slackEscape(release.tag)}>*`,
    '*Pull requests*',
    ...(pulls.length > 0 ? pulls : ['• none']),
    ...(issues.length > 0 ? [`*Resolved issues*: ${issues.join(', ')}`] : []),
    ...(checklist.length > 0 ? ['*Checklist*', ...checklist.map((c) => `• ${slackEscape(c)}`)] : []),
  ].join('\n');
}

/** The description without a notes section. */
function withoutNotes(body: string): string {
  const start = body.indexOf(START);
  const end = body.indexOf(END);
  return (start >= 0 && end > start ? body.slice(0, start) + body.slice(end + END.length) : body).trim();
}

/** The description with `section` as its notes, at the top; the rest kept below. */
function withNotes(body: string, section: string): string {
  const rest = withoutNotes(body);
  return `${START}\n${section}\n${END}\n${rest === '' ? '' : `\n${rest}\n`}`;
}

async function editBody(client: GitHubClient, p: ReleaseNotesProperties, releaseId: number, body: string) {
  await gh({ action: `edit the description of release ${releaseId}`, target: repoLabel(p) }, () =>
    client.request('PATCH /repos/{owner}/{repo}/releases/{release_id}', {
      owner: p.owner,
      repo: p.repo,
      release_id: releaseId,
      body,
    }),
  );
}

async function look(ctx: OperationContext, target: Target, tag: string): Promise<ApplyResult> {
  const p = target.properties;
  const merged = mergedOf(target);
  const client = await githubClient(ctx);
  const release = await ghOrNull({ action: `read the release ${tag}`, target: repoLabel(p) }, () =>
    client.request('GET /repos/{owner}/{repo}/releases/tags/{tag}', { owner: p.owner, repo: p.repo, tag }),
  );
  if (!release) return pendingAnswer(p, { state: { tag }, waiting_on: `the release ${tag} of ${p.owner}/${p.repo}` });
  const { id, html_url: url } = release.data;
  const issues = closedIssues(
    merged.map((m) => m.body),
    p,
  );
  const previous = release.data.body ?? '';
  const body = withNotes(previous, markdown(merged, issues, p.checklist));
  if (body !== previous) await editBody(client, p, id, body);
  else ctx.log(`release ${tag} has these notes already: not edited`);
  return {
    outputs: { release_id: id, url, tag, notes: slackText({ tag, url }, merged, issues, p.checklist) },
    undo: { release_id: id, body: body !== previous ? previous : withoutNotes(previous) },
  };
}

export const githubReleaseNotes: ResourceType<ReleaseNotesProperties> = {
  type: 'github:release:notes',
  provider: 'github',
  description:
    'Waits (durable timers) for a release, then writes the merged pull requests, the issues they resolve and a checklist into its description.',
  regional: false,
  properties,
  plan: () => Promise.resolve({ action: 'update', diff: [], warnings: [] }),
  apply: async (ctx, target) => look(ctx, target, tagOf(target)),
  poll: (ctx, target, state) => look(ctx, target, String(state['tag'])),
  async verify(ctx, target, outputs) {
    const tag = outputs?.['tag'];
    if (typeof tag !== 'string') return { drift: [] };
    const p = target.properties;
    const client = await githubClient(ctx);
    const release = await ghOrNull({ action: `read the release ${tag}`, target: repoLabel(p) }, () =>
      client.request('GET /repos/{owner}/{repo}/releases/tags/{tag}', { owner: p.owner, repo: p.repo, tag }),
    );
    if (!release) return { drift: [{ property: 'exists', desired: true, actual: false }] };
    const hasNotes = (release.data.body ?? '').includes(START);
    return { drift: hasNotes ? [] : [{ property: 'notes', desired: true, actual: false }] };
  },
  async compensate(ctx, target, undo) {
    const releaseId = undo?.['release_id'];
    const body = undo?.['body'];
    if (typeof releaseId !== 'number' || typeof body !== 'string') return { outcome: 'nothing to undo' };
    const p = target.properties;
    const client = await githubClient(ctx);
    const release = await ghOrNull({ action: `read release ${releaseId}`, target: repoLabel(p) }, () =>
      client.request('GET /repos/{owner}/{repo}/releases/{release_id}', {
        owner: p.owner,
        repo: p.repo,
        release_id: releaseId,
      }),
    );
    if (!release) return { outcome: `compensated (release ${releaseId} is gone)` };
    if ((release.data.body ?? '') !== body) await editBody(client, p, releaseId, body);
    return { outcome: `compensated (restored the description of release ${release.data.tag_name})` };
  },
  destroy: () => Promise.resolve(),
};
