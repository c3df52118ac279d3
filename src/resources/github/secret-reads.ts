/**
 * Secret nodes that only read (seed 000's `exists`, `get` and `list`): `"read": "exists"` outputs
 * `{ exists }`, `"get"` the secret's metadata (a missing secret fails it: not_found), `"list"`
 * `{ secrets: [...] }` of the whole location, each with its name and dates. GitHub never returns a
 * value, and neither do these. A read plans as a no-op (it reads, with the warning `Secret does not
 * exist` for a missing secret), verifies without drift, and has nothing to compensate or destroy;
 * as a node of a run it reads the state its predecessors left. Without `read` the shared secret
 * operations run (secret-operations.ts).
 */
import { z } from 'zod';
import type { GitHubClient } from '../../providers/github';
import { OperationError } from '../../providers/operation-error';
import type { ApplyResult, NodeTarget, PlanResult } from '../resource-type';
import { gh } from './errors';
import {
  publicKey,
  readSecret,
  SECRET_ABSENT,
  secretOperations,
  type SecretLocation,
  type SecretMetadata,
  type SecretOperations,
  type SecretProperties,
} from './secret-operations';
import { secretNameSchema } from './secret-properties';
import { githubClient } from './session';

export const SECRET_READS = ['exists', 'get', 'list'] as const;
export type SecretRead = (typeof SECRET_READS)[number];

/** Fields a secret type adds to `secretValueFields` to take reads: `read`, and secret_name optional (for list). */
export const secretReadFields = {
  secret_name: secretNameSchema.optional(),
  read: z
    .enum(SECRET_READS)
    .optional()
    .meta({
      description:
        'Only read, write nothing: exists → outputs {exists}; get → the metadata (name, created_at, updated_at; fails when missing); ' +
        'list → {secrets: [...]} (no secret_name). The node operation is not used.',
    }),
};

export type ReadableSecret = Omit<SecretProperties, 'secret_name'> & {
  readonly secret_name?: string | undefined;
  readonly read?: SecretRead | undefined;
};

/** The object rule of `secretReadFields`: a name unless `read` is list, and no value for a read. */
export function readRule(p: ReadableSecret, ctx: z.core.$RefinementCtx): void {
  const add = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (p.read === 'list' && p.secret_name !== undefined) add('secret_name', 'read "list" takes no secret_name');
  if (p.read !== 'list' && p.secret_name === undefined)
    add('secret_name', 'is required (only read "list" goes without)');
  if (p.read !== undefined && p.encrypted_value !== undefined)
    add('encrypted_value', `read "${p.read}" writes nothing: remove encrypted_value`);
  if (p.read !== undefined && p.if_absent) add('if_absent', `read "${p.read}" writes nothing: remove if_absent`);
}

type Written<P> = P & { readonly secret_name: string };

/** Properties without `read` write, and then readRule guarantees their secret_name. */
const writing = <P extends ReadableSecret>(p: P): p is Written<P> => p.read === undefined;
const writes = <P extends ReadableSecret>(target: NodeTarget<P>): target is NodeTarget<Written<P>> =>
  writing(target.properties);

const PER_PAGE = 100;
const metadata = (s: SecretMetadata) => ({ name: s.name, created_at: s.created_at, updated_at: s.updated_at });

async function listSecrets(client: GitHubClient, where: SecretLocation): Promise<SecretMetadata[]> {
  const secrets: SecretMetadata[] = [];
  for (let page = 1; ; page += 1) {
    const res = await gh({ action: 'list secrets', target: where.label }, () =>
      client.request(`GET ${where.prefix}`, { ...where.params, per_page: PER_PAGE, page }),
    );
    const data = res.data as { total_count: number; secrets: SecretMetadata[] };
    secrets.push(...data.secrets);
    if (data.secrets.length < PER_PAGE || secrets.length >= data.total_count) return secrets;
  }
}

/** The secret, or null when it is missing from a location that exists (a missing location fails: not_found). */
async function lookUp(client: GitHubClient, where: SecretLocation, name: string): Promise<SecretMetadata | null> {
  const found = await readSecret(client, where, name);
  if (!found) await publicKey(client, where);
  return found;
}

const UNCHANGED: PlanResult = { action: 'no-op', diff: [], warnings: [] };

async function planRead(client: GitHubClient, where: SecretLocation, p: ReadableSecret): Promise<PlanResult> {
  if (p.secret_name === undefined) {
    await listSecrets(client, where);
    return UNCHANGED;
  }
  return (await lookUp(client, where, p.secret_name)) ? UNCHANGED : { ...UNCHANGED, warnings: [SECRET_ABSENT] };
}

async function applyRead(client: GitHubClient, where: SecretLocation, p: ReadableSecret): Promise<ApplyResult> {
  if (p.secret_name === undefined)
    return { outputs: { secrets: (await listSecrets(client, where)).map(metadata) }, undo: null };
  const found = await lookUp(client, where, p.secret_name);
  if (p.read === 'exists') return { outputs: { exists: found !== null }, undo: null };
  if (!found) throw new OperationError('not_found', `secret ${p.secret_name} does not exist in ${where.label}`);
  return { outputs: metadata(found), undo: null };
}

/** The secret operations at `location` for nodes that write, reads for nodes with `read`. */
export function secretOperationsWithReads<P extends ReadableSecret>(
  location: (properties: P) => SecretLocation,
): SecretOperations<P> {
  const own = secretOperations<Written<P>>({ location });
  return {
    handlesDelete: own.handlesDelete,
    irreversible: (p) => (writing(p) ? own.irreversible(p) : null),
    async plan(ctx, target) {
      if (writes(target)) return own.plan(ctx, target);
      return planRead(await githubClient(ctx), location(target.properties), target.properties);
    },
    async apply(ctx, target) {
      if (writes(target)) return own.apply(ctx, target);
      return applyRead(await githubClient(ctx), location(target.properties), target.properties);
    },
    async verify(ctx, target, outputs) {
      return writes(target) ? own.verify(ctx, target, outputs) : { drift: [] };
    },
    async compensate(ctx, target, undo) {
      return writes(target) ? own.compensate(ctx, target, undo) : { outcome: 'nothing to undo' };
    },
    async destroy(ctx, target, outputs) {
      if (writes(target)) await own.destroy(ctx, target, outputs);
    },
    async findRecorded(ctx, target, outputs) {
      return writes(target) ? own.findRecorded(ctx, target, outputs) : null;
    },
  };
}
