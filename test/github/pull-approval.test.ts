/**
 * github:pull:approval at activity level, as the engine drives it: apply, then poll with the state
 * each pending answer gave (with `$override` when an operator's continue names the node), against
 * the surrogate's reviews of a real pull request.
 */
import { githubPullApproval } from '../../src/resources/github/pull-approval';
import { VERSION_FILES } from '../surrogates/github/release-repo';
import type { Account } from '../surrogates/github/state';
import type { PullRequest } from '../surrogates/github/state-pulls';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let pull: PullRequest;
let octocat: Account;
let hubot: Account;

beforeEach(async () => {
  bed = await startTestBed();
  const repo = bed.surrogate.addRepo(bed.user, 'app');
  await bed.surrogate.seedRepository(repo, VERSION_FILES);
  octocat = bed.surrogate.addAccount('octocat');
  hubot = bed.surrogate.addAccount('hubot');
  pull = await bed.surrogate.addPullRequest(repo, {
    author: bed.user,
    head: 'deploy-20261202',
    base: 'staging',
    files: { VERSION: '1.4.3\n' },
  });
});
afterEach(() => bed.finish());

const where = { owner: 'octo-user', repo: 'app' };
const target = () => bed.target(githubPullApproval, where, { refs: { number: pull.number } });

describe('github:pull:approval', () => {
  it('is pending, overridable, until a reviewer approves; a later change request blocks again until it is approved', async () => {
    const ctx = await bed.ctx();
    const first = await githubPullApproval.apply(ctx, target());
    expect(first.pending).toEqual({
      state: { number: pull.number },
      waiting_on: `an approving review of pull request #${pull.number} in octo-user/app, and no changes requested`,
      overridable: 'approves the deploy pull request by hand',
      interval_ms: 60_000,
      max_interval_ms: 600_000,
      timeout_ms: 86_400_000,
    });
    bed.surrogate.addReview(pull, octocat, 'COMMENTED', 'looks fine so far');
    bed.surrogate.addReview(pull, hubot, 'CHANGES_REQUESTED', 'the changelog is missing');
    bed.surrogate.addReview(pull, octocat, 'APPROVED');
    const state = first.pending?.state ?? {};
    expect((await githubPullApproval.poll!(ctx, target(), state)).pending?.state).toEqual(state);

    bed.surrogate.addReview(pull, hubot, 'COMMENTED', 'added, have a look');
    expect((await githubPullApproval.poll!(ctx, target(), state)).pending).toBeDefined();
    bed.surrogate.addReview(pull, hubot, 'APPROVED');
    await expect(githubPullApproval.poll!(ctx, target(), state)).resolves.toEqual({
      outputs: { approved_by: ['octocat', 'hubot'] },
      undo: null,
    });
  });

  it('completes on an operator’s continue with approved_by operator, reading no review', async () => {
    const ctx = await bed.ctx();
    const first = await githubPullApproval.apply(ctx, target());
    await expect(
      githubPullApproval.poll!(ctx, target(), { ...first.pending?.state, $override: true }),
    ).resolves.toEqual({ outputs: { approved_by: 'operator' }, undo: null });
    expect(bed.logs).toContain(
      `pull request #${pull.number}: an operator's continue approves the deploy pull request by hand`,
    );
  });

  it('takes the number and its timing from properties too, and is done at once on an approved pull request', async () => {
    bed.surrogate.addReview(pull, octocat, 'APPROVED');
    const ctx = await bed.ctx();
    const node = bed.target(githubPullApproval, { ...where, number: pull.number, timeout: '1h' });
    await expect(githubPullApproval.apply(ctx, node)).resolves.toEqual({
      outputs: { approved_by: ['octocat'] },
      undo: null,
    });
    expect(node.properties.timeout).toBe(3_600_000);
  });
});
