/** Opening a sealed config field at the moment of use, named in the error when it does not open. */
import { requireCredentialShape } from '../credentials/credential-shape';
import { UnsealError } from '../credentials/unseal-error';
import type { OperationContext } from './resource-type';

/** Opens a sealed field, naming that field (not the node) when it does not open. */
export async function openField(ctx: OperationContext, sealed: string, field: string): Promise<string> {
  try {
    return await ctx.open(sealed);
  } catch (err) {
    if (err instanceof UnsealError) throw new UnsealError(field, err.reason);
    throw err;
  }
}

/** Opens a sealed credential (PAT, AWS key, webhook URL) and checks it is one printable token. */
export async function openCredential(ctx: OperationContext, sealed: string, field: string): Promise<string> {
  return requireCredentialShape(await openField(ctx, sealed, field), field);
}
