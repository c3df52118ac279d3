/**
 * Seed 000's POST /workflows/plan and /workflows/execute: its example requests give its response
 * shapes, through the live planner and a real run of the engine (real Temporal, a real worker)
 * against the GitHub surrogate, with the PAT and values sealed to a real service keyring. Every
 * response is checked against /openapi.json by the Http helper.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGitHubClients } from '../../src/providers/github';
import { ServiceKey } from '../../src/credentials/service-key';
import { sealTo } from '../../src/credentials/sealed-box';
import { githubRepoSecret } from '../../src/resources/github/repo-secret';
import { startTestBed, type TestBed } from '../github/helpers/test-bed';
import { startTestWorker, testClient, uniqueId, type TestWorker } from '../../support/temporal';
import { testApi } from './helpers/app';
import type { Http } from './helpers/http';

let bed: TestBed;
let worker: TestWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
let api: Http;

beforeAll(async () => {
  bed = await startTestBed();
  const operations = {
    clients: { github: createGitHubClients({ baseUrl: bed.surrogate.url, writeIntervalMs: 0, retryBaseMs: 20 }) },
    secrets: bed.keyring,
  };
  worker = await startTestWorker({ deps: operations });
  temporal = await testClient();
  api = testApi({ client: temporal.client, taskQueue: worker.taskQueue, operations });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await bed?.finish();
});

/** A fresh repository of the test user (one deployment per repository). */
function newRepo(): string {
  const name = uniqueId('seed000');
  bed.surrogate.addRepo(bed.user, name);
  return name;
}

async function request(
  repo: string,
  operations: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  return {
    credentials: { encrypted_pat: await bed.seal(bed.user.token) },
    workflow: { target: { owner: bed.user.login, repo }, operations },
    ...extra,
  };
}

const create = async (name: string, value: string) => ({
  action: 'create',
  secret_name: name,
  secret_value: await bed.seal(value),
});

async function existingSecret(repo: string, name: string, value: string): Promise<void> {
  const target = bed.target(githubRepoSecret, {
    owner: bed.user.login,
    repo,
    secret_name: name,
    encrypted_value: await bed.seal(value),
  });
  await githubRepoSecret.apply(await bed.ctx(), target);
}

const scope = (repo: string) => {
  const found = bed.surrogate.state.repos.get(`${bed.user.login}/${repo}`.toLowerCase());
  if (!found) throw new Error(`no repository ${repo}`);
  return found;
};

it("plan example: will_create, will_update and is_noop from each secret's current state; nothing written", async () => {
  const repo = newRepo();
  await existingSecret(repo, 'EXISTING', 'old value');
  const writesBefore = bed.surrogate.writes().length;

  const res = await api.post(
    '/workflows/plan',
    await request(repo, [
      await create('NEW_SECRET', 'v1'),
      await create('EXISTING', 'v2'),
      { action: 'delete', secret_name: 'NONEXISTENT' },
    ]),
  );

  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    success: true,
    valid: true,
    target_owner: bed.user.login,
    target_repo: repo,
    total_operations: 3,
    operations_by_action: { create: 2, delete: 1 },
  });
  expect(res.body.planned_operations).toEqual([
    expect.objectContaining({
      index: 0,
      action: 'create',
      secret_name: 'NEW_SECRET',
      will_create: true,
      will_update: false,
      is_noop: false,
      current_exists: false,
    }),
    expect.objectContaining({
      index: 1,
      action: 'create',
      secret_name: 'EXISTING',
      will_create: false,
      will_update: true,
      is_noop: false,
      current_exists: true,
    }),
    expect.objectContaining({
      index: 2,
      action: 'delete',
      secret_name: 'NONEXISTENT',
      is_noop: true,
      current_exists: false,
      warnings: ['Secret does not exist'],
    }),
  ]);
  expect(res.body.warnings).toContain("Operation 2: Secret 'NONEXISTENT' does not exist, delete will have no effect");
  expect(typeof res.body.duration).toBe('number');
  expect(bed.surrogate.writes().length).toBe(writesBefore);
  expect(bed.surrogate.secretValue(scope(repo), 'EXISTING')).toBe('old value');
  bed.surrogate.expectNoViolations();
});

it('plan with a PAT GitHub rejects: valid false, each operation names the auth error', async () => {
  const repo = newRepo();
  const body = {
    ...(await request(repo, [await create('A_SECRET', 'v')])),
    credentials: { encrypted_pat: await bed.seal('ghp_not-a-known-token') },
  };
  const res = await api.post('/workflows/plan', body);
  expect(res.status).toBe(200);
  expect(res.body.valid).toBe(false);
  expect(res.body.planned_operations[0]).toMatchObject({ current_exists: null, error: { type: 'auth' } });
});

it('execute example: creates and a delete run as a deployment; per-secret results, values arrive sealed to the repository', async () => {
  const repo = newRepo();
  await existingSecret(repo, 'OLD_SECRET', 'old');

  const res = await api.post(
    '/workflows/execute',
    await request(repo, [
      await create('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLE'),
      await create('AWS_SECRET_ACCESS_KEY', 'secret-key'),
      { action: 'delete', secret_name: 'OLD_SECRET' },
    ]),
  );

  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    success: true,
    finished: true,
    run_status: 'completed',
    target_owner: bed.user.login,
    target_repo: repo,
    total_operations: 3,
    operations_succeeded: 3,
    operations_failed: 0,
    operations_not_run: 0,
    stop_on_error: true,
  });
  expect(
    res.body.results.map((r: Record<string, unknown>) => [r['index'], r['action'], r['secret_name'], r['success']]),
  ).toEqual([
    [0, 'create', 'AWS_ACCESS_KEY_ID', true],
    [1, 'create', 'AWS_SECRET_ACCESS_KEY', true],
    [2, 'delete', 'OLD_SECRET', true],
  ]);
  expect(res.body.results[0].data).toMatchObject({ created: true });
  expect(res.body.results[2].data).toMatchObject({ deleted: true });
  expect(bed.surrogate.secretValue(scope(repo), 'AWS_ACCESS_KEY_ID')).toBe('AKIAEXAMPLE');
  expect(bed.surrogate.secretValue(scope(repo), 'AWS_SECRET_ACCESS_KEY')).toBe('secret-key');
  expect(bed.surrogate.secretValue(scope(repo), 'OLD_SECRET')).toBeNull();
  // It was a run of the engine: its status is on the ordinary route.
  const status = await api.get(res.body.status_url);
  expect([status.status, status.body.status]).toEqual([200, 'completed']);
  expect(JSON.stringify(res.body)).not.toContain('AKIAEXAMPLE');
  bed.surrogate.expectNoViolations();
}, 90_000);

it('stop_on_error true (default): the first failure stops the rest; false: every operation is attempted', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'foreign-key-'));
  const foreign = await ServiceKey.load({ dataDir: dir });
  await rm(dir, { recursive: true, force: true });
  const notOurs = { action: 'create', secret_name: 'BAD', secret_value: await sealTo(foreign.publicKey, 'x') };

  const repo = newRepo();
  const stopped = await api.post(
    '/workflows/execute',
    await request(repo, [await create('FIRST', '1'), notOurs, await create('THIRD', '3')]),
  );
  expect(stopped.status).toBe(200);
  expect(stopped.body).toMatchObject({
    success: false,
    finished: true,
    run_status: 'aborted',
    operations_succeeded: 1,
    operations_failed: 1,
    operations_not_run: 1,
    stop_on_error: true,
  });
  expect(stopped.body.results.map((r: Record<string, unknown>) => r['status'])).toEqual([
    'completed',
    'failed',
    'blocked',
  ]);
  expect(stopped.body.results[1].error_type).toEqual(expect.any(String));
  expect(bed.surrogate.secretValue(scope(repo), 'THIRD')).toBeNull();

  const other = newRepo();
  const all = await api.post(
    '/workflows/execute',
    await request(other, [await create('FIRST', '1'), notOurs, await create('THIRD', '3')], { stop_on_error: false }),
  );
  expect(all.status).toBe(200);
  expect(all.body).toMatchObject({
    success: false,
    operations_succeeded: 2,
    operations_failed: 1,
    operations_not_run: 0,
    stop_on_error: false,
  });
  expect(bed.surrogate.secretValue(scope(other), 'THIRD')).toBe('3');
}, 90_000);

it('an operation without the fields its action needs is a 400 naming the field; nothing starts', async () => {
  const repo = newRepo();
  const res = await api.post(
    '/workflows/execute',
    await request(repo, [
      await create('A_SECRET', 'v'),
      { action: 'list', secret_name: 'A_SECRET' },
      { action: 'create', secret_name: 'NO_VALUE' },
      { action: 'get' },
      { action: 'exists', secret_name: 'A_SECRET', secret_value: await bed.seal('v') },
      { action: 'rename', secret_name: 'A_SECRET' },
    ]),
  );
  expect(res.status).toBe(400);
  const issues = res.body.error.details.issues.map((i: { path: string; message: string }) => `${i.path}: ${i.message}`);
  expect(issues).toEqual(
    expect.arrayContaining([
      'workflow.operations[1].secret_name: is not allowed for list',
      'workflow.operations[2].secret_value: is required for create',
      'workflow.operations[3].secret_name: is required for get',
      'workflow.operations[4].secret_value: is not allowed for exists',
      'workflow.operations[5].action: must be create, delete, exists, get or list',
    ]),
  );
  expect(bed.surrogate.writes().filter((w) => w.name === 'A_SECRET')).toEqual([]);
});
