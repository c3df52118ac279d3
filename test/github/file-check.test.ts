/**
 * github:file:check against the GitHub surrogate (real git repositories): seed 003's duplicate
 * check, a pod being `pods/<customer>/<env>/spec.yml`. Mode new refuses an existing path with a
 * conflict, mode edit a missing one with not_found, both not retryably; a missing repository or
 * ref is refused naming it (never taken for an absent file); its plan refuses the same way.
 */
import { OperationError } from '../../src/providers/operation-error';
import { githubFileCheck } from '../../src/resources/github/file-check';
import type { Repository } from '../surrogates/github/state';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let repo: Repository;
let seeded: string;

beforeEach(async () => {
  bed = await startTestBed();
  repo = bed.surrogate.addRepo(bed.user, 'pods');
  seeded = await bed.surrogate.seedRepository(repo, { 'pods/acme/prod/spec.yml': 'instance_type: t3.small\n' });
});
afterEach(async () => {
  await bed.finish();
});

const check = (properties: Record<string, unknown>) =>
  bed.target(githubFileCheck, { owner: 'octo-user', repo: 'pods', label: 'Pod acme/prod', ...properties });

async function refusal(promise: Promise<unknown>): Promise<{ type: string; message: string; retryable: boolean }> {
  const err = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OperationError);
  const { type, message, retryable } = err as OperationError;
  return { type, message, retryable };
}

describe('github:file:check', () => {
  it('mode new refuses a path that exists, with seed 003’s message, not retryably (apply and plan)', async () => {
    const target = check({ path: 'pods/acme/prod/spec.yml', mode: 'new' });
    const expected = { type: 'conflict', message: 'Pod acme/prod already exists.', retryable: false };
    expect(await refusal(githubFileCheck.apply(await bed.ctx(), target))).toEqual(expected);
    expect(await refusal(githubFileCheck.plan(await bed.ctx(), target))).toEqual(expected);
  });

  it('mode new passes a path that does not exist, reporting the commit it looked at', async () => {
    const target = check({ path: 'pods/acme/dev/spec.yml', mode: 'new', label: 'Pod acme/dev' });
    await expect(githubFileCheck.apply(await bed.ctx(), target)).resolves.toEqual({
      outputs: { path: 'pods/acme/dev/spec.yml', exists: false, sha: seeded },
      undo: null,
    });
    await expect(githubFileCheck.plan(await bed.ctx(), target)).resolves.toEqual({
      action: 'create',
      diff: [],
      warnings: [],
    });
  });

  it('mode edit requires the path: present passes, missing is not_found, not retryably', async () => {
    await expect(
      githubFileCheck.apply(await bed.ctx(), check({ path: 'pods/acme/prod/spec.yml', mode: 'edit' })),
    ).resolves.toEqual({ outputs: { path: 'pods/acme/prod/spec.yml', exists: true, sha: seeded }, undo: null });
    expect(
      await refusal(
        githubFileCheck.apply(
          await bed.ctx(),
          check({ path: 'pods/acme/qa/spec.yml', mode: 'edit', label: undefined }),
        ),
      ),
    ).toEqual({
      type: 'not_found',
      message:
        'pods/acme/qa/spec.yml in octo-user/pods does not exist (pods/acme/qa/spec.yml at main): create it in mode new.',
      retryable: false,
    });
  });

  it('looks at the given ref', async () => {
    await bed.surrogate.commitFiles(repo, 'next', { 'pods/acme/qa/spec.yml': 'x\n' });
    const target = check({ path: 'pods/acme/qa/spec.yml', mode: 'edit', ref: 'next' });
    await expect(githubFileCheck.apply(await bed.ctx(), target)).resolves.toMatchObject({ outputs: { exists: true } });
  });

  it('a missing repository (not_found) or ref (GitHub’s 422) is refused naming it, whatever the mode (never taken as an absent file)', async () => {
    const noRepo = await refusal(
      githubFileCheck.apply(await bed.ctx(), check({ repo: 'nope', path: 'a/spec.yml', mode: 'new' })),
    );
    expect(noRepo).toMatchObject({ type: 'not_found', message: expect.stringContaining('repository octo-user/nope') });
    const noRef = await refusal(
      githubFileCheck.apply(await bed.ctx(), check({ path: 'a/spec.yml', mode: 'new', ref: 'no-such-branch' })),
    );
    // GitHub answers 422 for a ref that names no commit.
    expect(noRef).toMatchObject({
      type: 'invalid_input',
      message: expect.stringContaining('read ref no-such-branch'),
      retryable: false,
    });
  });

  it('refuses a path outside the repository', () => {
    for (const path of ['/etc/passwd', 'pods/../x', 'pods//x'])
      expect(() => check({ path, mode: 'new' })).toThrow(/a path inside the repository/);
  });
});
