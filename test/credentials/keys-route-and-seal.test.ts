import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import request from 'supertest';
import { ApiKeyIndex } from '../../src/api/auth/api-key-index';
import { toRouter } from '../../src/api/openapi/router';
import { keysOperations, publicKeyResponseSchema } from '../../src/api/routes/keys';
import { SEALED_PURPOSES, type SealedUse } from '../../src/credentials/sealed-envelope';
import { ServiceKey } from '../../src/credentials/service-key';
import { parseArgs } from '../../scripts/seal';

const run = promisify(execFile);
const TSX = join(__dirname, '../../node_modules/.bin/tsx');
const SEAL = join(__dirname, '../../scripts/seal.ts');

let dir: string;
let keyring: ServiceKey;
let app: express.Express;
const API_KEY = 'k'.repeat(32);
const PAT: SealedUse = { field: 'credentials.github.encrypted_pat', purpose: 'github_token', tenant: null };
const forTenant = (tenant: string | null): SealedUse => ({ ...PAT, tenant });

/** Runs `body` against the keys route listening on a local port, given its URL. */
async function listening<T>(body: (url: string) => Promise<T>): Promise<T> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return await body(`http://127.0.0.1:${address.port}/`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keys-route-'));
  keyring = await ServiceKey.load({ dataDir: dir });
  app = express();
  // With API keys configured the public key still needs none.
  app.use(toRouter(new ApiKeyIndex([{ key: API_KEY, tenant: 't', role: 'read' }]), keysOperations(keyring)));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('GET /keys/public', () => {
  it('publishes the public key, its id, the algorithm and the purposes without an API key (no tenant)', async () => {
    const response = await request(app).get('/keys/public').expect(200);
    expect(response.body).toEqual({
      public_key: keyring.publicKey,
      key_id: keyring.keyId,
      algorithm: 'x25519-xsalsa20-poly1305 (NaCl sealed box)',
      tenant: null,
      purposes: [
        'aws_secret_access_key',
        'aws_session_token',
        'github_token',
        'slack_webhook_url',
        'slack_bot_token',
        'secret_value',
      ],
    });
    expect(publicKeyResponseSchema.parse(response.body)).toEqual(response.body);
  });

  it('names the tenant of a valid API key (any role), and none for an unknown key', async () => {
    const tenantWith = async (key: string) =>
      (await request(app).get('/keys/public').set('x-api-key', key).expect(200)).body.tenant as unknown;
    expect(await tenantWith(API_KEY)).toBe('t');
    expect(await tenantWith('u'.repeat(32))).toBeNull();
  });
});

describe('npm run seal', () => {
  it('without --purpose seals an unbound value to the key a running service publishes, and says tenants need --purpose', async () => {
    const { stdout, stderr } = await listening((url) => run(TSX, [SEAL, '--url', url, 'ghp_sealed by url']));
    await expect(keyring.open(stdout.trim(), PAT)).resolves.toBe('ghp_sealed by url');
    await expect(keyring.open(stdout.trim(), forTenant('t'))).rejects.toThrow('sealed without a tenant');
    expect(stderr).toContain('seal: sealed without --purpose (unbound): a service with API_KEYS refuses it');
  });

  it('with --api-key and --purpose binds the value to the tenant GET /keys/public names for that key', async () => {
    const { stdout, stderr } = await listening((url) =>
      run(TSX, [SEAL, '--url', url, '--api-key', API_KEY, '--purpose', 'github_token', 'ghp_bound']),
    );
    expect(stderr).toBe('');
    await expect(keyring.open(stdout.trim(), forTenant('t'))).resolves.toBe('ghp_bound');
    await expect(keyring.open(stdout.trim(), forTenant('other'))).rejects.toThrow('sealed for another tenant');
    await expect(keyring.open(stdout.trim(), { ...forTenant('t'), purpose: 'secret_value' })).rejects.toThrow(
      'sealed as github_token, used as secret_value',
    );
  });

  it('takes the API key from MGRAPH_API_KEY, and warns when the service names no tenant for it', async () => {
    const fromEnv = await listening((url) =>
      run(TSX, [SEAL, '--url', url, '--purpose', 'slack_webhook_url', 'https://hooks.example/x'], {
        env: { ...process.env, MGRAPH_API_KEY: API_KEY },
      }),
    );
    const webhook = { field: 'credentials.slack.encrypted_webhook_url', purpose: 'slack_webhook_url' } as const;
    await expect(keyring.open(fromEnv.stdout.trim(), { ...webhook, tenant: 't' })).resolves.toBe(
      'https://hooks.example/x',
    );
    const unknownKey = await listening((url) =>
      run(TSX, [SEAL, '--url', url, '--api-key', 'u'.repeat(32), '--purpose', 'github_token', 'ghp_x']),
    );
    expect(unknownKey.stderr).toContain('seal: GET /keys/public named no tenant for this API key');
    await expect(keyring.open(unknownKey.stdout.trim(), forTenant(null))).resolves.toBe('ghp_x');
  });

  it('seals a value read from stdin offline, for the --tenant given, to a key given on the command line', async () => {
    const child = run(TSX, [SEAL, '--key', keyring.publicKey, '--tenant', 't', '--purpose', 'github_token']);
    child.child.stdin?.end('from-stdin\n');
    const { stdout } = await child;
    await expect(keyring.open(stdout.trim(), forTenant('t'))).resolves.toBe('from-stdin');
    await expect(keyring.open(stdout.trim(), forTenant(null))).rejects.toThrow('sealed for another tenant');
  });

  it('explains its usage when the key source is missing, doubled or a value is extra', () => {
    expect(() => parseArgs(['v'])).toThrow('give exactly one of --key or --url');
    expect(() => parseArgs(['--key', 'a', '--url', 'b', 'v'])).toThrow('give exactly one of --key or --url');
    expect(() => parseArgs(['--key', 'a', 'one', 'two'])).toThrow(
      'unexpected argument (quote a value that has spaces)',
    );
    expect(() => parseArgs(['--key'])).toThrow('--key needs a value');
    expect(parseArgs(['--key', 'a', 'v'])).toEqual({ key: 'a', value: 'v' });
  });

  it('explains what goes with what: a known --purpose, --tenant with --key, --api-key with --url, both with --purpose', () => {
    expect(() => parseArgs(['--key', 'a', '--purpose', 'pat', 'v'])).toThrow(
      `--purpose must be one of ${SEALED_PURPOSES.join(', ')}`,
    );
    expect(() => parseArgs(['--url', 'u', '--tenant', 't', '--purpose', 'github_token', 'v'])).toThrow(
      '--tenant goes with --key; with --url the tenant is the one of --api-key',
    );
    expect(() => parseArgs(['--key', 'a', '--api-key', 'k', '--purpose', 'github_token', 'v'])).toThrow(
      '--api-key goes with --url',
    );
    expect(() => parseArgs(['--key', 'a', '--tenant', 't', 'v'])).toThrow(
      'a value sealed for a tenant needs --purpose',
    );
    expect(parseArgs(['--url', 'u', '--api-key', 'k', '--purpose', 'secret_value', 'v'])).toEqual({
      url: 'u',
      apiKey: 'k',
      purpose: 'secret_value',
      value: 'v',
    });
  });

  it('fails with a message, not a stack, when the service cannot be reached', async () => {
    const failed = await run(TSX, [SEAL, '--url', 'http://127.0.0.1:1', 'x']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(
      /^seal: could not reach http:\/\/127\.0\.0\.1:1\/keys\/public: /,
    );
  });
});
