/**
 * Issue 5, acceptance 2: under ~30% injected faults (5xx and 429 rate limits with reset headers,
 * seeded so a failure replays), a 50-secret deployment run by the real workflow on real Temporal
 * with a real worker converges, and the surrogate accepted exactly one write per secret, carrying
 * the right value (faults happen before a request is processed, so only retries could add writes).
 */
import { createGitHubClients } from '../../src/providers/github';
import { startDeployment } from '../../src/client/start-deployment';
import { config, deploymentInput, result } from '../../support/deployments';
import { startTestWorker, testClient, uniqueId, type TestWorker } from '../../support/temporal';
import { startTestBed, type TestBed } from './helpers/test-bed';

const SECRETS = 50;

let bed: TestBed;
let worker: TestWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;

beforeAll(async () => {
  bed = await startTestBed({ seed: 5 });
  const github = createGitHubClients({ baseUrl: bed.surrogate.url, writeIntervalMs: 0, retryBaseMs: 10 });
  worker = await startTestWorker({ deps: { clients: { github }, secrets: bed.keyring } });
  temporal = await testClient();
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await bed?.finish();
});

it('a 50-secret deployment converges under 30% 5xx/429 faults, each secret written exactly once', async () => {
  const repo = bed.surrogate.addRepo(bed.user, 'fault-app');
  const names = Array.from({ length: SECRETS }, (_, i) => `SECRET_${i}`);
  const resources = Object.fromEntries(
    await Promise.all(
      names.map(async (name) => [
        name.toLowerCase().replace('_', '-'),
        {
          type: 'github:secret:repo',
          properties: {
            owner: bed.user.login,
            repo: 'fault-app',
            secret_name: name,
            encrypted_value: await bed.seal(`value of ${name}`),
          },
        },
      ]),
    ),
  );
  const cfg = {
    ...config(
      resources,
      {
        retry: { max_attempts: 20, initial_interval: '50ms', max_interval: '200ms', backoff: 2 },
        max_parallel: 10,
        // Exactly one write per secret holds only while no attempt times out mid-write (a timed-out
        // attempt's write is retried, as it must be): a loaded CI machine once took a 5 s heartbeat
        // timeout, so the attempts get a minute.
        heartbeat_timeout: '60s',
      },
      uniqueId('faults'),
    ),
    targets: [{ provider: 'github' }],
  };
  // About 30% of all requests fail before they are processed: 15% a 502, then 18% of the rest a 429.
  bed.surrogate.inject({ kind: 'status', status: 502, probability: 0.15 });
  bed.surrogate.inject({ kind: 'rate_limit_429', reset_in_ms: 100, probability: 0.18 });

  const input = { ...deploymentInput(cfg), credentials: { github: { encrypted_pat: await bed.seal(bed.user.token) } } };
  const { workflowId, runId } = await startDeployment(temporal.client, { input, taskQueue: worker.taskQueue });
  const final = await result(temporal.client.workflow.getHandle(workflowId, runId));

  expect(final.status).toBe('completed');
  expect(final.counts.completed).toBe(SECRETS);
  const failed = bed.surrogate.count('GET', /./, 502) + bed.surrogate.count('PUT', /./, 502);
  const limited = bed.surrogate.count('GET', /./, 429) + bed.surrogate.count('PUT', /./, 429);
  expect(failed).toBeGreaterThan(0);
  expect(limited).toBeGreaterThan(0);
  for (const name of names) {
    expect(bed.surrogate.writes(repo, name).map((w) => w.value)).toEqual([`value of ${name}`]);
    expect(bed.surrogate.secretValue(repo, name)).toBe(`value of ${name}`);
  }
}, 120_000);
