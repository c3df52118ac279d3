/** `github:secret:repo`: an Actions secret of a repository. */
import { z } from 'zod';
import type { ResourceType } from '../resource-type';
import { ownerSchema, repoNameSchema, secretValueFields } from './secret-properties';
import { secretOperations } from './secret-operations';

const properties = z.object({ owner: ownerSchema, repo: repoNameSchema, ...secretValueFields }).strict();

export type RepoSecretProperties = z.output<typeof properties>;

export const githubRepoSecret: ResourceType<RepoSecretProperties> = {
  type: 'github:secret:repo',
  provider: 'github',
  description: "An Actions secret of a repository, re-sealed to the repository's public key",
  regional: false,
  properties,
  physicalName: (p) => `${p.owner}/${p.repo}/${p.secret_name}`.toLowerCase(),
  ...secretOperations<RepoSecretProperties>({
    location: (p) => ({
      label: `repository ${p.owner}/${p.repo}`,
      prefix: '/repos/{owner}/{repo}/actions/secrets',
      params: { owner: p.owner, repo: p.repo },
    }),
  }),
};
