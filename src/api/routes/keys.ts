/** `GET /keys/public`: the key clients seal credentials and secret values to (DESIGN.md §5). */
import { z } from 'zod';
import type { ServiceKey } from '../../credentials/service-key';
import { SEALED_BOX_ALGORITHM } from '../../credentials/sealed-box';
import { defineOperation, type Operation } from '../openapi/operation';

export const publicKeyResponseSchema = z
  .object({
    public_key: z.string().meta({ description: "The service's X25519 public key, standard base64 (32 bytes)" }),
    key_id: z
      .string()
      .meta({ description: 'First 16 hex digits of the SHA-256 of the public key', example: '3f9a0c1d2e4b5a67' }),
    algorithm: z.literal(SEALED_BOX_ALGORITHM),
  })
  .meta({ id: 'PublicKey' });

export function keysOperations(keyring: Pick<ServiceKey, 'publicKey' | 'keyId'>): Operation[] {
  return [
    defineOperation({
      method: 'get',
      path: '/keys/public',
      summary: "The service's public key: seal credentials and secret values to it (npm run seal)",
      description:
        'Seal with libsodium crypto_box_seal (or `npm run seal -- --url <service> <value>`) and send the base64 result in `encrypted_*` fields.',
      tag: 'keys',
      access: 'public',
      responses: { 200: { description: 'The public key', schema: publicKeyResponseSchema } },
      handle() {
        return Promise.resolve({
          status: 200,
          body: { public_key: keyring.publicKey, key_id: keyring.keyId, algorithm: SEALED_BOX_ALGORITHM },
        });
      },
    }),
  ];
}
