/**
 * What an S3 object holds: its body, from `content` (UTF-8), `content_base64` or `source_path`, a
 * file read from the worker's ARTIFACTS_DIR (and nothing that resolves outside it); the hex
 * SHA-256 it is compared by; its content type.
 */
import { createHash } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { OperationError } from '../../providers/operation-error';
import type { OperationContext } from '../resource-type';

/** The properties that give an object's content (S3ObjectProperties). */
export interface ObjectContent {
  readonly content?: string | undefined;
  readonly content_base64?: string | undefined;
  readonly source_path?: string | undefined;
  readonly content_type?: string | undefined;
}

/** Reads `source_path` from ARTIFACTS_DIR, refusing whatever resolves outside it. */
async function artifact(ctx: OperationContext, label: string, path: string): Promise<Buffer> {
  const root = ctx.clients.artifactsDir;
  const refuse = (why: string): OperationError =>
    new OperationError('invalid_input', `${label}: source_path ${path}: ${why}`, { retryable: false });
  if (!root)
    throw refuse(
      'this service has no ARTIFACTS_DIR (the folder files are uploaded from) where this operation runs (the worker; the API for a live plan): set it, or give content or content_base64',
    );
  let real: string;
  try {
    const realRoot = await realpath(root);
    real = await realpath(resolve(realRoot, path));
    const inside = relative(realRoot, real);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) throw refuse('resolves outside ARTIFACTS_DIR');
  } catch (err) {
    if (err instanceof OperationError) throw err;
    throw refuse(
      `cannot be read in ARTIFACTS_DIR where this operation runs (the worker; the API for a live plan): ${(err as Error).message}`,
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
