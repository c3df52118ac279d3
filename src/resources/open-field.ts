/** Opening a sealed config field at the moment of use, named in the error when it does not open. */
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
