/** The surrogate itself: its contract checks catch what they must, and its state behaves like GitHub's. */
import { sealTo } from '../../../src/credentials/sealed-box';
import { githubOpenApi } from './openapi-validator';
import { GitHubSurrogate } from './server';
import type { Account, Repository } from './state';

let gh: GitHubSurrogate;
let user: Account;
let repo: Repository;

beforeEach(async () => {
  gh = await GitHubSurrogate.start();
  user = gh.addAccount('mona');
  repo = gh.addRepo(user, 'app');
});
afterEach(async () => {
  await gh.close();
});

const call = (method: string, path: string, body?: unknown, token: string | null = user.token) =>
  fetch(`${gh.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `token ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('GitHub surrogate contract checks', () => {
  it('records a request to a path GitHub does not have, and expectNoViolations fails with it', async () => {
    const res = await call('GET', '/repos/mona/app/no-such-thing');
    expect(res.status).toBe(404);
    expect(gh.violations()).toEqual([
      "request GET /repos/mona/app/no-such-thing: no such operation in GitHub's OpenAPI description",
    ]);
    expect(() => gh.expectNoViolations()).toThrow(/1 OpenAPI\/contract violation/);
    expect(gh.violations()).toEqual([]);
  });

  it('records a body that breaks the operation schema and an unknown query parameter', async () => {
    await call('PUT', '/repos/mona/app/actions/secrets/X?force=1', { encrypted_value: 'not base64!' });
    expect(gh.violations()).toEqual(
      expect.arrayContaining([
        'request PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}: unknown query parameter force',
        expect.stringMatching(
          /^request PUT \/repos\/\{owner\}\/\{repo\}\/actions\/secrets\/\{secret_name\} body: \(root\) must have required property 'key_id'/,
        ),
        expect.stringMatching(/body: \/encrypted_value must match pattern/),
      ]),
    );
    gh.expectNoViolations = () => undefined; // this test inspected them
  });

  it('checks responses against the schema of their status, and undocumented errors against basic-error', () => {
    const validator = githubOpenApi();
    const match = validator.match('get', '/repos/mona/app/actions/runs/1');
    if (!match) throw new Error('no match');
    expect(validator.validateResponse(match, 200, { id: 1 })[0]).toMatch(
      /^response 200 to GET \/repos\/\{owner\}\/\{repo\}\/actions\/runs\/\{run_id\}: \(root\) must have required property/,
    );
    expect(validator.validateResponse(match, 201, {})).toEqual([
      'response 201 to GET /repos/{owner}/{repo}/actions/runs/{run_id}: status not documented (documented: 200)',
    ]);
    expect(validator.validateResponse(match, 500, { message: 3 })).toEqual([
      'response 500 to GET /repos/{owner}/{repo}/actions/runs/{run_id}: /message must be string {"type":"string"}',
    ]);
  });

  it('refuses a secret not sealed to the key it names, recording the violation', async () => {
    const other = await GitHubSurrogate.start();
    const wrongKey = other.state.keyPair();
    await other.close();
    const res = await call('PUT', '/repos/mona/app/actions/secrets/X', {
      encrypted_value: await sealTo(wrongKey.key, 'v'),
      key_id: repo.key.key_id,
    });
    expect(res.status).toBe(422);
    expect(gh.violations()).toEqual([
      `PUT secret X in repo:mona/app: encrypted_value does not open with key ${repo.key.key_id} (not sealed to that public key)`,
    ]);
    expect(repo.secrets.size).toBe(0);
    gh.expectNoViolations = () => undefined;
  });
});

describe('GitHub surrogate behaviour', () => {
  afterEach(() => {
    gh.expectNoViolations();
  });

  it('answers 401 without a token or with an unknown one', async () => {
    expect((await call('GET', '/user', undefined, null)).status).toBe(401);
    const res = await call('GET', '/user', undefined, 'ghp_nope');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: 'Bad credentials' });
  });

  it('reports the scopes and rate limit of a token in headers, /user and /rate_limit', async () => {
    const res = await call('GET', '/user');
    expect(res.headers.get('x-oauth-scopes')).toBe('repo, workflow');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('4999');
    expect(await res.json()).toMatchObject({ login: 'mona' });
    const limits = (await (await call('GET', '/rate_limit')).json()) as {
      resources: { core: { remaining: number; used: number } };
    };
    expect(limits.resources.core).toMatchObject({ remaining: 4999, used: 1 });
  });

  it('stores secrets as the ciphertext received, with created_at and updated_at, 201 then 204', async () => {
    const put = async (value: string) =>
      call('PUT', '/repos/mona/app/actions/secrets/token', {
        encrypted_value: await sealTo(repo.key.key, value),
        key_id: repo.key.key_id,
      });
    expect((await put('one')).status).toBe(201);
    expect((await put('two')).status).toBe(204);
    expect(gh.secretValue(repo, 'TOKEN')).toBe('two');
    expect(gh.writes(repo, 'TOKEN').map((w) => w.value)).toEqual(['one', 'two']);
    const meta = await (await call('GET', '/repos/mona/app/actions/secrets/TOKEN')).json();
    expect(meta).toEqual({
      name: 'TOKEN',
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
    });
  });

  it('runs a dispatched workflow queued → in_progress → completed, and cancels only unfinished runs', async () => {
    gh.addWorkflow(repo, 'ci.yml', { queued_ms: 100, running_ms: 200 });
    const res = await call('POST', '/repos/mona/app/actions/workflows/ci.yml/dispatches', {
      ref: 'main',
      return_run_details: true,
    });
    expect(res.status).toBe(200);
    const { workflow_run_id: id } = (await res.json()) as { workflow_run_id: number };
    const status = async () =>
      (await (await call('GET', `/repos/mona/app/actions/runs/${id}`)).json()) as {
        status: string;
        conclusion: string | null;
      };
    expect(await status()).toMatchObject({ status: 'queued', conclusion: null });
    await new Promise((r) => setTimeout(r, 150));
    expect(await status()).toMatchObject({ status: 'in_progress', conclusion: null });
    await new Promise((r) => setTimeout(r, 250));
    expect(await status()).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect((await call('POST', `/repos/mona/app/actions/runs/${id}/cancel`)).status).toBe(409);
    expect((await call('POST', '/repos/mona/app/actions/workflows/ci.yml/dispatches', { ref: 'main' })).status).toBe(
      204,
    );
  });

  it('injects faults before processing, at most count times, with rate-limit headers', async () => {
    gh.inject({ kind: 'rate_limit_403', method: 'GET', path: /^\/user$/, count: 1, reset_in_ms: 5_000 });
    const limited = await call('GET', '/user');
    expect(limited.status).toBe(403);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 4);
    expect((await call('GET', '/user')).status).toBe(200);

    gh.inject({ kind: 'drop', method: 'PUT', count: 1 });
    await expect(
      call('PUT', '/repos/mona/app/actions/secrets/A', {
        encrypted_value: await sealTo(repo.key.key, 'x'),
        key_id: repo.key.key_id,
      }),
    ).rejects.toThrow();
    expect(repo.secrets.size).toBe(0);
    expect(gh.faults.fired).toEqual(
      new Map([
        ['rate_limit_403', 1],
        ['drop', 1],
      ]),
    );
  });
});
