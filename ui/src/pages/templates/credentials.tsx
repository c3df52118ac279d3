/**
 * The sealed credentials a template's run needs, asked for beside its inputs (a template carries
 * none; inputs are never secrets: docs/reference/templates.md). Which providers: those of its
 * config's resource types and targets. Values are sealed to the service's key (`npm run seal`,
 * GET /keys/public) before they are pasted here; the page keeps them in memory only.
 */
import type { ReactNode } from 'react';

type Provider = 'github' | 'slack' | 'aws';

interface Field {
  readonly provider: Provider;
  readonly key: string;
  readonly label: string;
  readonly sealed: boolean;
}

const FIELDS: readonly Field[] = [
  { provider: 'github', key: 'encrypted_pat', label: 'GitHub token, sealed', sealed: true },
  { provider: 'slack', key: 'encrypted_bot_token', label: 'Slack bot token, sealed', sealed: true },
  { provider: 'aws', key: 'access_key_id', label: 'AWS access key id', sealed: false },
  { provider: 'aws', key: 'encrypted_secret_access_key', label: 'AWS secret access key, sealed', sealed: true },
];

/** Field values by `provider.key`. */
export type CredentialValues = Readonly<Record<string, string>>;

/** The providers a config's resources and targets use, in FIELDS order. */
export function providersOf(config: Readonly<Record<string, unknown>>): Provider[] {
  const resources = Object.values((config['resources'] ?? {}) as Record<string, { type?: unknown }>);
  const targets = (Array.isArray(config['targets']) ? config['targets'] : []) as { provider?: unknown }[];
  const used = new Set<unknown>([
    ...resources.map((r) => (typeof r.type === 'string' ? r.type.split(':')[0] : undefined)),
    ...targets.map((t) => t.provider),
  ]);
  return [...new Set(FIELDS.map((f) => f.provider))].filter((p) => used.has(p));
}

/** The request's `credentials`: each provider with a value given; undefined when none is. */
export function credentialsBody(values: CredentialValues): Record<string, Record<string, string>> | undefined {
  const body: Record<string, Record<string, string>> = {};
  for (const { provider, key } of FIELDS) {
    const value = values[`${provider}.${key}`]?.trim();
    if (value) body[provider] = { ...body[provider], [key]: value };
  }
  return Object.keys(body).length > 0 ? body : undefined;
}

export function CredentialFields({
  providers,
  values,
  onChange,
}: {
  readonly providers: readonly Provider[];
  readonly values: CredentialValues;
  readonly onChange: (values: CredentialValues) => void;
}): ReactNode {
  if (providers.length === 0) return null;
  return (
    <fieldset className="template-credentials">
      <legend>Credentials</legend>
      <p className="muted">
        Sealed to the service&apos;s key with <code>npm run seal</code> (never the plain token); kept in this page only.
      </p>
      {FIELDS.filter((f) => providers.includes(f.provider)).map(({ provider, key, label, sealed }) => {
        const name = `${provider}.${key}`;
        return (
          <div key={name} className="template-field">
            <label htmlFor={`credential-${provider}-${key}`}>{label}</label>
            <input
              id={`credential-${provider}-${key}`}
              type={sealed ? 'password' : 'text'}
              autoComplete="off"
              spellCheck={false}
              value={values[name] ?? ''}
              onChange={(e) => onChange({ ...values, [name]: e.target.value })}
            />
          </div>
        );
      })}
    </fieldset>
  );
}
