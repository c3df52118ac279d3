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
import { ServiceKey } from '../../src/credentials/service-key';
import { parseArgs } from '../../scripts/seal';

const run = promisify(execFile);
const TSX = join(__dirname, '../../node_modules/.bin/tsx');
const SEAL = join(__dirname, '../../scripts/seal.ts');

let dir: string;
let keyring: ServiceKey;
let app: express.Express;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keys-route-'));
  keyring = await ServiceKey.load({ dataDir: dir });
  app = express();
  // With API keys configured the public key still needs none.
  app.use(toRouter(new ApiKeyIndex([{ key: 'k'.repeat(32), tenant: 't', role: 'admin' }]), keysOperations(keyring)));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('GET /keys/public', () => {
  it('publishes the public key, its id and the algorithm without an API key', async () => {
    const response = await request(app).get('/keys/public').expect(200);
    expect(response.body).toEqual({
      public_key: keyring.publicKey,
      key_id: keyring.keyId,
      algorithm: 'x25519-xsalsa20-poly1305 (NaCl sealed box)',
    });
    expect(publicKeyResponseSchema.parse(response.body)).toEqual(response.body);
  });
});

describe('npm run seal', () => {
  it('seals a value to the key a running service publishes, and the service opens it', async () => {
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      const { stdout } = await run(TSX, [SEAL, '--url', `http://127.0.0.1:${address.port}/`, 'ghp_sealed by url']);
      await expect(keyring.open(stdout.trim())).resolves.toBe('ghp_sealed by url');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('seals a value read from stdin to a key given on the command line', async () => {
    const child = run(TSX, [SEAL, '--key', keyring.publicKey]);
    child.child.stdin?.end('from-stdin\n');
    const { stdout } = await child;
    await expect(keyring.open(stdout.trim())).resolves.toBe('from-stdin');
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
