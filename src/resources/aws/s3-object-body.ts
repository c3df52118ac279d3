/**
 * What an S3 object holds: its body, from `content` (UTF-8), `content_base64` or `source_path`, a
 * file read from the worker's ARTIFACTS_DIR (and nothing that resolves outside it); the hex
 * SHA-256 it is compared by; its content type. A run of a tenant (API_KEYS) reads only from its
 * tenant's own folder, ARTIFACTS_DIR/<tenant>/; a run without one, from ARTIFACTS_DIR itself.
 */
import { createHash } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { apiKeySchema } from '../../config/api-keys';
import { OperationError } from '../../providers/operation-error';
import type { OperationContext } from '../resource-type';

/** The properties that give an object's content (S3ObjectProperties). */
export interface ObjectContent {
  readonly content?: string | undefined;
  readonly content_base64?: string | undefined;
  readonly source_path?: string | undefined;
  readonly content_type?: string | undefined;
}

/** The folder this run's files are read from, and its name for messages: ARTIFACTS_DIR/<tenant>, or ARTIFACTS_DIR without a tenant. */
async function artifactsRoot(ctx: OperationContext, dir: string): Promise<{ root: string; name: string }> {
  const tenant = ctx.tenant ? await ctx.tenant() : null;
  if (tenant === null) return { root: dir, name: 'ARTIFACTS_DIR' };
  // Tenants are API_KEYS tenant names (a-z, 0-9, _ and -): one plain folder name, never a path.
  if (!apiKeySchema.shape.tenant.safeParse(tenant).success)
    throw new OperationError('invalid_input', 'the run has a tenant that is not a folder name', { retryable: false });
  return { root: join(dir, tenant), name: `ARTIFACTS_DIR/${tenant}` };
}

/** Reads `source_path` from the run's artifacts folder, refusing whatever resolves outside it. */
async function artifact(ctx: OperationContext, label: string, path: string): Promise<Buffer> {
  const dir = ctx.clients.artifactsDir;
  const refuse = (why: string): OperationError =>
    new OperationError('invalid_input', `${label}: source_path ${path}: ${why}`, { retryable: false });
  if (!dir)
    throw refuse(
      'this service has no ARTIFACTS_DIR (the folder files are uploaded from) where this operation runs (the worker; the API for a live plan): set it, or give content or content_base64',
    );
  const { root, name } = await artifactsRoot(ctx, dir);
  let real: string;
  try {
    const realRoot = await realpath(root);
    real = await realpath(resolve(realRoot, path));
    const inside = relative(realRoot, real);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) throw refuse(`resolves outside ${name}`);
  } catch (err) {
    if (err instanceof OperationError) throw err;
    throw refuse(
      `cannot be read in ${name} where this operation runs (the worker; the API for a live plan): ${(err as Error).message}`,
    );
  }
  return readFile(real);
}

/** The object's body; `label` names it in errors. */
export async function bodyOf(ctx: OperationContext, p: ObjectContent, label: string): Promise<Buffer> {
  if (p.content !== undefined) return Buffer.from(p.content, 'utf8');
  if (p.content_base64 !== undefined) return Buffer.from(p.content_base64, 'base64');
  return artifact(ctx, label, p.source_path ?? '');
}

/** The hex SHA-256 an object is compared by. */
export const sha256Of = (body: Buffer): string => createHash('sha256').update(body).digest('hex');

/** `content_type`, else UTF-8 text for `content` and bytes for the others. */
export const contentTypeOf = (p: ObjectContent): string =>
  p.content_type ?? (p.content === undefined ? 'application/octet-stream' : 'text/plain; charset=utf-8');
