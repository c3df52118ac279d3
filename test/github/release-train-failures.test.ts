/**
 * Issue 21, acceptance 2–4: the release train's failures over REST on real Temporal, the GitHub
 * surrogate's real repositories and the Slack surrogate. A conflicting approved pull request is left
 * out and reported (with on_conflict halt, nothing is merged and the run rolls back); a failure
 * before the first merge rolls back in order (pull requests retargeted back, then the deploy branch
 * deleted: nothing left); a failure after the point of no return (checks fail) halts with a Slack
 * alert and no compensation, and an operator's retry after the fix completes the train.
 */
import { finished, waitForRun } from '../api/helpers/runs';
import { eventually } from '../helpers/eventually';
import { seedTrain, useTrainBed } from './helpers/train-bed';

const train = useTrainBed();

const statusOf = async (path: string) =>
  (await train().api.get(path)).body as {
    status: string;
    nodes: {
      resource_id: string;
      status: string;
      compensation: string | null;
      outputs: Record<string, unknown> | null;
    }[];
  };
const nodeOf = (run: Awaited<ReturnType<typeof statusOf>>, id: string) => run.nodes.find((n) => n.resource_id === id);

it('with on_conflict halt merges nothing and rolls back; with leave_out leaves the conflicting pull request out and reports it', async () => {
  const { bed, api, reviewer } = train();
  const seeded = await seedTrain(train(), 'conflicts');
  const gh = bed.surrogate;
  // An approved PR adding a file that staging has added since with other content: it conflicts.
  const conflicting = await gh.addPullRequest(seeded.repo, {
    author: gh.state.accounts.get('hubot') ?? gh.addAccount('hubot'),
    head: 'feature-version',
    base: 'staging',
    title: 'Shared notes',
    files: { 'src/shared.txt': 'from the pull request\n' },
  });
  gh.addReview(conflicting, reviewer, 'APPROVED');
  await gh.commitFiles(seeded.repo, 'staging', { 'src/shared.txt': 'from staging\n' }, { message: 'staging moved on' });

  const halted = await seeded.apply({ on_conflict: 'halt' });
  const stopped = await waitForRun(api, halted.body['status_url'] as string, finished, undefined, 60_000);
  expect(stopped.status).toBe('rolled_back');
  expect(stopped.nodes.find((n) => n.resource_id === 'prs')?.status).toBe('failed');
  expect(await seeded.git('for-each-ref', 'refs/heads/deploy-*')).toBe('');
  for (const pull of [...seeded.approved, conflicting])
    expect([pull.merged, pull.base, pull.state]).toEqual([null, 'staging', 'open']);

  gh.scriptChecks(seeded.repo, { pull: conflicting.number + 1 }); // the deploy PR's: green
  const started = await seeded.apply({ on_conflict: 'leave_out' });
  const deployPull = await eventually(() => {
    const pull = [...(gh.state.repo(bed.user.login, 'conflicts')?.pulls.values() ?? [])].find(
      (p) => p.head.startsWith('deploy-') && p.state === 'open',
    );
    return pull ? Promise.resolve(pull) : Promise.reject(new Error('the deploy pull request is not open yet'));
  });
  gh.addReview(deployPull, reviewer, 'APPROVED');
  const done = await waitForRun(api, started.body['status_url'] as string, finished, undefined, 120_000);
  expect(done.status).toBe('completed');
  const gathered = done.nodes.find((n) => n.resource_id === 'prs')?.outputs as {
    left_out: { number: number; reason: string }[];
  };
  expect(gathered.left_out).toEqual([
    expect.objectContaining({ number: conflicting.number, reason: expect.stringContaining('conflicts') }),
  ]);
  expect([conflicting.merged, conflicting.base]).toEqual([null, 'staging']);
  expect(deployPull.body).toContain(`#${conflicting.number} Shared notes`);
  for (const pull of seeded.approved) expect(pull.merged).not.toBeNull();
}, 180_000);

it('rolls back in order when the first merge is refused: bases restored, then the deploy branch deleted, nothing left', async () => {
  const seeded = await seedTrain(train(), 'refused');
  train().bed.surrogate.inject({ kind: 'status', status: 403, method: 'PUT', path: /\/refused\/pulls\/\d+\/merge$/ });
  const started = await seeded.apply();
  const run = await waitForRun(train().api, started.body['status_url'] as string, finished, undefined, 60_000);
  expect(run.status).toBe('rolled_back');
  expect(nodeOf(await statusOf(started.body['status_url'] as string), 'merge')?.status).toBe('failed');
  for (const pull of seeded.approved) expect([pull.merged, pull.base, pull.state]).toEqual([null, 'staging', 'open']);
  expect(await seeded.git('for-each-ref', 'refs/heads/deploy-*')).toBe('');
  // The compensation order: the pull requests go back before their branch is deleted (which would close them).
  const logs = (await train().api.get(`/deploy/logs/${started.body['deployment_id'] as string}`)).body as {
    entries: { resource: string | null; message: string }[];
  };
  const compensated = logs.entries.filter((e) => e.message === 'compensating').map((e) => e.resource);
  expect(compensated).toEqual(['prs', 'branch']);
}, 120_000);

it('halts with a Slack alert when the checks fail after the first merge, compensates nothing, and completes after an operator retry', async () => {
  const { bed, slack, api, reviewer } = train();
  const seeded = await seedTrain(train(), 'red-checks');
  const checks = bed.surrogate.scriptChecks(
    seeded.repo,
    { pull: seeded.deployNumber },
    { names: ['build'], conclusion: 'failure' },
  );
  const started = await seeded.apply();
  const path = started.body['status_url'] as string;
  const halted = await waitForRun(api, path, (r) => r.status === 'awaiting_decision', undefined, 60_000);
  expect(halted.nodes.find((n) => n.resource_id === 'checks')?.status).toBe('failed');
  expect(halted.nodes.filter((n) => n.status === 'compensated')).toEqual([]);
  for (const pull of seeded.approved) expect(pull.merged).not.toBeNull();
  await eventually(() =>
    Promise.resolve(
      expect(
        slack.messages('releases').some((m) => m.text.includes('checks failed past the point of no return (merge)')),
      ).toBe(true),
    ),
  );

  checks.update({ conclusion: 'success' });
  const deployPull = seeded.deployPull();
  if (!deployPull) throw new Error('no deploy pull request');
  bed.surrogate.addReview(deployPull, reviewer, 'APPROVED');
  const retried = await api.post('/deploy/retry', {
    deployment_id: started.body['deployment_id'],
    node_ids: ['checks'],
  });
  expect(retried.status).toBe(200);
  const done = await waitForRun(api, path, finished, undefined, 120_000);
  expect(done.status).toBe('completed');
  expect(await seeded.git('show', 'staging:VERSION')).toBe('1.4.3');
}, 180_000);
