/** Opening a sealed credential at the moment of use, named in the error when it does not open. */
import { requireCredentialShape } from '../credentials/credential-shape';
import type { SealedField } from '../credentials/sealed-envelope';
import type { OperationContext } from './resource-type';

/** Opens a sealed credential (PAT, AWS key, webhook URL) and checks it is one printable token. */
export async function openCredential(ctx: OperationContext, sealed: string, use: SealedField): Promise<string> {
  return requireCredentialShape(await ctx.open(sealed, use), use.field);
}
