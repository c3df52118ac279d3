/** Each GitHub error class reaches the operation as an OperationError with its exact type and message. */
import { ServiceKey } from '../../src/credentials/service-key';
import { randomBytes } from 'node:crypto';
import { sealTo, toBase64 } from '../../src/credentials/sealed-box';
import { OperationError } from '../../src/providers/operation-error';
import { githubActionTrigger } from '../../src/resources/github/action-trigger';
import { githubError } from '../../src/resources/github/errors';
import { githubRepoSecret } from '../../src/resources/github/repo-secret';
import type { Repository } from '../surrogates/github/state';
import { startTestBed, type TestBed } from './helpers/test-bed';

let bed: TestBed;
let repo: Repository;

const secretProps = async () => ({
  owner: 'octo-user',
  repo: 'my-app',
  secret_name: 'API_KEY',
  encrypted_value: await bed.seal('value-1'),
});

/** Another service's key (given, so nothing is written). */
const otherKeyring = () => ServiceKey.load({ privateKey: toBase64(randomBytes(32)), dataDir: '/nonexistent' });

async function failure(run: () => Promise<unknown>): Promise<OperationError> {
  const err = await run().then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof OperationError)) throw new Error(`expected an OperationError, got ${String(err)}`);
  return err;
}

afterEach(async () => {
  await bed.finish();
});

describe('GitHub error classes', () => {
  beforeEach(async () => {
    bed = await startTestBed({ clients: { retries: 1 } });
    repo = bed.surrogate.addRepo(bed.user, 'my-app');
  });

  it('401: auth, telling the user to check the PAT, not retried', async () => {
    const ctx = await bed.ctx({ pat: 'ghp_unknown_token' });
    const err = await failure(async () =>
      githubRepoSecret.apply(ctx, bed.target(githubRepoSecret, await secretProps())),
    );
    expect(err).toMatchObject({
      type: 'auth',
      retryable: false,
      message: 'GitHub rejected the token (401 Bad credentials): check the PAT',
    });
    expect(err.message).not.toContain('ghp_unknown_token');
  });

  it('403 without the scope: permission, naming the scope the endpoint accepts and those the token has', async () => {
    const limited = bed.surrogate.addAccount('reader', { scopes: ['read:user'] });
    const ctx = await bed.ctx({ pat: limited.token });
    const err = await failure(async () =>
      githubRepoSecret.plan(ctx, bed.target(githubRepoSecret, await secretProps())),
    );
    expect(err).toMatchObject({
      type: 'permission',
      retryable: false,
      message:
        'GitHub refused to read the secrets public key on repository octo-user/my-app (403): the token needs scope repo (it has: read:user)',
    });
  });

  it('403 with x-ratelimit-remaining 0: waits for the reset and retries inside the call', async () => {
    bed.surrogate.inject({ kind: 'rate_limit_403', method: 'PUT', count: 1, reset_in_ms: 0 });
    const started = Date.now();
    await githubRepoSecret.apply(await bed.ctx(), bed.target(githubRepoSecret, await secretProps()));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // the reset (second resolution) + 1 s
    expect(bed.surrogate.count('PUT', /secrets\/API_KEY$/, 403)).toBe(1);
    expect(bed.surrogate.writes(repo, 'API_KEY')).toHaveLength(1);
  });

  it('403 rate limit that outlasts the retries: rate_limited, retryable after the reset', async () => {
    bed.surrogate.inject({ kind: 'rate_limit_403', method: 'GET', path: /public-key$/, reset_in_ms: 0 });
    const err = await failure(async () =>
      githubRepoSecret.apply(await bed.ctx(), bed.target(githubRepoSecret, await secretProps())),
    );
    expect(err.type).toBe('rate_limited');
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(err.message).toMatch(
      /^GitHub rate limit reached \(403\) during read the secrets public key on repository octo-user\/my-app: retrying after the reset in \d+ s$/,
    );
  });

  it('429: rate_limited with retryAfterMs until the reset', async () => {
    bed.surrogate.inject({ kind: 'rate_limit_429', method: 'GET', path: /public-key$/, reset_in_ms: 30_000 });
    const err = await failure(async () =>
      githubRepoSecret.plan(await bed.ctx(), bed.target(githubRepoSecret, await secretProps())),
    );
    expect(err).toMatchObject({ type: 'rate_limited', retryable: true });
    expect(err.retryAfterMs).toBeGreaterThan(25_000);
    expect(err.message).toMatch(
      /^GitHub rate limit reached \(429\) during read the secrets public key on repository octo-user\/my-app: retrying after the reset in (29|30|31) s$/,
    );
  });

  it('404: not_found naming the repository', async () => {
    const err = await failure(async () =>
      githubRepoSecret.apply(
        await bed.ctx(),
        bed.target(githubRepoSecret, { ...(await secretProps()), repo: 'missing' }),
      ),
    );
    expect(err).toMatchObject({
      type: 'not_found',
      retryable: false,
      message:
        'repository octo-user/missing not found (404) during read the secrets public key: check the name, and that the token can see it',
    });
  });

  it('404: not_found naming the workflow', async () => {
    const err = await failure(async () =>
      githubActionTrigger.plan(
        await bed.ctx(),
        bed.target(githubActionTrigger, { owner: 'octo-user', repo: 'my-app', workflow: 'deploy.yml' }),
      ),
    );
    expect(err).toMatchObject({
      type: 'not_found',
      message:
        'workflow deploy.yml of octo-user/my-app not found (404) during read the workflow: check the name, and that the token can see it',
    });
  });

  it("422: invalid_input with GitHub's own message", async () => {
    bed.surrogate.addWorkflow(repo, 'deploy.yml', { inputs: { customer: { required: true } } });
    const target = bed.target(githubActionTrigger, {
      owner: 'octo-user',
      repo: 'my-app',
      workflow: 'deploy.yml',
      inputs: { customer: 'acme', colour: 'red' },
    });
    const err = await failure(async () => githubActionTrigger.apply(await bed.ctx(), target));
    expect(err).toMatchObject({
      type: 'invalid_input',
      retryable: false,
      message:
        'GitHub rejected dispatch on main on workflow deploy.yml of octo-user/my-app (422): Unexpected inputs provided: ["colour"]',
    });
  });

  it('5xx that outlasts the retries: unavailable, retryable', async () => {
    bed.surrogate.inject({ kind: 'status', status: 503 });
    const err = await failure(async () =>
      githubRepoSecret.apply(await bed.ctx(), bed.target(githubRepoSecret, await secretProps())),
    );
    expect(err).toMatchObject({
      type: 'unavailable',
      retryable: true,
      message:
        'GitHub is unavailable (503 Server Error) during read the secrets public key on repository octo-user/my-app: retrying with backoff',
    });
    expect(bed.surrogate.count('GET', /public-key$/, 503)).toBe(2);
  });

  it('dropped connections: unavailable, retryable', async () => {
    bed.surrogate.inject({ kind: 'drop' });
    const err = await failure(async () =>
      githubRepoSecret.plan(await bed.ctx(), bed.target(githubRepoSecret, await secretProps())),
    );
    expect(err.type).toBe('unavailable');
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(
      /^GitHub is unavailable \(.+\) during read the secrets public key on repository octo-user\/my-app: retrying with backoff$/,
    );
  });

  it('transient 5xx and latency are absorbed by the client retries: one accepted write', async () => {
    bed.surrogate.inject({ kind: 'latency', ms: 50 });
    bed.surrogate.inject({ kind: 'status', status: 502, method: 'PUT', count: 1 });
    await githubRepoSecret.apply(await bed.ctx(), bed.target(githubRepoSecret, await secretProps()));
    expect(bed.surrogate.count('PUT', /secrets\/API_KEY$/)).toBe(2);
    expect(bed.surrogate.writes(repo, 'API_KEY')).toHaveLength(1);
  });

  it('a PAT sealed to another key: invalid_input naming credentials.github.encrypted_pat, no request sent', async () => {
    const other = await otherKeyring();
    const ctx = await bed.ctx({
      credentials: { github: { encrypted_pat: await sealTo(other.publicKey, bed.user.token) } },
    });
    const err = await failure(async () =>
      githubRepoSecret.plan(ctx, bed.target(githubRepoSecret, await secretProps())),
    );
    expect(err).toMatchObject({
      type: 'invalid_input',
      retryable: false,
      message:
        "credentials.github.encrypted_pat could not be opened: not sealed to this service's public key (GET /keys/public)",
    });
    expect(bed.surrogate.requests).toHaveLength(0);
  });

  it('a secret value sealed to another key names its property path', async () => {
    const other = await otherKeyring();
    const target = bed.target(
      githubRepoSecret,
      { ...(await secretProps()), encrypted_value: await sealTo(other.publicKey, 'x') },
      { resource_id: 'api-key' },
    );
    const err = await failure(async () => githubRepoSecret.apply(await bed.ctx(), target));
    expect(err.message).toBe(
      "resources.api-key.properties.encrypted_value could not be opened: not sealed to this service's public key (GET /keys/public)",
    );
  });

  it('no GitHub credentials: invalid_input telling how to give them', async () => {
    const ctx = await bed.ctx({ credentials: null });
    const err = await failure(async () =>
      githubRepoSecret.plan(ctx, bed.target(githubRepoSecret, await secretProps())),
    );
    expect(err).toMatchObject({
      type: 'invalid_input',
      message: 'credentials.github.encrypted_pat is required for github:* resources: seal the PAT with npm run seal',
    });
  });
});

describe('githubError', () => {
  beforeEach(async () => {
    bed = await startTestBed();
  });

  it('tells a 403 without scope headers (e.g. an archived repository) from a missing scope', () => {
    const err = githubError(
      {
        status: 403,
        message: 'x',
        response: { headers: {}, data: { message: 'Repository was archived so is read-only.' } },
      },
      { action: 'put secret A', target: 'repository o/r' },
    );
    expect(err).toMatchObject({
      type: 'permission',
      message:
        "GitHub refused to put secret A on repository o/r (403 Repository was archived so is read-only.): check the token's access",
    });
  });

  it('maps 409 to conflict with GitHub message', () => {
    const err = githubError(
      {
        status: 409,
        message: 'x',
        response: { headers: {}, data: { message: 'Cannot cancel a workflow run that is completed.' } },
      },
      { action: 'cancel workflow run 1', target: 'repository o/r' },
    );
    expect(err).toMatchObject({
      type: 'conflict',
      message:
        'GitHub refused to cancel workflow run 1 on repository o/r (409): Cannot cancel a workflow run that is completed.',
    });
  });
});
