/**
 * Sealed values bound to a tenant and a purpose: the service key opens a bound value only for its
 * own tenant and purpose, an unbound one only without a tenant (or with ALLOW_UNBOUND_SEALED_VALUES),
 * and names the field in every refusal, never the value nor the tenant it was sealed for.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealTo } from '../../src/credentials/sealed-box';
import { envelope, type SealedBinding, type SealedUse } from '../../src/credentials/sealed-envelope';
import { ServiceKey } from '../../src/credentials/service-key';
import { UnsealError } from '../../src/credentials/unseal-error';

const SECRET = 'ghp_envelope-canary-0123456789';
const PAT = 'credentials.github.encrypted_pat';
const patFor = (tenant: string | null): SealedUse => ({ field: PAT, purpose: 'github_token', tenant });

let dir: string;
let keyring: ServiceKey;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'envelope-'));
  keyring = await ServiceKey.load({ dataDir: dir });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sealFor = (binding: SealedBinding, value = SECRET) => sealTo(keyring.publicKey, envelope(binding, value));

/** The refusal of opening `sealed` as `use`, checked to name the field and to show neither the value nor the binding's tenant. */
async function refusal(sealed: string, use: SealedUse, opener: ServiceKey = keyring): Promise<string> {
  const error = await opener.open(sealed, use).then(
    () => {
      throw new Error('it opened');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnsealError);
  expect(error).toMatchObject({ type: 'invalid_input', retryable: false, field: use.field });
  const shown = `${String(error)} ${JSON.stringify(error)}`;
  for (const hidden of [SECRET, sealed, 'tenant-a']) expect(shown).not.toContain(hidden);
  return (error as Error).message;
}

describe('a bound sealed value', () => {
  it('opens for its own tenant and purpose, and for none when bound to none', async () => {
    await expect(
      keyring.open(await sealFor({ tenant: 'tenant-a', purpose: 'github_token' }), patFor('tenant-a')),
    ).resolves.toBe(SECRET);
    await expect(keyring.open(await sealFor({ tenant: null, purpose: 'github_token' }), patFor(null))).resolves.toBe(
      SECRET,
    );
  });

  it('is refused for another tenant, and without tenants, not naming the tenant it was sealed for', async () => {
    const sealed = await sealFor({ tenant: 'tenant-a', purpose: 'github_token' });
    expect(await refusal(sealed, patFor('tenant-b'))).toBe(`${PAT} could not be opened: sealed for another tenant`);
    expect(await refusal(sealed, patFor(null))).toBe(`${PAT} could not be opened: sealed for another tenant`);
  });

  it('is refused for another purpose, naming both', async () => {
    const sealed = await sealFor({ tenant: 'tenant-b', purpose: 'secret_value' });
    expect(await refusal(sealed, patFor('tenant-b'))).toBe(
      `${PAT} could not be opened: sealed as secret_value, used as github_token`,
    );
  });

  it('bound to no tenant is refused for a tenant, with the command that seals it for one', async () => {
    const sealed = await sealFor({ tenant: null, purpose: 'github_token' });
    expect(await refusal(sealed, patFor('tenant-b'))).toBe(
      `${PAT} could not be opened: sealed without a tenant: seal it again with npm run seal -- --url <api> --api-key <key> --purpose github_token`,
    );
  });

  it('is refused when its envelope is malformed, even where unbound values open', async () => {
    const malformed = [
      { mgraph_sealed: 2, tenant: null, purpose: 'github_token', value: SECRET },
      { mgraph_sealed: 1, tenant: 7, purpose: 'github_token', value: SECRET },
      { mgraph_sealed: 1, tenant: null, purpose: 'pat', value: SECRET },
      { mgraph_sealed: 1, tenant: null, purpose: 'github_token' },
      { mgraph_sealed: 1, tenant: null, purpose: 'github_token', value: { nested: SECRET } },
    ];
    for (const content of malformed) {
      expect(await refusal(await sealTo(keyring.publicKey, JSON.stringify(content)), patFor(null))).toBe(
        `${PAT} could not be opened: a malformed envelope (it needs mgraph_sealed 1, a tenant string or null, a known purpose and a string value): seal it again with npm run seal`,
      );
    }
  });
});

describe('an unbound sealed value', () => {
  it('opens without a tenant (no API_KEYS), JSON and text alike', async () => {
    await expect(keyring.open(await sealTo(keyring.publicKey, SECRET), patFor(null))).resolves.toBe(SECRET);
    const json = '{"client_id":"x","tenant":"tenant-a"}';
    await expect(keyring.open(await sealTo(keyring.publicKey, json), patFor(null))).resolves.toBe(json);
    await expect(keyring.open(await sealTo(keyring.publicKey, '{not json'), patFor(null))).resolves.toBe('{not json');
  });

  it('is refused for a tenant, with the command that seals it for one', async () => {
    const sealed = await sealTo(keyring.publicKey, SECRET);
    expect(
      await refusal(sealed, {
        field: 'credentials.aws.encrypted_secret_access_key',
        purpose: 'aws_secret_access_key',
        tenant: 'tenant-b',
      }),
    ).toBe(
      'credentials.aws.encrypted_secret_access_key could not be opened: sealed without a tenant: seal it again with npm run seal -- --url <api> --api-key <key> --purpose aws_secret_access_key',
    );
  });

  it('opens for a tenant with ALLOW_UNBOUND_SEALED_VALUES, said once in the log; bound values are still checked', async () => {
    const warnings: string[] = [];
    const migrating = await ServiceKey.load({
      dataDir: dir,
      allowUnbound: true,
      warn: (message) => warnings.push(message),
    });
    const sealed = await sealTo(migrating.publicKey, SECRET);
    await expect(migrating.open(sealed, patFor('tenant-b'))).resolves.toBe(SECRET);
    await expect(migrating.open(sealed, patFor('tenant-c'))).resolves.toBe(SECRET);
    expect(warnings).toEqual([
      `ALLOW_UNBOUND_SEALED_VALUES: ${PAT}, sealed without a tenant, was opened for tenant tenant-b (said once); seal such values again with npm run seal -- --purpose, then unset it`,
    ]);
    const others = await sealFor({ tenant: 'tenant-a', purpose: 'github_token' });
    expect(await refusal(others, patFor('tenant-b'), migrating)).toBe(
      `${PAT} could not be opened: sealed for another tenant`,
    );
    expect(warnings.join('\n')).not.toContain(SECRET);
  });
});
