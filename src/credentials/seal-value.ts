/**
 * Sealing a value for a service, as its clients do (`npm run seal`, `deployctl seal`): the key the
 * service publishes (GET /keys/public, with the tenant of the API key sent), and what is sealed to
 * it: the value's envelope for that tenant and a purpose, or without a purpose the bare value.
 */
import { sealTo } from './sealed-box';
import { envelope, type SealedPurpose } from './sealed-envelope';

/** The key to seal to, and the tenant a bound value is for (null: none). */
export interface SealTarget {
  readonly publicKey: string;
  readonly tenant: string | null;
}

/** GET /keys/public of the service at `url`; with an API key, its tenant. */
export async function fetchPublishedKey(url: string, apiKey: string | undefined): Promise<SealTarget> {
  const address = `${url.replace(/\/+$/, '')}/keys/public`;
  const response = await fetch(address, apiKey ? { headers: { 'x-api-key': apiKey } } : {}).catch((err: unknown) => {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new Error(`could not reach ${address}: ${cause ?? (err instanceof Error ? err.message : String(err))}`);
  });
  if (!response.ok) throw new Error(`${address} answered ${response.status}`);
  const body = (await response.json()) as { public_key?: unknown; tenant?: unknown };
  if (typeof body.public_key !== 'string') throw new Error(`${address} returned no public_key`);
  return { publicKey: body.public_key, tenant: typeof body.tenant === 'string' ? body.tenant : null };
}

export interface SealRequest {
  readonly value: string;
  /** Without one, the bare value is sealed (unbound). */
  readonly purpose?: SealedPurpose | undefined;
  /** An API key was sent to GET /keys/public (so a target without a tenant is worth a warning). */
  readonly apiKeySent?: boolean;
}

/** The base64 sealed value, and warnings about what it binds to, for stderr. */
export async function sealValue(
  target: SealTarget,
  request: SealRequest,
): Promise<{ sealed: string; warnings: string[] }> {
  const { value, purpose } = request;
  if (value.length === 0) throw new Error('nothing to seal: the value is empty');
  const warnings: string[] = [];
  if (purpose === undefined) {
    warnings.push(
      'seal: sealed without --purpose (unbound): a service with API_KEYS refuses it; give --purpose and --api-key',
    );
  } else if (request.apiKeySent && target.tenant === null) {
    warnings.push(
      'seal: GET /keys/public named no tenant for this API key: the value is bound to no tenant (right only without API_KEYS; check the key)',
    );
  }
  const plaintext = purpose === undefined ? value : envelope({ tenant: target.tenant, purpose }, value);
  return { sealed: await sealTo(target.publicKey, plaintext), warnings };
}
