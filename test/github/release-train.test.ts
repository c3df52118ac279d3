/**
 * Issue 21, acceptance 1: the release train end to end over REST (POST /templates/release-train/apply)
 * on the real Temporal server with a real worker, against the GitHub surrogate's real git
 * repositories and the Slack surrogate. Staging and five pull requests (three approved, one with
 * changes requested, one draft): the train makes the deploy branch, retargets and merges exactly
 * the three, bumps the version in three files in one commit, opens the deploy PR listing them and
 * requests the reviewer, waits for its checks and approval, merges it, posts the release run's
 * link, waits for the run and the release, writes the release notes (PRs and the issues they
 * resolve) and posts them as a reply in the link's thread.
 */
import { finished, waitForRun } from '../api/helpers/runs';
import { eventually } from '../helpers/eventually';
import { historyText, leaks } from '../helpers/leaks';
import { BOT_TOKEN, seedTrain, useTrainBed } from './helpers/train-bed';

const train = useTrainBed();

it('runs the whole release as one saga, from approved pull requests to the notes in a Slack thread', async () => {
  const { bed, slack, api, client, reviewer } = train();
  const seeded = await seedTrain(train(), 'app');
  const { approved, leftAlone, issue, git } = seeded;
  bed.surrogate.scriptChecks(seeded.repo, { pull: seeded.deployNumber }, { names: ['build', 'test'], pendingPolls: 2 });

  const started = await seeded.apply({ checklist: ['Smoke-test the login'] });
  expect(started.status).toBe(202);

  // The deploy PR waits for its reviewer: approve it once it is open and the review is requested.
  const deployPull = await eventually(() => {
    const pull = seeded.deployPull();
    return pull?.requested_reviewers.some((a) => a.login === 'octocat')
      ? Promise.resolve(pull)
      : Promise.reject(new Error('the deploy pull request is not open with its reviewer requested yet'));
  });
  expect(deployPull.requested_reviewers.map((a) => a.login)).toEqual(['octocat']);
  bed.surrogate.addReview(deployPull, reviewer, 'APPROVED');

  const run = await waitForRun(api, started.body['status_url'] as string, finished, undefined, 120_000);
  expect(run.status).toBe('completed');
  const checked = run.nodes.find((n) => n.resource_id === 'checks')?.outputs?.['checks'] as { name: string }[];
  expect(checked.map((c) => c.name).sort()).toEqual(['build', 'test']);

  // Exactly the three approved merged into the deploy branch, as real merges; the others untouched.
  const branch = run.nodes.find((n) => n.resource_id === 'branch')?.outputs?.['branch'] as string;
  expect(branch).toMatch(/^deploy-\d{8}$/);
  for (const pull of approved) expect(pull.merged).toMatchObject({ base_sha: expect.any(String) });
  for (const pull of leftAlone) expect([pull.merged, pull.base]).toEqual([null, 'staging']);
  const merges = await git('log', '--merges', '--format=%s', branch);
  for (const pull of approved) expect(merges).toContain(`#${pull.number}`);
  // One commit bumps the three files; staging got it through the deploy PR.
  const bump = await git('log', '-1', '--format=%H', '--grep=Bump version to 1.4.3', 'staging');
  expect((await git('show', '--format=', '--name-only', bump)).split('\n').sort()).toEqual([
    'VERSION',
    'mix.exs',
    'package.json',
  ]);
  expect(await git('show', 'staging:VERSION')).toBe('1.4.3');
  // The deploy PR lists the merged ones.
  for (const pull of approved) expect(deployPull.body).toContain(`#${pull.number} Feature`);
  expect(deployPull.merged).not.toBeNull();
  // The release carries the notes; Slack has the link and, in its thread, the notes.
  const release = [...(bed.surrogate.state.repo(bed.user.login, 'app')?.releases.values() ?? [])][0];
  expect(release?.tag_name).toBe('v1.4.3');
  expect(release?.body).toContain(`#${issue.number}`);
  expect(release?.body).toContain('Smoke-test the login');
  const posted = slack.messages('releases');
  const link = posted.find((m) => m.thread_ts === undefined && m.text.includes('Releasing'));
  expect(link?.text).toMatch(/actions\/runs\/\d+/);
  const reply = posted.find((m) => m.thread_ts === link?.ts);
  expect(reply?.text).toContain(`#${approved[0]?.number}`);

  // Neither token is anywhere in the run's history.
  const history = await client.workflow.getHandle(run.workflow_id, run.run_id).fetchHistory();
  expect(leaks({ pat: bed.user.token, bot: BOT_TOKEN }, 'history', historyText(history))).toEqual([]);
}, 180_000);
