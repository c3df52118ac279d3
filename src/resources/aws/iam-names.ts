/** IAM names and ARNs shared by the IAM types. */
import { z } from 'zod';

export const roleName = z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be 1-64 letters, digits or +=,.@_-');

/** An IAM path (roles, policies): `/` or `/a/b/`. */
export const iamPath = z
  .string()
  .regex(/^\/(?:[\x21-\x7e]+\/)?$/, 'must start and end with /')
  .max(512)
  .default('/');

export const managedPolicyArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:iam::(?:aws|\d{12}):policy\/[\x21-\x7e]+$/,
    'must be an IAM policy ARN (arn:aws:iam::…:policy/…)',
  );

/** `arn:aws:iam::123456789012:role/service/my-role` → `my-role`; a plain name stays as it is. */
export const roleNameFromArn = (arnOrName: string): string => arnOrName.slice(arnOrName.lastIndexOf('/') + 1);
