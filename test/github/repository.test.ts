import { githubRepository } from '../../src/resources/github/repository';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;

beforeEach(async () => {
  bed = await startTestBed();
  bed.surrogate.addOrg('my-org', [bed.user]);
});
afterEach(async () => {
  await bed.finish();
});

describe('github:repo', () => {
  it('creates an organization repository named {name}__{node_id} with its environments, then plans no-op', async () => {
    const ctx = await bed.ctx();
    const target = bed.target(githubRepository, {
      owner: 'my-org',
      name: 'preview',
      generate_name: true,
      environments: ['staging', 'production'],
    });
    const name = `preview__${target.node.node_id}`;
    await expect(githubRepository.plan(ctx, target)).resolves.toEqual({
      action: 'create',
      diff: [{ property: 'exists', desired: true, actual: false }],
      warnings: [],
    });
    const applied = await githubRepository.apply(ctx, target);
    const repo = bed.surrogate.state.repo('my-org', name);
    expect(repo?.private).toBe(true);
    expect([...(repo?.environments.keys() ?? [])]).toEqual(['staging', 'production']);
    expect(applied).toEqual({
      outputs: {
        id: repo?.id,
        node_id: repo?.node_id,
        name,
        full_name: `my-org/${name}`,
        html_url: `https://github.com/my-org/${name}`,
        default_branch: 'main',
        created: true,
      },
      undo: { created: true, unarchived: false, environments_created: [] },
    });
    await expect(githubRepository.plan(ctx, target)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
    await expect(githubRepository.verify(ctx, target, applied.outputs)).resolves.toEqual({ drift: [] });
    expect(githubRepository.physicalName?.(target.properties, null)).toBeNull();
  });

  it("creates a repository of the token's own account through /user/repos", async () => {
    const target = bed.target(githubRepository, { owner: 'octo-user', name: 'tools', private: false });
    await githubRepository.apply(await bed.ctx(), target);
    expect(bed.surrogate.state.repo('octo-user', 'tools')?.private).toBe(false);
    expect(bed.surrogate.count('POST', /^\/user\/repos$/, 201)).toBe(1);
  });

  it('adopts an existing repository, adds only the missing environments, and compensates by removing just those', async () => {
    const org = bed.surrogate.state.orgs.get('my-org');
    if (!org) throw new Error('no org');
    const existing = bed.surrogate.addRepo(org, 'app', { private: true });
    bed.surrogate.addEnvironment(existing, 'production');
    const ctx = await bed.ctx();
    const target = bed.target(githubRepository, {
      owner: 'my-org',
      name: 'app',
      environments: ['production', 'staging'],
    });
    const plan = await githubRepository.plan(ctx, target);
    expect(plan).toEqual({
      action: 'update',
      diff: [{ property: 'environments', desired: ['production', 'staging'], actual: ['production'] }],
      warnings: [],
    });
    const applied = await githubRepository.apply(ctx, target);
    expect(applied.undo).toEqual({ created: false, unarchived: false, environments_created: ['staging'] });
    expect(bed.surrogate.count('POST', /repos$/)).toBe(0);
    await expect(githubRepository.compensate(ctx, target, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    expect([...existing.environments.keys()]).toEqual(['production']);
  });

  it('unarchives an archived repository it adopts, reports the drift first, and archives it again on compensation', async () => {
    const org = bed.surrogate.state.orgs.get('my-org');
    if (!org) throw new Error('no org');
    const existing = bed.surrogate.addRepo(org, 'old', { private: true });
    existing.archived = true;
    const ctx = await bed.ctx();
    const target = bed.target(githubRepository, { owner: 'my-org', name: 'old' });
    await expect(githubRepository.verify(ctx, target, null)).resolves.toEqual({
      drift: [{ property: 'archived', desired: false, actual: true }],
    });
    const applied = await githubRepository.apply(ctx, target);
    expect(existing.archived).toBe(false);
    await githubRepository.compensate(ctx, target, applied.undo);
    expect(existing.archived).toBe(true);
  });

  it('compensates a repository it created per on_destroy: archive by default, delete when asked', async () => {
    const ctx = await bed.ctx();
    const archived = bed.target(githubRepository, { owner: 'my-org', name: 'a' });
    const first = await githubRepository.apply(ctx, archived);
    await expect(githubRepository.compensate(ctx, archived, first.undo)).resolves.toEqual({
      outcome: 'compensated (archived)',
    });
    expect(bed.surrogate.state.repo('my-org', 'a')?.archived).toBe(true);

    const deleted = bed.target(githubRepository, { owner: 'my-org', name: 'b', on_destroy: 'delete' });
    const second = await githubRepository.apply(ctx, deleted);
    await expect(githubRepository.compensate(ctx, deleted, second.undo)).resolves.toEqual({
      outcome: 'compensated (deleted)',
    });
    expect(bed.surrogate.state.repo('my-org', 'b')).toBeUndefined();
  });

  it('destroys by archiving or deleting; a token without delete_repo gets the scope named', async () => {
    const ctx = await bed.ctx();
    const target = bed.target(githubRepository, { owner: 'my-org', name: 'c', on_destroy: 'delete' });
    await githubRepository.apply(ctx, target);
    const limited = bed.surrogate.addAccount('ci-bot', { scopes: ['repo'] });
    bed.surrogate.state.orgs.get('my-org')?.admins.add('ci-bot');
    await expect(githubRepository.destroy(await bed.ctx({ pat: limited.token }), target, null)).rejects.toMatchObject({
      type: 'permission',
      message:
        'GitHub refused to delete the repository on repository my-org/c (403): the token needs scope delete_repo (it has: repo)',
    });
    await githubRepository.destroy(ctx, target, null);
    expect(bed.surrogate.state.repo('my-org', 'c')).toBeUndefined();
    await githubRepository.destroy(ctx, target, null);
  });

  it('verifies missing environments as drift', async () => {
    const ctx = await bed.ctx();
    const target = bed.target(githubRepository, { owner: 'my-org', name: 'd', environments: ['qa'] });
    await githubRepository.apply(ctx, target);
    const repo = bed.surrogate.state.repo('my-org', 'd');
    repo?.environments.clear();
    await expect(githubRepository.verify(ctx, target, null)).resolves.toEqual({
      drift: [{ property: 'environments', desired: ['qa'], actual: [] }],
    });
  });
});
