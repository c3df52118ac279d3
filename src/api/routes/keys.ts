/** `GET /keys/public`: the key clients seal credentials and secret values to (DESIGN.md §5). */
import { z } from 'zod';
import type { ServiceKey } from '../../credentials/service-key';
import { SEALED_BOX_ALGORITHM } from '../../credentials/sealed-box';
import { SEALED_PURPOSES } from '../../credentials/sealed-envelope';
import { defineOperation, type Operation } from '../openapi/operation';

export const publicKeyResponseSchema = z
  .object({
    public_key: z.string().meta({ description: "The service's X25519 public key, standard base64 (32 bytes)" }),
    key_id: z
      .string()
      .meta({ description: 'First 16 hex digits of the SHA-256 of the public key', example: '3f9a0c1d2e4b5a67' }),
    algorithm: z.literal(SEALED_BOX_ALGORITHM),
    tenant: z.string().nullable().meta({
      description:
        'The tenant of the API key presented with this request, which values sealed for it are bound to; null without a valid key (and without API_KEYS, where runs have no tenant)',
      example: 'acme',
    }),
    purposes: z.array(z.enum(SEALED_PURPOSES)).meta({
      description: 'What a sealed value can be bound to: the `purpose` of its envelope (docs/how-to/credentials.md)',
    }),
  })
  .meta({ id: 'PublicKey' });

export function keysOperations(keyring: Pick<ServiceKey, 'publicKey' | 'keyId'>): Operation[] {
  return [
    defineOperation({
      method: 'get',
      path: '/keys/public',
      summary: "The service's public key: seal credentials and secret values to it (npm run seal)",
      description:
        'No key needed. With an API key, `tenant` says which tenant values are sealed for. Seal the envelope `{"mgraph_sealed":1,"tenant":<tenant>,"purpose":<purpose>,"value":<secret>}` with libsodium crypto_box_seal (or `npm run seal -- --url <service> --api-key <key> --purpose <purpose> <value>`) and send the base64 result in `encrypted_*` fields.',
      tag: 'keys',
      access: 'public',
      responses: { 200: { description: 'The public key', schema: publicKeyResponseSchema } },
      handle({ principal }) {
        return Promise.resolve({
          status: 200,
          body: {
            public_key: keyring.publicKey,
            key_id: keyring.keyId,
            algorithm: SEALED_BOX_ALGORITHM,
            // A caller without a valid key (while API_KEYS is set) is anonymous: tenant ''.
            tenant: principal.tenant === '' ? null : principal.tenant,
            purposes: [...SEALED_PURPOSES],
          },
        });
      },
    }),
  ];
}
