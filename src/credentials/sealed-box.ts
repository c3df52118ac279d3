/**
 * NaCl sealed boxes (X25519 + XSalsa20-Poly1305, libsodium's crypto_box_seal), the format the
 * service's clients and GitHub's secrets API both use. Values travel as standard base64.
 */
import sodium from 'libsodium-wrappers';

export const SEALED_BOX_ALGORITHM = 'x25519-xsalsa20-poly1305 (NaCl sealed box)';

/** libsodium, initialised once. */
export async function nacl(): Promise<typeof sodium> {
  await sodium.ready;
  return sodium;
}

/** Strict standard base64 → bytes, or null when the text is not base64. */
export function fromBase64(text: string): Uint8Array | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(trimmed)) return null;
  return new Uint8Array(Buffer.from(trimmed, 'base64'));
}

export const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** Seals `plaintext` to an X25519 public key (base64): only that key's owner can open it. */
export async function sealTo(publicKeyBase64: string, plaintext: string): Promise<string> {
  const na = await nacl();
  const key = fromBase64(publicKeyBase64);
  if (!key || key.length !== na.crypto_box_PUBLICKEYBYTES) {
    throw new Error(`not an X25519 public key: expected ${na.crypto_box_PUBLICKEYBYTES} bytes in base64`);
  }
  return toBase64(na.crypto_box_seal(na.from_string(plaintext), key));
}
