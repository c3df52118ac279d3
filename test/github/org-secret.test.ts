import { githubOrgSecret } from '../../src/resources/github/org-secret';
import type { Organization } from '../surrogates/github/state';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let org: Organization;

beforeEach(async () => {
  bed = await startTestBed();
  org = bed.surrogate.addOrg('my-org', [bed.user]);
  bed.surrogate.addRepo(org, 'api');
  bed.surrogate.addRepo(org, 'web');
});
afterEach(async () => {
  await bed.finish();
});

describe('github:secret:org', () => {
  it('creates a secret visible to selected repositories, named in the config and sent as ids', async () => {
    const ctx = await bed.ctx();
    const target = bed.target(githubOrgSecret, {
      org: 'my-org',
      secret_name: 'NPM_TOKEN',
      visibility: 'selected',
      selected_repositories: ['api', 'web'],
      encrypted_value: await bed.seal('npm_abc'),
    });
    expect((await githubOrgSecret.plan(ctx, target)).action).toBe('create');
    const applied = await githubOrgSecret.apply(ctx, target);
    expect(applied.outputs).toMatchObject({ location: 'organization my-org', created: true });
    expect(bed.surrogate.secretValue(org, 'NPM_TOKEN')).toBe('npm_abc');
    const stored = org.secrets.get('NPM_TOKEN');
    expect(stored?.visibility).toBe('selected');
    expect(stored?.selected_repository_ids?.map((id) => bed.surrogate.state.repoById(id)?.name)).toEqual([
      'api',
      'web',
    ]);
    await expect(githubOrgSecret.verify(ctx, target, applied.outputs)).resolves.toEqual({ drift: [] });
  });

  it('reports visibility and repository drift, and plans the update with that diff', async () => {
    const ctx = await bed.ctx();
    const target = bed.target(githubOrgSecret, {
      org: 'my-org',
      secret_name: 'NPM_TOKEN',
      visibility: 'selected',
      selected_repositories: ['api'],
      encrypted_value: await bed.seal('npm_abc'),
    });
    const applied = await githubOrgSecret.apply(ctx, target);
    const stored = org.secrets.get('NPM_TOKEN');
    if (!stored) throw new Error('not stored');
    stored.selected_repository_ids = [bed.surrogate.state.repo('my-org', 'web')?.id ?? 0];
    await expect(githubOrgSecret.verify(ctx, target, applied.outputs)).resolves.toEqual({
      drift: [{ property: 'selected_repositories', desired: ['api'], actual: ['web'] }],
    });
    stored.visibility = 'all';
    const plan = await githubOrgSecret.plan(ctx, target);
    expect(plan.action).toBe('update');
    expect(plan.diff).toEqual([
      { property: 'value', desired: '(sealed)', actual: '(unreadable)' },
      { property: 'visibility', desired: 'selected', actual: 'all' },
    ]);
  });

  it('defaults to private visibility and refuses selected repositories without visibility selected', async () => {
    const ctx = await bed.ctx();
    await githubOrgSecret.apply(
      ctx,
      bed.target(githubOrgSecret, { org: 'my-org', secret_name: 'A', encrypted_value: await bed.seal('a') }),
    );
    expect(org.secrets.get('A')?.visibility).toBe('private');
    const parsed = githubOrgSecret.properties.safeParse({
      org: 'my-org',
      secret_name: 'A',
      visibility: 'all',
      selected_repositories: ['api'],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['selected_repositories'],
      message: 'selected_repositories needs visibility "selected"',
    });
  });

  it('names a selected repository that does not exist', async () => {
    const ctx = await bed.ctx();
    const target = bed.target(githubOrgSecret, {
      org: 'my-org',
      secret_name: 'X',
      visibility: 'selected',
      selected_repositories: ['nope'],
      encrypted_value: await bed.seal('x'),
    });
    await expect(githubOrgSecret.apply(ctx, target)).rejects.toMatchObject({
      type: 'not_found',
      message:
        'repository my-org/nope not found (404) during look up a selected repository: check the name, and that the token can see it',
    });
    expect(org.secrets.size).toBe(0);
  });

  it('compensates a created organization secret by deleting it', async () => {
    const ctx = await bed.ctx();
    const target = bed.target(githubOrgSecret, {
      org: 'my-org',
      secret_name: 'B',
      visibility: 'all',
      encrypted_value: await bed.seal('b'),
    });
    const applied = await githubOrgSecret.apply(ctx, target);
    await expect(githubOrgSecret.compensate(ctx, target, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    expect(org.secrets.size).toBe(0);
  });
});
