/**
 * Seed 000's read actions (exists, get, list) as operations of secret workflows: in the plan and
 * in the run, in their place in the order, their results in `results[i].data`, never a value. The
 * seed's own example request, read from the seed file, succeeds with the seed's answer fields.
 * A real Temporal server and worker, the GitHub surrogate (checked against GitHub's OpenAPI), API
 * keys of a tenant, and every sealed value bound to that tenant and its purpose.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SealedPurpose } from '../../src/credentials/sealed-envelope';
import { createGitHubClients } from '../../src/providers/github';
import { startTestWorker, testClient, uniqueId, type TestWorker } from '../../support/temporal';
import { startTestBed, type TestBed } from '../github/helpers/test-bed';
import type { Repository } from '../surrogates/github/state';
import { API_KEYS, KEYS, testApi } from './helpers/app';
import type { Http } from './helpers/http';

const TENANT = 'tenant-a';
const SEEDS = join(__dirname, '..', '..', '..', 'shared', 'seeds');

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
  api = testApi({ client: temporal.client, taskQueue: worker.taskQueue, keys: API_KEYS, operations });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await bed?.finish();
});

const seal = (purpose: SealedPurpose, value: string) => bed.seal(value, { tenant: TENANT, purpose });

/** The JSON block after `heading` in seed 000, with `[...]` (elided items) as an empty list. */
function seedBlock(heading: string): Record<string, unknown> {
  const seed = readdirSync(SEEDS).find((file) => file.startsWith('000_'));
  if (!seed) throw new Error(`no seed 000 in ${SEEDS}`);
  const text = readFileSync(join(SEEDS, seed), 'utf8');
  const at = text.indexOf(`\n${heading}\n`);
  const block = /```json\n([\s\S]*?)\n```/.exec(text.slice(at));
  if (at < 0 || !block?.[1]) throw new Error(`seed 000 has no JSON block under "${heading}"`);
  return JSON.parse(block[1].replaceAll('[...]', '[]')) as Record<string, unknown>;
}

/** Puts secrets straight into the surrogate's repository (their values are never read here). */
function holding(repo: Repository, names: readonly string[]): Repository {
  const at = new Date().toISOString();
  for (const name of names)
    repo.secrets.set(name, { name, encrypted_value: 'x', key_id: repo.key.key_id, created_at: at, updated_at: at });
  return repo;
}

/** A fresh repository of the test user holding secrets of these names. */
const newRepo = (...names: string[]): Repository => holding(bed.surrogate.addRepo(bed.user, uniqueId('reads')), names);

async function body(repo: Repository, operations: Record<string, unknown>[]): Promise<Record<string, unknown>> {
  return {
    credentials: { encrypted_pat: await seal('github_token', bed.user.token) },
    workflow: { target: { owner: bed.user.login, repo: repo.name }, operations },
  };
}

const create = async (name: string, value: string) => ({
  action: 'create',
  secret_name: name,
  secret_value: await seal('secret_value', value),
});

const names = (data: unknown): string[] => (data as { secrets: { name: string }[] }).secrets.map((s) => s.name);

interface SeedRequest {
  credentials: { encrypted_pat: string };
  workflow: { target: { owner: string; repo: string }; operations: Record<string, string>[] };
}

it("the seed's example request (create, create, delete, list), read from the seed, succeeds with the seed's answer fields", async () => {
  const request = seedBlock('## Workflow Concept') as unknown as SeedRequest;
  const expected = seedBlock('### Execute Response') as Record<string, unknown> & {
    results: Record<string, unknown>[];
  };
  const { target, operations } = request.workflow;
  expect(operations.map((op) => op['action'])).toEqual(['create', 'create', 'delete', 'list']);
  const owner = bed.surrogate.addAccount(target.owner, { scopes: ['repo'] });
  const repo = holding(bed.surrogate.addRepo(owner, target.repo), ['OLD_SECRET']);
  // The seed's placeholders, sealed for the tenant: the PAT as a GitHub token, each value as a secret value.
  expect(request.credentials.encrypted_pat).toBe('<NaCl-encrypted GitHub PAT>');
  request.credentials.encrypted_pat = await seal('github_token', owner.token);
  for (const op of operations.filter((o) => o['secret_value'] === '<encrypted>'))
    op['secret_value'] = await seal('secret_value', `value of ${op['secret_name']}`);

  // The seed's delete needs an admin key here (deleting is an admin's right).
  const res = await api.post('/workflows/execute', request, { key: KEYS.aAdmin });

  expect(res.status).toBe(200);
  const { results: seedResults, duration, ...answer } = expected;
  expect(res.body).toMatchObject(answer);
  expect([typeof duration, typeof res.body.duration]).toEqual(['number', 'number']);
  expect(res.body.results).toMatchObject(seedResults.map(({ data, ...result }) => result));
  expect(Object.keys(res.body.results[3].data)).toEqual(Object.keys(seedResults[3]?.['data'] as object));
  expect(names(res.body.results[3].data)).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
  expect(bed.surrogate.secretValue(repo, 'AWS_ACCESS_KEY_ID')).toBe('value of AWS_ACCESS_KEY_ID');
  expect(bed.surrogate.secretValue(repo, 'AWS_SECRET_ACCESS_KEY')).toBe('value of AWS_SECRET_ACCESS_KEY');
  expect(bed.surrogate.secretValue(repo, 'OLD_SECRET')).toBeNull();
  expect(JSON.stringify(res.body)).not.toContain('value of');
}, 90_000);

it("each read's data: exists {exists}, get the secret's metadata, list {secrets} with names and dates; never values", async () => {
  const repo = newRepo('KEPT', 'OTHER');
  const writes = bed.surrogate.writes().length;

  const res = await api.post(
    '/workflows/execute',
    await body(repo, [
      { action: 'exists', secret_name: 'kept' },
      { action: 'exists', secret_name: 'MISSING' },
      { action: 'get', secret_name: 'KEPT' },
      { action: 'list' },
    ]),
    { key: KEYS.aOperate },
  );

  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ success: true, run_status: 'completed', operations_succeeded: 4 });
  const kept = repo.secrets.get('KEPT');
  const other = repo.secrets.get('OTHER');
  const metadata = { name: 'KEPT', created_at: kept?.created_at, updated_at: kept?.updated_at };
  expect(res.body.results).toEqual([
    expect.objectContaining({ index: 0, action: 'exists', secret_name: 'KEPT', success: true, data: { exists: true } }),
    expect.objectContaining({ index: 1, action: 'exists', secret_name: 'MISSING', data: { exists: false } }),
    expect.objectContaining({ index: 2, action: 'get', secret_name: 'KEPT', data: metadata }),
    expect.objectContaining({
      index: 3,
      action: 'list',
      secret_name: null,
      data: { secrets: [metadata, { name: 'OTHER', created_at: other?.created_at, updated_at: other?.updated_at }] },
    }),
  ]);
  expect(bed.surrogate.writes().length).toBe(writes);
}, 90_000);

it('reads run in their place in the order: a list after a delete no longer sees the secret, exists after create sees it', async () => {
  const repo = newRepo('KEPT', 'GONE');

  const res = await api.post(
    '/workflows/execute',
    await body(repo, [
      { action: 'list' },
      await create('NEW', 'new value'),
      { action: 'delete', secret_name: 'GONE' },
      { action: 'exists', secret_name: 'NEW' },
      { action: 'exists', secret_name: 'GONE' },
      { action: 'list' },
    ]),
    { key: KEYS.aAdmin },
  );

  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ success: true, operations_succeeded: 6 });
  const data = res.body.results.map((r: Record<string, unknown>) => r['data']);
  expect(names(data[0])).toEqual(['GONE', 'KEPT']);
  expect([data[3], data[4]]).toEqual([{ exists: true }, { exists: false }]);
  expect(names(data[5])).toEqual(['KEPT', 'NEW']);
}, 90_000);

it('a get of a missing secret fails not_found naming it; with stop_on_error the operations after it do not run', async () => {
  const repo = newRepo();

  const res = await api.post(
    '/workflows/execute',
    await body(repo, [{ action: 'get', secret_name: 'MISSING' }, await create('AFTER', 'v')]),
    { key: KEYS.aOperate },
  );

  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    success: false,
    run_status: 'aborted',
    operations_failed: 1,
    operations_not_run: 1,
  });
  expect(res.body.results[0]).toMatchObject({
    action: 'get',
    secret_name: 'MISSING',
    success: false,
    status: 'failed',
    error_type: 'not_found',
    error_name: 'not_found',
    error: expect.stringContaining(`secret MISSING does not exist in repository ${bed.user.login}/${repo.name}`),
    data: null,
  });
  expect(res.body.results[1].status).toBe('blocked');
  expect(bed.surrogate.secretValue(repo, 'AFTER')).toBeNull();
}, 90_000);

it('the plan of read actions: no-ops that read the current state (a get of a missing secret warned); nothing written', async () => {
  const repo = newRepo('KEPT');
  const writes = bed.surrogate.writes().length;
  const deletes = bed.surrogate.count('DELETE', /./);
  const lists = bed.surrogate.count('GET', /\/actions\/secrets$/);

  const res = await api.post(
    '/workflows/plan',
    await body(repo, [
      { action: 'exists', secret_name: 'KEPT' },
      { action: 'get', secret_name: 'MISSING' },
      { action: 'list' },
    ]),
    { key: KEYS.aRead },
  );

  expect(res.status).toBe(200);
  const unchanged = { will_create: false, will_update: false, will_delete: false, is_noop: true, error: null };
  expect(res.body).toMatchObject({
    valid: true,
    total_operations: 3,
    operations_by_action: { exists: 1, get: 1, list: 1 },
    planned_operations: [
      { index: 0, action: 'exists', secret_name: 'KEPT', ...unchanged, current_exists: true, warnings: [] },
      { index: 1, action: 'get', secret_name: 'MISSING', ...unchanged, current_exists: false },
      { index: 2, action: 'list', secret_name: null, ...unchanged, current_exists: null, warnings: [] },
    ],
    warnings: ["Operation 1: Secret 'MISSING' does not exist, get will fail unless an earlier operation creates it"],
  });
  expect(bed.surrogate.count('GET', /\/actions\/secrets$/)).toBe(lists + 1);
  expect(bed.surrogate.writes().length).toBe(writes);
  expect(bed.surrogate.count('DELETE', /./)).toBe(deletes);
});
