/**
 * Property schemas the GitHub types share. Every name that lands in a GitHub API path (owner,
 * repository, environment, secret name) is held to GitHub's own characters, and never "." or "..":
 * Octokit encodes path parameters, but a URL still resolves a "." or ".." segment away
 * (`/repos/o/../actions/secrets` is `/repos/actions/secrets`), so such a name would address
 * another resource. Messages name the field.
 */
import { z } from 'zod';

/** GitHub's rule for secret names (it stores them upper-cased). */
export const secretNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,199}$/, 'secret_name must be 1-200 letters, digits and _, not starting with a digit')
  .refine((name) => !name.toUpperCase().startsWith('GITHUB_'), 'secret_name must not start with GITHUB_')
  .transform((name) => name.toUpperCase());

const notDotSegment = (field: string) =>
  [
    (name: string) => name !== '.' && name !== '..',
    `${field} cannot be "." or "..": in a GitHub API path that would address another resource`,
  ] as const;

/** A user or organization name (`field` names it in messages). */
export const githubOwner = (field: string) =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/,
      `${field} must be a GitHub user or organization name: 1-39 letters, digits and -, starting with a letter or digit`,
    );

/** A repository name: letters, digits, ".", "-" and "_", not "." or "..". */
export const githubRepoName = (field: string) =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9._-]{1,100}$/,
      `${field} must be a GitHub repository name: 1-100 letters, digits, ".", "-" and "_"`,
    )
    .refine(...notDotSegment(field));

/** An environment name: GitHub takes up to 255 characters; here without "/", and not "." or "..". */
export const githubEnvironmentName = (field: string) =>
  z
    .string()
    .min(1, `${field} must be a GitHub environment name: 1-255 characters`)
    .max(255, `${field} must be a GitHub environment name: 1-255 characters`)
    .refine((name) => !name.includes('/'), `${field} cannot contain "/": it is one segment of GitHub API paths`)
    .refine(...notDotSegment(field));

/** owner/repo as GitHub spells them. */
export const ownerSchema = githubOwner('owner');
export const repoNameSchema = githubRepoName('repo');

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
