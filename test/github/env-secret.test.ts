import { githubEnvSecret } from '../../src/resources/github/env-secret';
import { OVERWRITE_IRREVERSIBLE } from '../../src/resources/github/secret-operations';
import type { Environment, Repository } from '../surrogates/github/state';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let repo: Repository;
let prod: Environment;

beforeEach(async () => {
  bed = await startTestBed();
  repo = bed.surrogate.addRepo(bed.user, 'my-app');
  prod = bed.surrogate.addEnvironment(repo, 'production');
});
afterEach(async () => {
  await bed.finish();
});

describe('github:secret:env', () => {
  it("seals the value to the environment's own key, not the repository's, and plans create then update", async () => {
    const ctx = await bed.ctx();
    const target = bed.target(githubEnvSecret, {
      owner: 'octo-user',
      repo: 'my-app',
      environment: 'production',
      secret_name: 'DB_PASSWORD',
      encrypted_value: await bed.seal('hunter2'),
    });
    expect((await githubEnvSecret.plan(ctx, target)).action).toBe('create');
    const applied = await githubEnvSecret.apply(ctx, target);
    expect(applied.outputs).toMatchObject({ location: 'environment production of octo-user/my-app', created: true });
    expect(bed.surrogate.secretValue(prod, 'DB_PASSWORD')).toBe('hunter2');
    expect(prod.secrets.get('DB_PASSWORD')?.key_id).toBe(prod.key.key_id);
    expect(repo.secrets.size).toBe(0);
    expect((await githubEnvSecret.plan(ctx, target)).action).toBe('update');
    await expect(githubEnvSecret.verify(ctx, target, applied.outputs)).resolves.toEqual({ drift: [] });

    const again = await githubEnvSecret.apply(ctx, target);
    await expect(githubEnvSecret.compensate(ctx, target, again.undo)).resolves.toEqual({
      outcome: `irreversible: ${OVERWRITE_IRREVERSIBLE}`,
    });
    await expect(githubEnvSecret.compensate(ctx, target, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    expect(prod.secrets.size).toBe(0);
  });

  it('names the missing environment in a not_found error', async () => {
    const ctx = await bed.ctx();
    const target = bed.target(githubEnvSecret, {
      owner: 'octo-user',
      repo: 'my-app',
      environment: 'staging',
      secret_name: 'X',
      encrypted_value: await bed.seal('x'),
    });
    await expect(githubEnvSecret.apply(ctx, target)).rejects.toMatchObject({
      type: 'not_found',
      retryable: false,
      message:
        'environment staging of octo-user/my-app not found (404) during read the secrets public key: check the name, and that the token can see it',
    });
  });
});
