/** `github:secret:env`: an Actions secret of a repository's environment. */
import { z } from 'zod';
import type { ResourceType } from '../resource-type';
import { githubEnvironmentName, ownerSchema, repoNameSchema, secretValueFields } from './secret-properties';
import { secretOperations } from './secret-operations';

const properties = z
  .object({
    owner: ownerSchema,
    repo: repoNameSchema,
    environment: githubEnvironmentName('environment'),
    ...secretValueFields,
  })
  .strict();

export type EnvSecretProperties = z.output<typeof properties>;

export const githubEnvSecret: ResourceType<EnvSecretProperties> = {
  type: 'github:secret:env',
  provider: 'github',
  description: "An Actions secret of a repository environment, re-sealed to the environment's public key",
  regional: false,
  properties,
  physicalName: (p) => `${p.owner}/${p.repo}/${p.environment}/${p.secret_name}`.toLowerCase(),
  ...secretOperations<EnvSecretProperties>({
    location: (p) => ({
      label: `environment ${p.environment} of ${p.owner}/${p.repo}`,
      prefix: '/repos/{owner}/{repo}/environments/{environment_name}/secrets',
      params: { owner: p.owner, repo: p.repo, environment_name: p.environment },
    }),
  }),
};
