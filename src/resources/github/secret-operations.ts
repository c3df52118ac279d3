/**
 * The operations all three secret types share (repository, environment, organization): a secret
 * lives under an API prefix with its own public key. The value is re-sealed to that key right
 * before the PUT; a PUT is idempotent, 201 means this run created the secret, 204 that it
 * overwrote one (whose old value GitHub never returns, so that cannot be undone).
 */
import { sealTo } from '../../credentials/sealed-box';
import type { GitHubClient } from '../../providers/github';
import type { DriftItem } from '../../model/run-types';
import { gh, ghOrNull } from './errors';
import type {
  ApplyResult,
  CompensateResult,
  NodeTarget,
  OperationContext,
  PlanResult,
  ResourceType,
  VerifyResult,
} from '../resource-type';
import { githubClient, secretValue, type SecretValueSource } from './session';

/** Where a secret lives: `GET {prefix}/public-key`, `PUT {prefix}/{secret_name}`… */
export interface SecretLocation {
  /** For messages: `repository my-org/my-app`. */
  readonly label: string;
  /** Route template, e.g. `/repos/{owner}/{repo}/actions/secrets`. */
  readonly prefix: string;
  readonly params: Readonly<Record<string, string>>;
}

export interface SecretProperties extends SecretValueSource {
  readonly secret_name: string;
  readonly if_absent: boolean;
}

export interface SecretMetadata {
  readonly name: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly visibility?: string;
}

/** Type-specific parts: the location, extra PUT fields, extra drift. */
export interface SecretKind<P extends SecretProperties> {
  location(properties: P): SecretLocation;
  /** Extra PUT body fields (organization visibility and repositories). */
  putFields?(client: GitHubClient, properties: P): Promise<Record<string, unknown>>;
  /** Differences between the desired properties and what GitHub has, beyond existence. */
  drift?(client: GitHubClient, properties: P, actual: SecretMetadata): Promise<DriftItem[]>;
}

export const OVERWRITE_IRREVERSIBLE =
  "overwriting an existing secret cannot be undone: GitHub never returns a secret's value, so the old one cannot be restored";
const DELETE_IRREVERSIBLE = "a deleted secret cannot be restored: GitHub never returns a secret's value";
/** A plan's warning for a secret that is not there (a delete or a read of it); the workflow plan reads it as current_exists false. */
export const SECRET_ABSENT = 'Secret does not exist';

const isDelete = (target: NodeTarget<unknown>): boolean => target.node.operation === 'delete';

export async function readSecret(
  client: GitHubClient,
  where: SecretLocation,
  name: string,
): Promise<SecretMetadata | null> {
  const res = await ghOrNull({ action: `read secret ${name}`, target: where.label }, () =>
    client.request(`GET ${where.prefix}/{secret_name}`, { ...where.params, secret_name: name }),
  );
  return res ? (res.data as SecretMetadata) : null;
}

/** Fails with a not_found naming the location when the repository/environment/organization is missing. */
export async function publicKey(client: GitHubClient, where: SecretLocation): Promise<{ key_id: string; key: string }> {
  const res = await gh({ action: 'read the secrets public key', target: where.label }, () =>
    client.request(`GET ${where.prefix}/public-key`, { ...where.params }),
  );
  return res.data as { key_id: string; key: string };
}

async function deleteSecret(client: GitHubClient, where: SecretLocation, name: string): Promise<boolean> {
  const res = await ghOrNull({ action: `delete secret ${name}`, target: where.label }, () =>
    client.request(`DELETE ${where.prefix}/{secret_name}`, { ...where.params, secret_name: name }),
  );
  return res !== null;
}

/** Writes the secret (sealed to the location's key); true when GitHub created it, false when it overwrote one. */
async function putSecret<P extends SecretProperties>(
  client: GitHubClient,
  kind: SecretKind<P>,
  p: P,
  value: string,
): Promise<boolean> {
  const where = kind.location(p);
  const key = await publicKey(client, where);
  const extra = (await kind.putFields?.(client, p)) ?? {};
  const encrypted = await sealTo(key.key, value);
  const put = await gh({ action: `put secret ${p.secret_name}`, target: where.label }, () =>
    client.request(`PUT ${where.prefix}/{secret_name}`, {
      ...where.params,
      secret_name: p.secret_name,
      encrypted_value: encrypted,
      key_id: key.key_id,
      ...extra,
    }),
  );
  return put.status === 201;
}

/**
 * An overwrite's compensation: irreversible (GitHub never returns a value), except in a region move, whose
 * compensation is handed the references as they resolved before it (`$before_move`): the value is then
 * derived again from them and written back (a secret holding an ARN points at the old region again).
 */
async function switchBack<P extends SecretProperties>(
  ctx: OperationContext,
  kind: SecretKind<P>,
  target: NodeTarget<P>,
): Promise<CompensateResult> {
  const before = target.refs['$before_move'];
  const refs = typeof before === 'object' && before !== null ? (before as Record<string, unknown>) : null;
  if (!refs || (target.properties.encrypted_value === undefined && refs['value_from'] === undefined))
    return { outcome: `irreversible: ${OVERWRITE_IRREVERSIBLE}` };
  const value = await secretValue(ctx, { ...target, refs });
  await putSecret(await githubClient(ctx), kind, target.properties, value);
  return { outcome: 'compensated (the value from before the move is back)' };
}

/** The operations a secret type spreads into its definition. */
export type SecretOperations<P> = Required<
  Pick<
    ResourceType<P>,
    'handlesDelete' | 'irreversible' | 'plan' | 'apply' | 'verify' | 'compensate' | 'destroy' | 'findRecorded'
  >
>;

export function secretOperations<P extends SecretProperties>(kind: SecretKind<P>): SecretOperations<P> {
  return {
    handlesDelete: true,
    irreversible(properties: P): string | null {
      return properties.if_absent ? null : OVERWRITE_IRREVERSIBLE;
    },

    async plan(ctx: OperationContext, target: NodeTarget<P>): Promise<PlanResult> {
      const p = target.properties;
      const where = kind.location(p);
      const client = await githubClient(ctx);
      if (!isDelete(target) && p.encrypted_value !== undefined) await secretValue(ctx, target); // opens, proves it is sealed to us
      await publicKey(client, where);
      const existing = await readSecret(client, where, p.secret_name);
      if (isDelete(target)) {
        return existing
          ? {
              action: 'delete',
              diff: [{ property: 'exists', desired: false, actual: true }],
              warnings: [DELETE_IRREVERSIBLE],
            }
          : { action: 'no-op', diff: [], warnings: [SECRET_ABSENT] };
      }
      if (!existing)
        return { action: 'create', diff: [{ property: 'exists', desired: true, actual: false }], warnings: [] };
      if (p.if_absent)
        return {
          action: 'no-op',
          diff: [],
          warnings: [`secret ${p.secret_name} exists in ${where.label}; if_absent leaves it as it is`],
        };
      const diff: DriftItem[] = [
        { property: 'value', desired: '(sealed)', actual: '(unreadable)' },
        ...((await kind.drift?.(client, p, existing)) ?? []),
      ];
      return {
        action: 'update',
        diff,
        warnings: [`secret ${p.secret_name} exists in ${where.label}: ${OVERWRITE_IRREVERSIBLE}`],
      };
    },

    async apply(ctx: OperationContext, target: NodeTarget<P>): Promise<ApplyResult> {
      const p = target.properties;
      const where = kind.location(p);
      const client = await githubClient(ctx);
      const outputs = { secret_name: p.secret_name, location: where.label };
      if (isDelete(target)) {
        const deleted = await deleteSecret(client, where, p.secret_name);
        return { outputs: { ...outputs, deleted }, undo: { deleted } };
      }
      if (p.if_absent) {
        const existing = await readSecret(client, where, p.secret_name);
        if (existing)
          return {
            outputs: { ...outputs, created: false, updated_at: existing.updated_at },
            undo: { created: false, overwritten: false },
          };
      }
      const created = await putSecret(client, kind, p, await secretValue(ctx, target));
      // The write is done: a failed read-back must not fail the activity, whose retry would write again.
      const after = await readSecret(client, where, p.secret_name).catch(() => null);
      return {
        outputs: { ...outputs, created, updated_at: after?.updated_at ?? null },
        undo: { created, overwritten: !created },
      };
    },

    async verify(
      ctx: OperationContext,
      target: NodeTarget<P>,
      outputs: Record<string, unknown> | null,
    ): Promise<VerifyResult> {
      const p = target.properties;
      const client = await githubClient(ctx);
      const actual = await readSecret(client, kind.location(p), p.secret_name);
      if (isDelete(target)) return { drift: actual ? [{ property: 'exists', desired: false, actual: true }] : [] };
      if (!actual) return { drift: [{ property: 'exists', desired: true, actual: false }] };
      const drift: DriftItem[] = [...((await kind.drift?.(client, p, actual)) ?? [])];
      const applied = outputs?.['updated_at'];
      if (typeof applied === 'string' && applied !== actual.updated_at) {
        drift.push({ property: 'updated_at', desired: applied, actual: actual.updated_at });
      }
      return { drift };
    },

    async compensate(
      ctx: OperationContext,
      target: NodeTarget<P>,
      undo: Record<string, unknown> | null,
    ): Promise<CompensateResult> {
      const p = target.properties;
      if (undo?.['deleted'] === true) return { outcome: `irreversible: ${DELETE_IRREVERSIBLE}` };
      if (undo?.['overwritten'] === true) return switchBack(ctx, kind, target);
      if (undo?.['created'] !== true) return { outcome: 'nothing to undo' };
      await deleteSecret(await githubClient(ctx), kind.location(p), p.secret_name);
      return { outcome: 'compensated' };
    },

    async destroy(ctx: OperationContext, target: NodeTarget<P>): Promise<void> {
      const p = target.properties;
      await deleteSecret(await githubClient(ctx), kind.location(p), p.secret_name);
    },

    /** The deployment's once its apply wrote it: recorded as applied, and not an existing one `if_absent` left alone. */
    async findRecorded(ctx: OperationContext, target: NodeTarget<P>, outputs): Promise<string | null> {
      const p = target.properties;
      if (isDelete(target) || outputs === null || (p.if_absent && outputs['created'] !== true)) return null;
      const where = kind.location(p);
      return (await readSecret(await githubClient(ctx), where, p.secret_name))
        ? `${where.label}: ${p.secret_name}`
        : null;
    },
  };
}
