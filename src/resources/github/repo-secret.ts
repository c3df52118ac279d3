/** `github:secret:repo`: an Actions secret of a repository; with `read`, a read of it or of them all (secret-reads.ts). */
import { z } from 'zod';
import type { ResourceType } from '../resource-type';
import { ownerSchema, repoNameSchema, secretValueFields } from './secret-properties';
import { readRule, secretOperationsWithReads, secretReadFields } from './secret-reads';

const properties = z
  .object({ owner: ownerSchema, repo: repoNameSchema, ...secretValueFields, ...secretReadFields })
  .strict()
  .superRefine(readRule);

export type RepoSecretProperties = z.output<typeof properties>;

const location = (p: RepoSecretProperties) => ({
  label: `repository ${p.owner}/${p.repo}`,
  prefix: '/repos/{owner}/{repo}/actions/secrets',
  params: { owner: p.owner, repo: p.repo },
});

export const githubRepoSecret: ResourceType<RepoSecretProperties> = {
  type: 'github:secret:repo',
  provider: 'github',
  description:
    "An Actions secret of a repository, re-sealed to the repository's public key; or, with read, a read of it or of the repository's secrets",
  regional: false,
  properties,
  physicalName: (p) => (p.read ? null : `${p.owner}/${p.repo}/${p.secret_name}`.toLowerCase()),
  ...secretOperationsWithReads(location),
};
