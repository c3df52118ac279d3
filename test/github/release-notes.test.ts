/**
 * github:release:notes at activity level, as the engine drives it: pending until the release the
 * merge's push run creates exists (the run read to completion by github:actions:run), then its
 * description holds the notes above the workflow's own text, once; compensation restores it.
 * And the closing keywords it reads from pull request descriptions.
 */
import { githubActionsRun } from '../../src/resources/github/actions-run';
import { closedIssues } from '../../src/resources/github/closing-keywords';
import { githubPullMerge } from '../../src/resources/github/pull-merge';
import type { PullSummary } from '../../src/resources/github/pull-summary';
import { githubReleaseNotes } from '../../src/resources/github/release-notes';
import type { OperationContext } from '../../src/resources/resource-type';
import { VERSION_FILES } from '../surrogates/github/release-repo';
import type { Repository } from '../surrogates/github/state';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let repo: Repository;
let ctx: OperationContext;

beforeEach(async () => {
  bed = await startTestBed();
  repo = bed.surrogate.addRepo(bed.user, 'app');
  await bed.surrogate.seedRepository(repo, VERSION_FILES);
  ctx = await bed.ctx();
});
afterEach(() => bed.finish());

const where = { owner: 'octo-user', repo: 'app' };

const summary = (number: number, title: string, body: string): PullSummary => ({
  number,
  title,
  author: 'hubot',
  url: `https://github.com/octo-user/app/pull/${number}`,
  head_sha: 'a'.repeat(40),
  body,
});

const merged = [
  summary(3, 'Faster builds & <caching>', 'Fixes #11, and resolves: octo-org/infra#4.\nCloses octo-user/app#11'),
  summary(5, 'Login page', 'Refs #12 (not closed) — FIXED #13'),
];

/** Merges a deploy pull request bumping VERSION to 1.4.3 into staging; the push run's id. */
async function mergeDeployPull(): Promise<number> {
  const pull = await bed.surrogate.addPullRequest(repo, {
    author: bed.surrogate.addAccount('hubot'),
    head: 'deploy-20261202',
    base: 'staging',
    files: { VERSION: '1.4.3\n' },
  });
  const done = await githubPullMerge.apply(ctx, bed.target(githubPullMerge, { ...where, number: pull.number }));
  return done.outputs['run_id'] as number;
}

describe('github:release:notes', () => {
  it('waits for the release, writes the notes above its own text once, outputs them for Slack, and restores it on compensation', async () => {
    bed.surrogate.addWorkflow(repo, 'release.yml', {
      on_push: { branches: ['staging'], pending_polls: 1, release: { body: '**Full Changelog**: v1.4.2...v1.4.3' } },
    });
    const runId = await mergeDeployPull();
    const target = bed.target(
      githubReleaseNotes,
      { ...where, checklist: ['Check the dashboards', 'Tell support'] },
      { refs: { version: '1.4.3', merged } },
    );
    const first = await githubReleaseNotes.apply(ctx, target);
    expect(first.pending).toEqual({
      state: { tag: 'v1.4.3' },
      waiting_on: 'the release v1.4.3 of octo-user/app',
      interval_ms: 30_000,
      max_interval_ms: 300_000,
      timeout_ms: 7_200_000,
    });

    await githubActionsRun.apply(ctx, bed.target(githubActionsRun, { ...where, run_id: runId }));
    const done = await githubReleaseNotes.poll!(ctx, target, first.pending?.state ?? {});
    const release = bed.surrogate.state.repos.get('octo-user/app')?.releases[0];
    const url = `https://github.com/octo-user/app/releases/tag/v1.4.3`;
    expect(release?.body).toBe(
      [
        '<!-- release-train:notes -->',
        '## Pull requests',
        '- #3 Faster builds & <caching> by @hubot (https://github.com/octo-user/app/pull/3)',
        '- #5 Login page by @hubot (https://github.com/octo-user/app/pull/5)',
        '',
        '## Resolved issues',
        '- #11',
        '- octo-org/infra#4',
        '- #13',
        '',
        '## Checklist',
        '- [ ] Check the dashboards',
        '- [ ] Tell support',
        '<!-- /release-train:notes -->',
        '',
        '**Full Changelog**: v1.4.2...v1.4.3',
        '',
      ].join('\n'),
    );
    expect(done).toEqual({
      outputs: {
        release_id: release?.id,
        url,
        tag: 'v1.4.3',
        notes: [
          `*Release <${url}|v1.4.3>*`,
          '*Pull requests*',
          '• <https://github.com/octo-user/app/pull/3|#3> Faster builds &amp; &lt;caching&gt; by hubot',
          '• <https://github.com/octo-user/app/pull/5|#5> Login page by hubot',
          '*Resolved issues*: #11, octo-org/infra#4, #13',
          '*Checklist*',
          '• Check the dashboards',
          '• Tell support',
        ].join('\n'),
      },
      undo: { release_id: release?.id, body: '**Full Changelog**: v1.4.2...v1.4.3' },
    });

    const edited = release?.body;
    const again = await githubReleaseNotes.apply(ctx, target);
    expect(again.outputs).toEqual(done.outputs);
    expect(release?.body).toBe(edited);
    expect(bed.logs).toContain('release v1.4.3 has these notes already: not edited');
    await expect(githubReleaseNotes.verify(ctx, target, done.outputs)).resolves.toEqual({ drift: [] });

    await expect(githubReleaseNotes.compensate(ctx, target, again.undo)).resolves.toEqual({
      outcome: 'compensated (restored the description of release v1.4.3)',
    });
    expect(bed.surrogate.state.repos.get('octo-user/app')?.releases[0]?.body).toBe(
      '**Full Changelog**: v1.4.2...v1.4.3',
    );
    await expect(githubReleaseNotes.verify(ctx, target, done.outputs)).resolves.toEqual({
      drift: [{ property: 'notes', desired: true, actual: false }],
    });
  });

  it('asks for a tag or a version, and for the merged pull requests', async () => {
    const node = bed.target(githubReleaseNotes, where, { resource_id: 'notes', refs: { merged } });
    await expect(githubReleaseNotes.apply(ctx, node)).rejects.toMatchObject({
      type: 'invalid_input',
      message: 'notes: give properties.tag or references.tag, or a version (property or reference)',
    });
    const noMerged = bed.target(githubReleaseNotes, { ...where, tag: 'v1' }, { resource_id: 'notes' });
    await expect(githubReleaseNotes.apply(ctx, noMerged)).rejects.toMatchObject({ type: 'invalid_input' });
  });
});

describe('closing keywords', () => {
  it('reads GitHub’s keywords in any case, this repository’s issues as #N and others’ as owner/repo#N, each once', () => {
    expect(
      closedIssues(
        ['close #1, closes #2, Closed: #3', 'fix #4 FIXES #5 fixed #1', 'resolve a/b#6 resolves #7 Resolved O/App#8'],
        { owner: 'o', repo: 'app' },
      ),
    ).toEqual(['#1', '#2', '#3', '#4', '#5', 'a/b#6', '#7', '#8']);
    expect(
      closedIssues(['see #1, prefixes #2, fixes#3, closes the #4', 'unfixes #5'], { owner: 'o', repo: 'r' }),
    ).toEqual([]);
  });
});
