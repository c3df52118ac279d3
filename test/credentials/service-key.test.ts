import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceKey, ServiceKeyError, SERVICE_KEY_FILE } from '../../src/credentials/service-key';
import { nacl, sealTo, toBase64 } from '../../src/credentials/sealed-box';
import { UnsealError } from '../../src/credentials/unseal-error';
import { OperationError } from '../../src/providers/operation-error';

const PAT = { field: 'credentials.github.encrypted_pat', purpose: 'github_token', tenant: null } as const;
const VALUE = { field: 'properties.encrypted_value', purpose: 'secret_value', tenant: null } as const;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keyring-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ServiceKey', () => {
  it('generates a key pair once into the data folder with 0600 permissions and reuses it', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = await ServiceKey.load({ dataDir });
    const file = join(dataDir, SERVICE_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const second = await ServiceKey.load({ dataDir });
    expect(second.publicKey).toBe(first.publicKey);
    expect(second.keyId).toBe(first.keyId);
    expect(first.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      algorithm: 'x25519',
      public_key: first.publicKey,
    });
  });

  it('uses SERVICE_PRIVATE_KEY when given and writes no file', async () => {
    const na = await nacl();
    const pair = na.crypto_box_keypair();
    const keyring = await ServiceKey.load({ privateKey: toBase64(pair.privateKey), dataDir: dir });
    expect(keyring.publicKey).toBe(toBase64(pair.publicKey));
    await expect(stat(join(dir, SERVICE_KEY_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('refuses a SERVICE_PRIVATE_KEY that is not a 32-byte key without echoing it', async () => {
    const load = ServiceKey.load({ privateKey: 'c2hvcnQta2V5', dataDir: dir });
    await expect(load).rejects.toThrow(ServiceKeyError);
    await expect(load).rejects.toThrow('SERVICE_PRIVATE_KEY is not an X25519 private key: expected 32 bytes in base64');
    await expect(load).rejects.not.toThrow(/c2hvcnQta2V5/);
  });

  it('refuses a key file that is not JSON, naming the file', async () => {
    await writeFile(join(dir, SERVICE_KEY_FILE), 'garbage');
    await expect(ServiceKey.load({ dataDir: dir })).rejects.toThrow(`${join(dir, SERVICE_KEY_FILE)} is not valid JSON`);
  });

  it('opens what was sealed to its public key', async () => {
    const keyring = await ServiceKey.load({ dataDir: dir });
    const sealed = await sealTo(keyring.publicKey, 'ghp_canary-ü-value');
    expect(sealed).not.toContain('canary');
    await expect(keyring.open(sealed, PAT)).resolves.toBe('ghp_canary-ü-value');
  });

  it('names the field but never the value when a value was sealed to another key', async () => {
    const keyring = await ServiceKey.load({ dataDir: dir });
    const other = await ServiceKey.load({ dataDir: join(dir, 'other') });
    const sealed = await sealTo(other.publicKey, 'ghp_SECRET_CANARY');
    const error = await keyring.open(sealed, PAT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsealError);
    expect(error).toBeInstanceOf(OperationError);
    expect(error).toMatchObject({
      type: 'invalid_input',
      retryable: false,
      field: 'credentials.github.encrypted_pat',
      message:
        "credentials.github.encrypted_pat could not be opened: not sealed to this service's public key (GET /keys/public)",
    });
    expect(JSON.stringify(error) + String(error)).not.toContain(sealed);
  });

  it('rejects plaintext and truncated boxes with a reason, never echoing them', async () => {
    const keyring = await ServiceKey.load({ dataDir: dir });
    await expect(keyring.open('plain text pat!', VALUE)).rejects.toThrow(
      'properties.encrypted_value could not be opened: not base64 (seal it with npm run seal)',
    );
    await expect(keyring.open('AAAA', VALUE)).rejects.toThrow(
      'properties.encrypted_value could not be opened: too short for a sealed box (3 bytes)',
    );
  });

  it('refuses to seal to something that is not a public key', async () => {
    await expect(sealTo('AAAA', 'x')).rejects.toThrow('not an X25519 public key: expected 32 bytes in base64');
  });
});
