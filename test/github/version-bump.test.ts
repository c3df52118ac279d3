/**
 * github:version:bump against the surrogate's real git repository: the commit it makes is read
 * back with git (`git show --stat`), a retry adopts it, compensation moves the branch back.
 */
import { execFileSync } from 'node:child_process';
import { githubVersionBump } from '../../src/resources/github/version-bump';
import { VERSION_FILES } from '../surrogates/github/release-repo';
import type { Repository } from '../surrogates/github/state';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let repo: Repository;
const where = { owner: 'octo-user', repo: 'app' };
const BRANCH = 'deploy-20261202';
const refs = { $run_key: 'run-7', $run_started_at: '2026-12-02T09:00:00Z', branch: BRANCH };

beforeEach(async () => {
  bed = await startTestBed();
  repo = bed.surrogate.addRepo(bed.user, 'app');
  await bed.surrogate.seedRepository(repo, VERSION_FILES, ['staging', BRANCH]);
});
afterEach(() => bed.finish());

async function git(...args: string[]): Promise<string> {
  const dir = await bed.surrogate.gitDir(repo);
  return execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8' }).trim();
}

async function apply(properties: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const target = bed.target(githubVersionBump, { ...where, ...properties }, { refs: { ...refs, ...extra } });
  return { target, result: await githubVersionBump.apply(await bed.ctx(), target) };
}

describe('github:version:bump', () => {
  it('bumps the patch version in the three files in one commit carrying the run’s trailer', async () => {
    const before = await git('rev-parse', BRANCH);
    const { result } = await apply();
    const sha = await git('rev-parse', BRANCH);
    expect(result.outputs).toEqual({
      version: '1.4.3',
      previous: '1.4.2',
      commit_sha: sha,
      files: ['package.json', 'mix.exs', 'VERSION'],
    });
    expect(await git('rev-parse', `${BRANCH}~1`)).toBe(before);
    expect(await git('log', '-1', '--format=%B', BRANCH)).toBe('Bump version to 1.4.3\n\nDeployment-Run: run-7');
    const stat = await git('show', '--stat', '--format=', BRANCH);
    expect(stat).toMatch(/^VERSION +\| 2 \+-\n mix\.exs +\| 2 \+-\n package\.json +\| 2 \+-\n 3 files changed/);
    expect(await git('show', `${BRANCH}:VERSION`)).toBe('1.4.3');
    expect(await git('show', `${BRANCH}:package.json`)).toBe(
      VERSION_FILES['package.json'].trim().replace('1.4.2', '1.4.3'),
    );
    expect(await git('show', `${BRANCH}:mix.exs`)).toContain('version: "1.4.3"');
    expect(await git('rev-parse', 'staging')).toBe(before);
  });

  it('adopts its own commit on a retry instead of bumping again', async () => {
    const first = await apply();
    const again = await apply();
    expect(again.result).toEqual(first.result);
    expect(await git('log', '--format=%s', BRANCH)).toBe('Bump version to 1.4.3\nSeed the repository\nInitial commit');
  });

  it('refuses files that disagree, naming each file and its version, and commits nothing', async () => {
    await bed.surrogate.commitFiles(repo, BRANCH, { VERSION: '1.4.1\n' });
    const head = await git('rev-parse', BRANCH);
    await expect(apply()).rejects.toMatchObject({
      type: 'invalid_input',
      retryable: false,
      message: 'the version files disagree: package.json 1.4.2, mix.exs 1.4.2, VERSION 1.4.1',
    });
    expect(await git('rev-parse', BRANCH)).toBe(head);
  });

  it.each([
    [{ bump: 'minor' }, '1.5.0'],
    [{ bump: 'major' }, '2.0.0'],
    [{ version: '1.10.0-rc.1', bump: 'major' }, '1.10.0-rc.1'],
  ])('bumps by %j to %s', async (properties, version) => {
    const { result } = await apply(properties);
    expect(result.outputs['version']).toBe(version);
    expect(await git('show', `${BRANCH}:VERSION`)).toBe(version);
  });

  it('refuses an explicit version not greater than the current one', async () => {
    await expect(apply({ version: '1.4.2' })).rejects.toMatchObject({
      type: 'invalid_input',
      message: 'version 1.4.2 is not greater than the current 1.4.2',
    });
  });

  it('reads a TOML key and a JSON path of the configured files', async () => {
    await bed.surrogate.commitFiles(repo, BRANCH, {
      'Cargo.toml': '[workspace]\nversion = "0.0.0"\n\n[package]\nname = "app"\nversion = "1.4.2" # ours\n',
      'meta.json': '{\n    "app": { "version": "1.4.2" }\n}',
    });
    const files = [
      { path: 'Cargo.toml', toml: 'package.version' },
      { path: 'meta.json', json: 'app.version' },
    ];
    await apply({ files, bump: 'minor' });
    expect(await git('show', `${BRANCH}:Cargo.toml`)).toBe(
      '[workspace]\nversion = "0.0.0"\n\n[package]\nname = "app"\nversion = "1.5.0" # ours',
    );
    expect(await git('show', `${BRANCH}:meta.json`)).toBe('{\n    "app": {\n        "version": "1.5.0"\n    }\n}');
  });

  it('compensates by moving the branch back to before its commit, and not once later commits sit on it', async () => {
    const before = await git('rev-parse', BRANCH);
    const { target, result } = await apply();
    const ctx = await bed.ctx();
    expect(await githubVersionBump.compensate(ctx, target, result.undo)).toEqual({
      outcome: `compensated (moved ${BRANCH} back to ${before.slice(0, 7)})`,
    });
    expect(await git('rev-parse', BRANCH)).toBe(before);

    const redone = await apply({}, { $run_key: 'run-8' });
    await bed.surrogate.commitFiles(repo, BRANCH, { 'later.txt': 'x\n' });
    expect((await githubVersionBump.compensate(ctx, target, redone.result.undo)).outcome).toMatch(/^irreversible: /);
    expect(await git('rev-parse', `${BRANCH}~1`)).toBe(redone.result.outputs['commit_sha']);
  });

  it('reports drift when the files no longer hold its version', async () => {
    const { target, result } = await apply();
    const ctx = await bed.ctx();
    expect(await githubVersionBump.verify(ctx, target, result.outputs)).toEqual({ drift: [] });
    await bed.surrogate.commitFiles(repo, BRANCH, { VERSION: '9.9.9\n' });
    expect((await githubVersionBump.verify(ctx, target, result.outputs)).drift).toEqual([
      { property: 'version (VERSION)', desired: '1.4.3', actual: '9.9.9' },
    ]);
  });
});
