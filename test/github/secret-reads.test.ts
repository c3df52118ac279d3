/**
 * `github:secret:repo` with `read` (seed 000's exists, get and list as nodes): outputs names and
 * dates, never values; plans as a no-op that reads; writes nothing, verifies without drift, has
 * nothing to compensate or destroy. Against the GitHub surrogate, checked against GitHub's OpenAPI.
 */
import { githubRepoSecret } from '../../src/resources/github/repo-secret';
import { SECRET_ABSENT } from '../../src/resources/github/secret-operations';
import { OperationError } from '../../src/providers/operation-error';
import type { Repository } from '../surrogates/github/state';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let repo: Repository;

beforeEach(async () => {
  bed = await startTestBed();
  repo = bed.surrogate.addRepo(bed.user, 'my-app');
});
afterEach(async () => {
  await bed.finish();
});

const reading = (read: string, extra: Record<string, unknown> = {}) =>
  bed.target(githubRepoSecret, { owner: 'octo-user', repo: 'my-app', read, ...extra });

async function stored(name: string, value: string): Promise<void> {
  const target = bed.target(githubRepoSecret, {
    owner: 'octo-user',
    repo: 'my-app',
    secret_name: name,
    encrypted_value: await bed.seal(value),
  });
  await githubRepoSecret.apply(await bed.ctx(), target);
}

const dates = (name: string) => {
  const secret = repo.secrets.get(name);
  return { name, created_at: secret?.created_at, updated_at: secret?.updated_at };
};

describe('github:secret:repo with read', () => {
  it('exists, get and list output existence, metadata and every name with its dates; never a value', async () => {
    await stored('API_KEY', 'api-plaintext');
    await stored('OTHER', 'other-plaintext');
    const ctx = await bed.ctx();
    const writes = bed.surrogate.writes().length;

    const outputs = [
      await githubRepoSecret.apply(ctx, reading('exists', { secret_name: 'api_key' })),
      await githubRepoSecret.apply(ctx, reading('exists', { secret_name: 'MISSING' })),
      await githubRepoSecret.apply(ctx, reading('get', { secret_name: 'API_KEY' })),
      await githubRepoSecret.apply(ctx, reading('list')),
    ];

    expect(outputs).toEqual([
      { outputs: { exists: true }, undo: null },
      { outputs: { exists: false }, undo: null },
      { outputs: dates('API_KEY'), undo: null },
      { outputs: { secrets: [dates('API_KEY'), dates('OTHER')] }, undo: null },
    ]);
    expect(JSON.stringify(outputs)).not.toMatch(/plaintext|encrypted_value/);
    expect(bed.surrogate.writes().length).toBe(writes);
  });

  it('get of a missing secret fails not_found naming it, not retried; a missing repository fails every read', async () => {
    const ctx = await bed.ctx();
    const missing = githubRepoSecret.apply(ctx, reading('get', { secret_name: 'MISSING' }));
    await expect(missing).rejects.toThrow(
      new OperationError('not_found', 'secret MISSING does not exist in repository octo-user/my-app'),
    );
    await expect(missing).rejects.toMatchObject({ type: 'not_found', retryable: false });

    const elsewhere = (read: string, extra: Record<string, unknown> = {}) =>
      bed.target(githubRepoSecret, { owner: 'octo-user', repo: 'no-such-repo', read, ...extra });
    for (const target of [elsewhere('exists', { secret_name: 'X' }), elsewhere('list')]) {
      await expect(githubRepoSecret.apply(ctx, target)).rejects.toMatchObject({
        type: 'not_found',
        message: expect.stringContaining('repository octo-user/no-such-repo not found (404)'),
      });
    }
  });

  it('list reads every page (GitHub answers at most 100 a page)', async () => {
    const at = new Date().toISOString();
    const names = Array.from({ length: 150 }, (_, i) => `S_${String(i).padStart(3, '0')}`);
    for (const name of names)
      repo.secrets.set(name, { name, encrypted_value: 'x', key_id: repo.key.key_id, created_at: at, updated_at: at });

    const listed = await githubRepoSecret.apply(await bed.ctx(), reading('list'));

    expect((listed.outputs['secrets'] as { name: string }[]).map((s) => s.name)).toEqual(names);
    expect(bed.surrogate.count('GET', /\/actions\/secrets$/)).toBe(2);
  });

  it('plans a no-op that reads (a missing secret warned), verifies without drift, undoes and destroys nothing', async () => {
    await stored('API_KEY', 'v');
    const ctx = await bed.ctx();
    const there = reading('get', { secret_name: 'API_KEY' });
    const gone = reading('exists', { secret_name: 'MISSING' });
    const list = reading('list');

    await expect(githubRepoSecret.plan(ctx, there)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
    await expect(githubRepoSecret.plan(ctx, gone)).resolves.toEqual({
      action: 'no-op',
      diff: [],
      warnings: [SECRET_ABSENT],
    });
    await expect(githubRepoSecret.plan(ctx, list)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
    expect(bed.surrogate.count('GET', /\/actions\/secrets$/)).toBe(1);

    for (const target of [there, gone, list]) {
      expect(githubRepoSecret.irreversible?.(target.properties)).toBeNull();
      expect(githubRepoSecret.physicalName?.(target.properties, null)).toBeNull();
      await expect(githubRepoSecret.verify(ctx, target, null)).resolves.toEqual({ drift: [] });
      await expect(githubRepoSecret.compensate(ctx, target, null)).resolves.toEqual({ outcome: 'nothing to undo' });
      await githubRepoSecret.destroy(ctx, target, null);
    }
    expect(repo.secrets.has('API_KEY')).toBe(true);
    expect(bed.surrogate.count('DELETE', /./)).toBe(0);
    expect(bed.surrogate.writes().length).toBe(1);
  });

  it('the schema: list takes no secret_name, exists and get need one, and a read takes no value', () => {
    const issues = (properties: Record<string, unknown>) => {
      const parsed = githubRepoSecret.properties.safeParse({ owner: 'o', repo: 'r', ...properties });
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ read: 'list', secret_name: 'X' })).toEqual(['secret_name: read "list" takes no secret_name']);
    expect(issues({ read: 'get' })).toEqual(['secret_name: is required (only read "list" goes without)']);
    expect(issues({})).toEqual(['secret_name: is required (only read "list" goes without)']);
    expect(issues({ read: 'exists', secret_name: 'X', encrypted_value: 'c2VhbGVk', if_absent: true })).toEqual([
      'encrypted_value: read "exists" writes nothing: remove encrypted_value',
      'if_absent: read "exists" writes nothing: remove if_absent',
    ]);
    expect(issues({ read: 'remove', secret_name: 'X' })).toEqual([
      expect.stringMatching(/^read: .*"exists"\|"get"\|"list"/),
    ]);
  });
});
