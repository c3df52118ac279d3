/**
 * Seed 003's error names on a failed node: a run on real Temporal with a real worker, against the
 * GitHub surrogate (real answers where it gives them: 404, 422; injected faults for 401, 403,
 * 409, 429 and 503), records next to each node's error_type its error_name, and for the rate
 * limit the remaining calls and the reset GitHub announced; the status route documents them, and
 * a retry that succeeds clears them with the error.
 */
import { startDeployment } from '../../src/client/start-deployment';
import { createGitHubClients } from '../../src/providers/github';
import { abortUpdate, retryUpdate } from '../../src/workflows/messages';
import { config, deploymentInput, node, result, waitFor } from '../../support/deployments';
import { startTestWorker, testClient, uniqueId, type TestWorker } from '../../support/temporal';
import { testApi } from '../api/helpers/app';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let worker: TestWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;

beforeAll(async () => {
  bed = await startTestBed();
  // No retries inside a call: each fault reaches the node at once.
  const github = createGitHubClients({ baseUrl: bed.surrogate.url, writeIntervalMs: 0, retries: 0 });
  worker = await startTestWorker({ deps: { clients: { github }, secrets: bed.keyring } });
  temporal = await testClient();
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await bed?.finish();
});

const trigger = (repo: string, properties: Record<string, unknown> = {}) => ({
  type: 'github:action:trigger',
  properties: { owner: bed.user.login, repo, workflow: 'deploy-pod.yml', ...properties },
});

it("records seed 003's name of each failure beside its error_type, and a rate limit's remaining calls and reset", async () => {
  const infra = bed.surrogate.addRepo(bed.user, 'infra');
  bed.surrogate.addWorkflow(infra, 'deploy-pod.yml', { inputs: { customer: {} } });
  const faulted = { 'auth-app': 401, 'perm-app': 403, 'busy-app': 409, 'down-app': 503 };
  for (const [repo, status] of Object.entries(faulted))
    bed.surrogate.inject({ kind: 'status', status, path: new RegExp(`/${repo}/`) });
  const resetInMs = 3_600_000;
  bed.surrogate.inject({ kind: 'rate_limit_429', reset_in_ms: resetInMs, path: /\/limited-app\// });
  const deploymentId = uniqueId('names');
  const cfg = {
    ...config(
      {
        missing: trigger('infra', { workflow: 'missing.yml' }),
        invalid: trigger('infra', { inputs: { colour: 'red' } }),
        rejected: trigger('auth-app'),
        refused: trigger('perm-app'),
        conflicting: trigger('busy-app'),
        down: trigger('down-app'),
        limited: trigger('limited-app'),
        failing: { type: 'core:delay', properties: { fail_times: 1 } },
      },
      { on_failure: 'continue' },
      deploymentId,
    ),
    targets: [{ provider: 'github' }],
  };
  const input = { ...deploymentInput(cfg), credentials: { github: { encrypted_pat: await bed.seal(bed.user.token) } } };
  const startedAt = Date.now();
  const { workflowId, runId } = await startDeployment(temporal.client, { input, taskQueue: worker.taskQueue });
  const handle = temporal.client.workflow.getHandle(workflowId, runId);
  // on_failure continue: with every node failed, the run waits for a decision.
  const halted = await waitFor(handle, (s) => s.status === 'awaiting_decision');

  expect(halted.counts.failed).toBe(8);
  const names = Object.fromEntries(
    halted.nodes.map((n) => [n.resource_id, [n.status, n.error_type, n.error_name, n.error_rate_limit]]),
  );
  expect(names).toEqual({
    missing: ['failed', 'not_found', 'not_found', null],
    invalid: ['failed', 'invalid_input', 'validation', null],
    rejected: ['failed', 'auth', 'api_error', null],
    refused: ['failed', 'permission', 'forbidden', null],
    conflicting: ['failed', 'conflict', 'conflict', null],
    down: ['failed', 'unavailable', 'service_unavailable', null],
    limited: ['failed', 'rate_limited', 'rate_limited', { remaining: 0, reset_at: expect.any(Number) }],
    failing: ['failed', 'operation_failed', 'server_error', null],
  });
  // The reset GitHub announced (x-ratelimit-reset, whole seconds), not when the node failed.
  const resetAt = node(halted, 'limited').error_rate_limit?.reset_at ?? 0;
  expect(resetAt).toBeGreaterThanOrEqual(Math.floor((startedAt + resetInMs) / 1_000));
  expect(resetAt).toBeLessThanOrEqual(Math.ceil((Date.now() + resetInMs) / 1_000) + 1);
  expect(node(halted, 'invalid').error).toContain('Unexpected inputs provided');

  // The status route answers them, as its OpenAPI document describes (the test client checks every answer).
  const api = testApi({ client: temporal.client });
  const status = await api.get(`/deploy/status/${deploymentId}`);
  expect(status.status).toBe(200);
  expect(status.body.nodes).toContainEqual(
    expect.objectContaining({
      resource_id: 'limited',
      error_name: 'rate_limited',
      error_rate_limit: { remaining: 0, reset_at: resetAt },
    }),
  );
  // Seed 001's operations name them too.
  expect(status.body.operations).toContainEqual(
    expect.objectContaining({ resource_id: 'refused', error_type: 'permission', error_name: 'forbidden' }),
  );

  // A retried node that then succeeds carries no error, no name and no rate limit.
  await handle.executeUpdate(retryUpdate, { args: [{ node_ids: [node(halted, 'failing').node_id] }] });
  const retried = await waitFor(handle, (s) => node(s, 'failing').status === 'completed');
  expect(node(retried, 'failing')).toMatchObject({
    error: null,
    error_type: null,
    error_name: null,
    error_rate_limit: null,
  });
  await handle.executeUpdate(abortUpdate, { args: [{ reason: 'test over' }] });
  await result(handle);
});
