import { createGitHubClients } from '../../src/providers/github';
import { startDeployment } from '../../src/client/start-deployment';
import { githubActionTrigger } from '../../src/resources/github/action-trigger';
import { config, deploymentInput, node, result } from '../../support/deployments';
import { eventually } from '../helpers/eventually';
import { startTestWorker, testClient } from '../../support/temporal';
import type { Repository } from '../surrogates/github/state';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let repo: Repository;

beforeEach(async () => {
  bed = await startTestBed();
  repo = bed.surrogate.addRepo(bed.user, 'infra');
});
afterEach(async () => {
  await bed.finish();
});

const base = { owner: 'octo-user', repo: 'infra', workflow: 'deploy-pod.yml' };

describe('github:action:trigger', () => {
  it('plans a dispatch (a new run every apply) and says it cannot be undone', async () => {
    bed.surrogate.addWorkflow(repo, 'deploy-pod.yml');
    const target = bed.target(githubActionTrigger, base);
    await expect(githubActionTrigger.plan(await bed.ctx(), target)).resolves.toEqual({
      action: 'create',
      diff: [],
      warnings: ['dispatches workflow deploy-pod.yml of octo-user/infra on main: a new run every apply'],
    });
    expect(githubActionTrigger.irreversible?.(target.properties)).toBe(
      'a triggered workflow run cannot be undone (set cancel_on_rollback to cancel a run still in progress)',
    );
  });

  it('dispatches with inputs and ref, takes the run id from the dispatch answer and waits for completion with heartbeats', async () => {
    bed.surrogate.addWorkflow(repo, 'deploy-pod.yml', {
      inputs: { customer: {}, waf_enabled: {} },
      queued_ms: 30,
      running_ms: 500,
    });
    const target = bed.target(githubActionTrigger, {
      ...base,
      inputs: { customer: 'acme', waf_enabled: 'true' },
      wait_for_completion: true,
      poll_interval_ms: 20,
    });
    const applied = await githubActionTrigger.apply(await bed.ctx(), target);
    const run = [...bed.surrogate.state.runs.values()][0];
    expect(run?.inputs).toEqual({ customer: 'acme', waf_enabled: 'true' });
    expect(applied).toEqual({
      outputs: {
        run_id: run?.id,
        run_url: `https://github.com/octo-user/infra/actions/runs/${run?.id}`,
        status: 'completed',
        conclusion: 'success',
      },
      undo: { run_id: run?.id },
    });
    expect(bed.heartbeats).toContainEqual({ run_id: run?.id, status: 'in_progress' });
    expect(bed.surrogate.count('POST', /dispatches$/, 200)).toBe(1);
    await expect(githubActionTrigger.verify(await bed.ctx(), target, applied.outputs)).resolves.toEqual({ drift: [] });
  });

  it('sends every input as a string, as GitHub requires: booleans as "true"/"false", numbers as text (seed 003)', async () => {
    bed.surrogate.addWorkflow(repo, 'deploy-pod.yml', {
      inputs: { customer: {}, waf_enabled: {}, dry_run: {}, replicas: {}, ratio: {} },
    });
    const target = bed.target(githubActionTrigger, {
      ...base,
      inputs: { customer: 'acme', waf_enabled: true, dry_run: false, replicas: 3, ratio: 0.5 },
    });
    await githubActionTrigger.apply(await bed.ctx(), target);
    const received = [...bed.surrogate.state.runs.values()][0]?.inputs;
    expect(received).toEqual({ customer: 'acme', waf_enabled: 'true', dry_run: 'false', replicas: '3', ratio: '0.5' });
  });

  it('fails the node when the awaited run concludes failure, pointing at the run', async () => {
    bed.surrogate.addWorkflow(repo, 'deploy-pod.yml', { conclusion: 'failure', queued_ms: 0, running_ms: 10 });
    const target = bed.target(githubActionTrigger, { ...base, wait_for_completion: true, poll_interval_ms: 20 });
    await expect(githubActionTrigger.apply(await bed.ctx(), target)).rejects.toMatchObject({
      type: 'operation_failed',
      retryable: false,
      message: expect.stringMatching(
        /^workflow run \d+ concluded failure: see https:\/\/github\.com\/octo-user\/infra\/actions\/runs\/\d+$/,
      ),
    });
  });

  it('on a server without run details (400 for that field) dispatches again and finds the run by its correlation input', async () => {
    bed.surrogate.options.dispatchRunDetails = false;
    bed.surrogate.addWorkflow(repo, 'deploy-pod.yml', {
      inputs: { dispatch_id: {}, customer: {} },
      run_name: 'Deploy ${{ inputs.customer }} [${{ inputs.dispatch_id }}]',
    });
    bed.surrogate.addWorkflow(repo, 'other.yml');
    // Someone else's run of the same workflow, which must not be taken for ours.
    const other = bed.target(githubActionTrigger, { ...base, inputs: { customer: 'other', dispatch_id: 'x' } });
    await githubActionTrigger.apply(await bed.ctx(), other);
    const target = bed.target(
      githubActionTrigger,
      { ...base, inputs: { customer: 'acme' }, correlation_input: 'dispatch_id' },
      { refs: { $run_key: 'run-123' } },
    );
    const applied = await githubActionTrigger.apply(await bed.ctx(), target);
    const ours = [...bed.surrogate.state.runs.values()].find((r) => r.inputs['customer'] === 'acme');
    expect(ours?.inputs['dispatch_id']).toBe(`run-123-${target.node.node_id}`);
    expect(applied.outputs['run_id']).toBe(ours?.id);
    expect(bed.surrogate.count('POST', /dispatches$/, 400)).toBe(2);
    expect(bed.surrogate.count('POST', /dispatches$/, 204)).toBe(2);
  });

  it('a retried apply adopts the run an earlier attempt dispatched instead of dispatching twice', async () => {
    bed.surrogate.addWorkflow(repo, 'deploy-pod.yml', {
      inputs: { dispatch_id: {} },
      run_name: 'Deploy ${{ inputs.dispatch_id }}',
    });
    const target = bed.target(
      githubActionTrigger,
      { ...base, correlation_input: 'dispatch_id' },
      { refs: { $run_key: 'run-9' } },
    );
    const first = await githubActionTrigger.apply(await bed.ctx(), target);
    const retried = await githubActionTrigger.apply(await bed.ctx({ attempt: 2 }), target);
    expect(retried.outputs['run_id']).toBe(first.outputs['run_id']);
    expect(bed.surrogate.state.runs.size).toBe(1);
    expect(bed.logs).toContain(
      `adopted workflow run ${String(first.outputs['run_id'])} dispatched by an earlier attempt`,
    );
  });

  it("a retried apply adopts the run id its earlier attempt heartbeated: no second dispatch, and it reports that run's conclusion", async () => {
    // Running 5 s: the first attempt is surely still polling when it is aborted, however slow the machine (300 ms once
    // was not, in CI); the retry then waits out the rest.
    bed.surrogate.addWorkflow(repo, 'deploy-pod.yml', { conclusion: 'failure', queued_ms: 30, running_ms: 5_000 });
    const target = bed.target(githubActionTrigger, {
      ...base,
      wait_for_completion: true,
      require_success: false,
      poll_interval_ms: 20,
    });
    // The first attempt dies while it waits (as when node_timeout fires); Temporal hands the retry its last heartbeat.
    const controller = new AbortController();
    const first = githubActionTrigger.apply(await bed.ctx({ signal: controller.signal }), target);
    await eventually(() => Promise.resolve(expect(bed.heartbeats.length).toBeGreaterThan(1)), 5_000, 5);
    controller.abort();
    await expect(first).rejects.toThrow(/abort/i);
    const runId = [...bed.surrogate.state.runs.keys()][0];
    expect(bed.heartbeats[0]).toEqual({ run_id: runId }); // heartbeated as soon as the dispatch answered, before any poll
    const lastHeartbeat = bed.heartbeats.at(-1);
    expect(lastHeartbeat).toMatchObject({ run_id: runId });

    const retried = await githubActionTrigger.apply(await bed.ctx({ attempt: 2, lastHeartbeat }), target);
    expect(retried).toEqual({
      outputs: {
        run_id: runId,
        run_url: `https://github.com/octo-user/infra/actions/runs/${runId}`,
        status: 'completed',
        conclusion: 'failure',
      },
      undo: { run_id: runId },
    });
    expect(bed.surrogate.count('POST', /dispatches$/)).toBe(1);
    expect(bed.surrogate.state.runs.size).toBe(1);
    expect(bed.logs).toContain(
      `adopted workflow run ${String(runId)} dispatched by an earlier attempt (from its last heartbeat)`,
    );
  });

  it('a last heartbeat without a numeric run_id is not taken for a run: the retry dispatches', async () => {
    bed.surrogate.addWorkflow(repo, 'deploy-pod.yml');
    const applied = await githubActionTrigger.apply(
      await bed.ctx({ attempt: 2, lastHeartbeat: { finding_run: 'x', run_id: '12' } }),
      bed.target(githubActionTrigger, base),
    );
    expect(applied.outputs['run_id']).toBe([...bed.surrogate.state.runs.keys()][0]);
    expect(bed.surrogate.count('POST', /dispatches$/, 200)).toBe(1);
  });

  it('without run details or a correlation input, reports the Actions page and refuses to wait', async () => {
    bed.surrogate.options.dispatchRunDetails = false;
    bed.surrogate.addWorkflow(repo, 'deploy-pod.yml');
    const applied = await githubActionTrigger.apply(await bed.ctx(), bed.target(githubActionTrigger, base));
    expect(applied.outputs).toEqual({
      run_id: null,
      run_url: 'https://github.com/octo-user/infra/actions',
      status: 'dispatched',
      conclusion: null,
    });
    await expect(
      githubActionTrigger.apply(
        await bed.ctx(),
        bed.target(githubActionTrigger, { ...base, wait_for_completion: true }),
      ),
    ).rejects.toMatchObject({
      type: 'invalid_input',
      message:
        "cannot wait for workflow deploy-pod.yml of octo-user/infra: this GitHub server does not return run details; set correlation_input to a workflow input shown in the workflow's run-name",
    });
  });

  it('422 for a ref that does not exist, with GitHub message', async () => {
    bed.surrogate.addWorkflow(repo, 'deploy-pod.yml');
    await expect(
      githubActionTrigger.apply(await bed.ctx(), bed.target(githubActionTrigger, { ...base, ref: 'nope' })),
    ).rejects.toMatchObject({
      type: 'invalid_input',
      message:
        'GitHub rejected dispatch on nope on workflow deploy-pod.yml of octo-user/infra (422): No ref found for: nope',
    });
  });

  it('compensation is irreversible by default; with cancel_on_rollback it cancels a run in progress, and says so when it already completed', async () => {
    bed.surrogate.addWorkflow(repo, 'deploy-pod.yml', { queued_ms: 10_000 });
    const plain = bed.target(githubActionTrigger, base);
    const first = await githubActionTrigger.apply(await bed.ctx(), plain);
    await expect(githubActionTrigger.compensate(await bed.ctx(), plain, first.undo)).resolves.toEqual({
      outcome: 'irreversible: a triggered workflow run cannot be undone',
    });

    const cancellable = bed.target(githubActionTrigger, { ...base, cancel_on_rollback: true });
    expect(githubActionTrigger.irreversible?.(cancellable.properties)).toBeNull();
    const second = await githubActionTrigger.apply(await bed.ctx(), cancellable);
    await expect(githubActionTrigger.compensate(await bed.ctx(), cancellable, second.undo)).resolves.toEqual({
      outcome: 'compensated',
    });
    const runId = Number(second.outputs['run_id']);
    expect(bed.surrogate.state.runs.get(runId)?.cancelled_ms).not.toBeNull();
    await expect(githubActionTrigger.compensate(await bed.ctx(), cancellable, second.undo)).resolves.toEqual({
      outcome: `irreversible: workflow run ${runId} had already completed; a triggered workflow run cannot be undone`,
    });
    await expect(githubActionTrigger.verify(await bed.ctx(), cancellable, second.outputs)).resolves.toEqual({
      drift: [{ property: 'conclusion', desired: 'success', actual: 'cancelled' }],
    });
  });

  it('stops waiting when the activity is cancelled', async () => {
    bed.surrogate.addWorkflow(repo, 'deploy-pod.yml', { queued_ms: 60_000 });
    const controller = new AbortController();
    const applying = githubActionTrigger.apply(
      await bed.ctx({ signal: controller.signal }),
      bed.target(githubActionTrigger, { ...base, wait_for_completion: true, poll_interval_ms: 50 }),
    );
    setTimeout(() => controller.abort(), 200);
    await expect(applying).rejects.toThrow(/abort/i);
  });
});

describe('github:action:trigger on real Temporal', () => {
  it('a first attempt killed by node_timeout while it waits is retried without a second dispatch: one run, completed', async () => {
    // The run takes 4 s; each attempt may take 3 s. Without adoption the retry's new run could not finish in time either.
    bed.surrogate.addWorkflow(repo, 'deploy-pod.yml', { queued_ms: 200, running_ms: 3_800 });
    const github = createGitHubClients({ baseUrl: bed.surrogate.url, writeIntervalMs: 0, retryBaseMs: 20 });
    const worker = await startTestWorker({ deps: { clients: { github }, secrets: bed.keyring } });
    const temporal = await testClient();
    try {
      const cfg = {
        ...config(
          {
            deploy: {
              type: 'github:action:trigger',
              properties: { ...base, wait_for_completion: true, poll_interval_ms: 100 },
            },
          },
          {
            node_timeout: '3s',
            heartbeat_timeout: '30s',
            decision_timeout: '1s', // a failed node ends the run instead of waiting for a decision
            retry: { max_attempts: 2, initial_interval: '100ms', max_interval: '200ms', backoff: 2 },
          },
        ),
        targets: [{ provider: 'github' }],
      };
      const input = {
        ...deploymentInput(cfg),
        credentials: { github: { encrypted_pat: await bed.seal(bed.user.token) } },
      };
      const { workflowId, runId } = await startDeployment(temporal.client, { input, taskQueue: worker.taskQueue });
      const final = await result(temporal.client.workflow.getHandle(workflowId, runId));

      const deployed = node(final, 'deploy');
      expect({ status: final.status, error: deployed.error }).toEqual({ status: 'completed', error: null });
      expect(deployed.attempts).toBe(2); // the first attempt really was killed
      const runs = [...bed.surrogate.state.runs.values()];
      expect(runs).toHaveLength(1);
      expect(bed.surrogate.count('POST', /dispatches$/)).toBe(1);
      expect(deployed.outputs).toMatchObject({ run_id: runs[0]?.id, status: 'completed', conclusion: 'success' });
    } finally {
      await worker.stop();
      await temporal.close();
    }
  }, 60_000);
});
