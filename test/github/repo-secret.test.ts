import { githubRepoSecret } from '../../src/resources/github/repo-secret';
import { OVERWRITE_IRREVERSIBLE } from '../../src/resources/github/secret-operations';
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

const props = async (extra: Record<string, unknown> = {}) => ({
  owner: 'octo-user',
  repo: 'my-app',
  secret_name: 'api_key',
  encrypted_value: await bed.seal('v1-plaintext'),
  ...extra,
});

describe('github:secret:repo', () => {
  it('plans create, creates the secret re-sealed to the repository key, then plans update', async () => {
    const ctx = await bed.ctx();
    const target = bed.target(githubRepoSecret, await props());
    await expect(githubRepoSecret.plan(ctx, target)).resolves.toEqual({
      action: 'create',
      diff: [{ property: 'exists', desired: true, actual: false }],
      warnings: [],
    });
    const applied = await githubRepoSecret.apply(ctx, target);
    expect(applied).toEqual({
      outputs: {
        secret_name: 'API_KEY',
        location: 'repository octo-user/my-app',
        created: true,
        updated_at: expect.stringMatching(/Z$/),
      },
      undo: { created: true, overwritten: false },
    });
    expect(bed.surrogate.secretValue(repo, 'API_KEY')).toBe('v1-plaintext');
    expect(repo.secrets.get('API_KEY')?.encrypted_value).not.toBe(target.properties.encrypted_value);

    const again = await githubRepoSecret.plan(ctx, target);
    expect(again.action).toBe('update');
    expect(again.warnings).toEqual([`secret API_KEY exists in repository octo-user/my-app: ${OVERWRITE_IRREVERSIBLE}`]);
    expect(githubRepoSecret.irreversible?.(target.properties)).toBe(OVERWRITE_IRREVERSIBLE);
    await expect(githubRepoSecret.verify(ctx, target, applied.outputs)).resolves.toEqual({ drift: [] });
  });

  it('is idempotent: a repeated apply writes the same value again and reports an overwrite, never a duplicate', async () => {
    const ctx = await bed.ctx();
    const target = bed.target(githubRepoSecret, await props());
    await githubRepoSecret.apply(ctx, target);
    const second = await githubRepoSecret.apply(ctx, target);
    expect(second.undo).toEqual({ created: false, overwritten: true });
    expect(repo.secrets.size).toBe(1);
    expect(bed.surrogate.writes(repo, 'API_KEY').map((w) => w.value)).toEqual(['v1-plaintext', 'v1-plaintext']);
  });

  it('with if_absent leaves an existing secret alone: plan no-op, no write, nothing irreversible', async () => {
    const ctx = await bed.ctx();
    await githubRepoSecret.apply(ctx, bed.target(githubRepoSecret, await props()));
    const target = bed.target(
      githubRepoSecret,
      await props({ encrypted_value: await bed.seal('other'), if_absent: true }),
    );
    const plan = await githubRepoSecret.plan(ctx, target);
    expect(plan).toEqual({
      action: 'no-op',
      diff: [],
      warnings: ['secret API_KEY exists in repository octo-user/my-app; if_absent leaves it as it is'],
    });
    expect(githubRepoSecret.irreversible?.(target.properties)).toBeNull();
    const applied = await githubRepoSecret.apply(ctx, target);
    expect(applied.undo).toEqual({ created: false, overwritten: false });
    await expect(githubRepoSecret.compensate(ctx, target, applied.undo)).resolves.toEqual({
      outcome: 'nothing to undo',
    });
    expect(bed.surrogate.secretValue(repo, 'API_KEY')).toBe('v1-plaintext');
    expect(bed.surrogate.writes(repo, 'API_KEY')).toHaveLength(1);
  });

  it('compensates a secret it created by deleting it, and reports an overwritten one as irreversible', async () => {
    const ctx = await bed.ctx();
    const target = bed.target(githubRepoSecret, await props());
    const created = await githubRepoSecret.apply(ctx, target);
    await expect(githubRepoSecret.compensate(ctx, target, created.undo)).resolves.toEqual({ outcome: 'compensated' });
    expect(repo.secrets.has('API_KEY')).toBe(false);
    await expect(githubRepoSecret.verify(ctx, target, created.outputs)).resolves.toEqual({
      drift: [{ property: 'exists', desired: true, actual: false }],
    });

    await githubRepoSecret.apply(ctx, target);
    const overwritten = await githubRepoSecret.apply(ctx, target);
    await expect(githubRepoSecret.compensate(ctx, target, overwritten.undo)).resolves.toEqual({
      outcome: `irreversible: ${OVERWRITE_IRREVERSIBLE}`,
    });
    expect(repo.secrets.has('API_KEY')).toBe(true);
  });

  it('takes the value from a resolved reference (value_from) when no sealed value is given', async () => {
    const ctx = await bed.ctx();
    const target = bed.target(
      githubRepoSecret,
      { owner: 'octo-user', repo: 'my-app', secret_name: 'LAMBDA_ARN' },
      {
        refs: { value_from: 'arn:aws:lambda:us-east-1:123456789012:function:api' },
      },
    );
    await githubRepoSecret.apply(ctx, target);
    expect(bed.surrogate.secretValue(repo, 'LAMBDA_ARN')).toBe('arn:aws:lambda:us-east-1:123456789012:function:api');
    const unresolved = bed.target(
      githubRepoSecret,
      { owner: 'octo-user', repo: 'my-app', secret_name: 'X' },
      { resource_id: 'x-secret' },
    );
    await expect(githubRepoSecret.apply(ctx, unresolved)).rejects.toMatchObject({
      type: 'reference',
      message:
        'resources.x-secret: give properties.encrypted_value or references.value_from (the reference resolved to nothing)',
    });
  });

  it('detects drift when someone else overwrote the secret after the apply', async () => {
    const ctx = await bed.ctx();
    const target = bed.target(githubRepoSecret, await props());
    const applied = await githubRepoSecret.apply(ctx, target);
    const stored = repo.secrets.get('API_KEY');
    if (!stored) throw new Error('not stored');
    stored.updated_at = '2030-01-01T00:00:00Z';
    await expect(githubRepoSecret.verify(ctx, target, applied.outputs)).resolves.toEqual({
      drift: [{ property: 'updated_at', desired: applied.outputs['updated_at'], actual: '2030-01-01T00:00:00Z' }],
    });
  });

  it('plans and applies a delete: no-op with a warning when absent, irreversible delete when present', async () => {
    const ctx = await bed.ctx();
    const del = bed.target(
      githubRepoSecret,
      { owner: 'octo-user', repo: 'my-app', secret_name: 'OLD' },
      { operation: 'delete' },
    );
    await expect(githubRepoSecret.plan(ctx, del)).resolves.toEqual({
      action: 'no-op',
      diff: [],
      warnings: ['Secret does not exist'],
    });
    await githubRepoSecret.apply(ctx, bed.target(githubRepoSecret, await props({ secret_name: 'OLD' })));
    expect((await githubRepoSecret.plan(ctx, del)).action).toBe('delete');
    const applied = await githubRepoSecret.apply(ctx, del);
    expect(applied.undo).toEqual({ deleted: true });
    expect(repo.secrets.has('OLD')).toBe(false);
    expect((await githubRepoSecret.compensate(ctx, del, applied.undo)).outcome).toMatch(
      /^irreversible: a deleted secret cannot be restored/,
    );
    await expect(githubRepoSecret.verify(ctx, del, applied.outputs)).resolves.toEqual({ drift: [] });
  });

  it('destroys the secret, and a second destroy is harmless', async () => {
    const ctx = await bed.ctx();
    const target = bed.target(githubRepoSecret, await props());
    const applied = await githubRepoSecret.apply(ctx, target);
    await githubRepoSecret.destroy(ctx, target, applied.outputs);
    await githubRepoSecret.destroy(ctx, target, applied.outputs);
    expect(repo.secrets.size).toBe(0);
  });

  it('rejects secret names GitHub refuses, before any call', () => {
    expect(githubRepoSecret.properties.safeParse({ owner: 'o', repo: 'r', secret_name: 'GITHUB_TOKEN' }).success).toBe(
      false,
    );
    expect(githubRepoSecret.properties.safeParse({ owner: 'o', repo: 'r', secret_name: '1X' }).success).toBe(false);
    expect(bed.surrogate.requests).toHaveLength(0);
  });
});
