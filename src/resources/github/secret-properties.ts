/** Property schemas the secret types share. */
import { z } from 'zod';

/** GitHub's rule for secret names (it stores them upper-cased). */
export const secretNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,199}$/, 'must be letters, digits and _, not starting with a digit')
  .refine((name) => !name.toUpperCase().startsWith('GITHUB_'), 'must not start with GITHUB_')
  .transform((name) => name.toUpperCase());

/** owner/repo as GitHub spells them. */
export const ownerSchema = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'must be a GitHub user or organization name');
export const repoNameSchema = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be a GitHub repository name');

export const secretValueFields = {
  secret_name: secretNameSchema,
  /** The value sealed to the service's public key (npm run seal); or give references.value_from instead. */
  encrypted_value: z.string().min(1).optional().meta({
    description:
      "The value, sealed to the service's public key (GET /keys/public, npm run seal). Or give references.value_from.",
  }),
  /** Leave an existing secret as it is (no overwrite, nothing irreversible). */
  if_absent: z.boolean().default(false),
};
