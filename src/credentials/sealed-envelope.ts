/**
 * Sealed values bound to a tenant and a purpose. A bound value is a sealed box whose plaintext is
 *   {"mgraph_sealed":1,"tenant":"acme","purpose":"github_token","value":"ghp_…"}
 * A sealed box is authenticated: whoever copies the ciphertext cannot change what is inside, so a
 * value sealed for tenant A's PAT stays A's PAT wherever it is pasted. Any other plaintext is an
 * unbound (legacy) value. The service key opens values by the rule of `valueFor`; `npm run seal`
 * builds the envelope with `envelope`.
 */
import { UnsealError } from './unseal-error';

/** What a value may be sealed for (docs/how-to/credentials.md has the fields of each). */
export const SEALED_PURPOSES = [
  'aws_secret_access_key',
  'aws_session_token',
  'github_token',
  'slack_webhook_url',
  'slack_bot_token',
  'secret_value',
] as const;

export type SealedPurpose = (typeof SEALED_PURPOSES)[number];

export const isSealedPurpose = (text: string): text is SealedPurpose =>
  (SEALED_PURPOSES as readonly string[]).includes(text);

/** Who may use a value (null: runs without a tenant, and the service's own values) and for what. */
export interface SealedBinding {
  readonly tenant: string | null;
  readonly purpose: SealedPurpose;
}

/** A field holding a sealed value: named in errors (never the value), and the purpose it is used for. */
export interface SealedField {
  readonly field: string;
  readonly purpose: SealedPurpose;
}

/** Where a value is opened: the field, its purpose, and the tenant of the run or request. */
export type SealedUse = SealedField & SealedBinding;

/** How values without a tenant are treated when opened for one (ALLOW_UNBOUND_SEALED_VALUES). */
export interface UnboundPolicy {
  readonly allowed: boolean;
  /** Called each time an unbound value opens for a tenant; the service key tells the log once. */
  warn(field: string, tenant: string): void;
}

const MARK = 'mgraph_sealed';
const VERSION = 1;

/** The plaintext to seal for a value bound to `binding`. */
export function envelope(binding: SealedBinding, value: string): string {
  return JSON.stringify({ [MARK]: VERSION, tenant: binding.tenant, purpose: binding.purpose, value });
}

/** The envelope's binding and value, or `bound: null` for a plaintext that is no envelope. */
function parse(plaintext: string, field: string): { bound: SealedBinding | null; value: string } {
  let parsed: unknown;
  try {
    parsed = plaintext.trimStart().startsWith('{') ? JSON.parse(plaintext) : null;
  } catch {
    parsed = null;
  }
  if (typeof parsed !== 'object' || parsed === null || !Object.hasOwn(parsed, MARK))
    return { bound: null, value: plaintext };
  const fields = parsed as Record<string, unknown>;
  const { tenant, purpose, value } = fields;
  if (
    fields[MARK] !== VERSION ||
    !(tenant === null || typeof tenant === 'string') ||
    typeof purpose !== 'string' ||
    !isSealedPurpose(purpose) ||
    typeof value !== 'string'
  ) {
    throw new UnsealError(
      field,
      `a malformed envelope (it needs ${MARK} ${VERSION}, a tenant string or null, a known purpose and a string value): seal it again with npm run seal`,
    );
  }
  return { bound: { tenant, purpose }, value };
}

const sealAgain = (purpose: SealedPurpose): string =>
  `sealed without a tenant: seal it again with npm run seal -- --url <api> --api-key <key> --purpose ${purpose}`;

/**
 * The value of an opened plaintext used as `use` says, or an UnsealError naming the field (never
 * the value, nor the tenant it was sealed for). A bound value opens for its own tenant and purpose
 * only; an unbound one without a tenant, or for a tenant when the policy allows it.
 */
export function valueFor(plaintext: string, use: SealedUse, unbound: UnboundPolicy): string {
  const { bound, value } = parse(plaintext, use.field);
  if (bound === null) {
    if (use.tenant === null) return value;
    if (!unbound.allowed) throw new UnsealError(use.field, sealAgain(use.purpose));
    unbound.warn(use.field, use.tenant);
    return value;
  }
  if (bound.tenant !== use.tenant) {
    throw new UnsealError(use.field, bound.tenant === null ? sealAgain(use.purpose) : 'sealed for another tenant');
  }
  if (bound.purpose !== use.purpose)
    throw new UnsealError(use.field, `sealed as ${bound.purpose}, used as ${use.purpose}`);
  return value;
}
