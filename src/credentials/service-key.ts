/**
 * The service's X25519 key pair. Clients seal credentials and secret values to its public key
 * (`GET /keys/public`), bound to a tenant and a purpose (sealed-envelope.ts); they are opened in
 * memory, at the moment of use, for the tenant of the run or request that uses them.
 * The private key comes from SERVICE_PRIVATE_KEY, else from `<dataDir>/service-key.json`, else it
 * is generated once and written there with 0600 permissions.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fromBase64, nacl, toBase64 } from './sealed-box';
import { valueFor, type SealedUse, type UnboundPolicy } from './sealed-envelope';
import { NOT_SEALED_TO_US, UnsealError } from './unseal-error';

export const SERVICE_KEY_FILE = 'service-key.json';

interface KeyFile {
  readonly algorithm: 'x25519';
  readonly public_key: string;
  readonly private_key: string;
}

export interface ServiceKeyOptions {
  /** SERVICE_PRIVATE_KEY: a 32-byte X25519 private key, base64. */
  readonly privateKey?: string | undefined;
  readonly dataDir: string;
  /** ALLOW_UNBOUND_SEALED_VALUES: values sealed without a tenant open for tenants too (a migration aid). */
  readonly allowUnbound?: boolean | undefined;
  /** Where the one warning goes when an unbound value first opens for a tenant; default: stderr. */
  readonly warn?: ((message: string) => void) | undefined;
}

export class ServiceKeyError extends Error {
  override readonly name = 'ServiceKeyError';
}

async function privateKeyBytes(options: ServiceKeyOptions): Promise<Uint8Array> {
  const na = await nacl();
  const decode = (text: string, source: string): Uint8Array => {
    const bytes = fromBase64(text);
    if (!bytes || bytes.length !== na.crypto_box_SECRETKEYBYTES) {
      throw new ServiceKeyError(
        `${source} is not an X25519 private key: expected ${na.crypto_box_SECRETKEYBYTES} bytes in base64`,
      );
    }
    return bytes;
  };
  if (options.privateKey !== undefined) return decode(options.privateKey, 'SERVICE_PRIVATE_KEY');

  const file = join(options.dataDir, SERVICE_KEY_FILE);
  const existing = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (existing !== null) {
    let parsed: Partial<KeyFile>;
    try {
      parsed = JSON.parse(existing) as Partial<KeyFile>;
    } catch {
      throw new ServiceKeyError(`${file} is not valid JSON`);
    }
    return decode(parsed.private_key ?? '', `${file} (private_key)`);
  }

  const pair = na.crypto_box_keypair();
  const content: KeyFile = {
    algorithm: 'x25519',
    public_key: toBase64(pair.publicKey),
    private_key: toBase64(pair.privateKey),
  };
  await mkdir(options.dataDir, { recursive: true });
  // `wx`: two processes starting together must not overwrite each other's key.
  const written = await writeFile(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' }).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') return false;
      throw err;
    },
  );
  if (!written) return privateKeyBytes(options);
  await chmod(file, 0o600); // the umask may have narrowed `mode`; never widened, but be explicit
  return pair.privateKey;
}

/** The unbound-value policy of one key: told once, the first time an unbound value opens for a tenant. */
function unboundPolicy(options: ServiceKeyOptions): UnboundPolicy {
  const warn = options.warn ?? ((message: string) => console.warn(message));
  let told = false;
  return {
    allowed: options.allowUnbound ?? false,
    warn(field, tenant) {
      if (told) return;
      told = true;
      warn(
        `ALLOW_UNBOUND_SEALED_VALUES: ${field}, sealed without a tenant, was opened for tenant ${tenant} (said once); seal such values again with npm run seal -- --purpose, then unset it`,
      );
    },
  };
}

export class ServiceKey {
  private constructor(
    private readonly privateKey: Uint8Array,
    private readonly publicKeyBytes: Uint8Array,
    private readonly unbound: UnboundPolicy,
  ) {}

  static async load(options: ServiceKeyOptions): Promise<ServiceKey> {
    const na = await nacl();
    const privateKey = await privateKeyBytes(options);
    return new ServiceKey(privateKey, na.crypto_scalarmult_base(privateKey), unboundPolicy(options));
  }

  /** The public key, base64: what clients seal to. */
  get publicKey(): string {
    return toBase64(this.publicKeyBytes);
  }

  /** A short id of the public key (first 16 hex digits of its SHA-256), to tell keys apart. */
  get keyId(): string {
    return createHash('sha256').update(this.publicKeyBytes).digest('hex').slice(0, 16);
  }

  /**
   * Opens a value sealed to this service for `use`: its tenant and purpose (valueFor's rule), its
   * field named in errors (never the value), e.g. `credentials.github.encrypted_pat`. Throws
   * UnsealError (invalid_input, not retryable).
   */
  async open(sealed: string, use: SealedUse): Promise<string> {
    const { field } = use;
    const na = await nacl();
    const bytes = fromBase64(sealed);
    if (!bytes) throw new UnsealError(field, 'not base64 (seal it with npm run seal)');
    if (bytes.length < na.crypto_box_SEALBYTES)
      throw new UnsealError(field, `too short for a sealed box (${bytes.length} bytes)`);
    let opened: Uint8Array;
    try {
      opened = na.crypto_box_seal_open(bytes, this.publicKeyBytes, this.privateKey);
    } catch {
      throw new UnsealError(field, NOT_SEALED_TO_US);
    }
    return valueFor(na.to_string(opened), use, this.unbound);
  }
}
