/** Step packages (seed 002's deployment pipeline for user-written resource types): requests and answers. */
import { z } from 'zod';

const STATUSES = ['UNDEPLOYED', 'DEPLOYING', 'DEPLOYED', 'DEPLOYMENT_FAILED', 'UNDEPLOYING'] as const;

/** At most this many files and this much source in one package. */
export const PACKAGE_LIMITS = { files: 100, bytes: 1_000_000 } as const;

export const packageParamsSchema = z.object({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,62}$/, 'a package name is lowercase letters, digits and dashes, starting with a letter')
    .meta({ description: 'The package’s name', example: 'acme-dns' }),
});

export const deployPackageSchema = z
  .object({
    files: z
      .record(z.string(), z.string())
      .refine((files) => Object.keys(files).length > 0, 'a package has at least one file (index.ts)')
      .refine(
        (files) => Object.keys(files).length <= PACKAGE_LIMITS.files,
        `a package has at most ${PACKAGE_LIMITS.files} files`,
      )
      .refine(
        (files) => Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text), 0) <= PACKAGE_LIMITS.bytes,
        `a package has at most ${PACKAGE_LIMITS.bytes} bytes of source`,
      )
      .meta({
        description: 'TypeScript sources by path (index.ts exports the types)',
        example: { 'index.ts': "export { record } from './record';" },
      }),
  })
  .strict();

export const rollbackPackageSchema = z
  .object({
    version: z.number().int().min(1).meta({ description: 'The version to make current again', example: 1 }),
  })
  .strict();

const versionSchema = z.object({
  version: z.number().int(),
  hash: z.string().meta({ description: 'SHA-256 of the sources: the same content is the same version' }),
  deployed_at: z.string(),
  types: z.array(z.string()),
});

export const packageStatusSchema = z.object({
  name: z.string(),
  exists: z.boolean(),
  isDeployed: z.boolean().meta({ description: 'Whether a version serves new runs' }),
  deploymentStatus: z.enum(STATUSES).meta({ description: 'Of the last deploy, rollback or undeploy' }),
  version: z.number().int().nullable().meta({ description: 'The version new runs use' }),
  hash: z.string().nullable(),
  types: z.array(z.string()).meta({ description: 'The resource types that version defines' }),
  versions: z.array(versionSchema),
  workers: z
    .array(
      z.object({
        worker: z.string(),
        version: z.number().int(),
        hash: z.string(),
        loaded_at: z.string(),
        seen_at: z.string().meta({ description: 'When the worker last reported' }),
      }),
    )
    .meta({ description: 'Workers that have loaded a version of it, as they last reported (the last 5 minutes)' }),
});

export const deployAnswerSchema = packageStatusSchema.omit({ workers: true }).extend({
  unchanged: z.boolean().meta({ description: 'true: the package was in that state already (nothing done)' }),
});

export const packageListSchema = z.object({
  workflows: z.array(z.string()).meta({ description: 'The package names (seed 002’s word)' }),
  count: z.number().int(),
  packages: z.array(packageStatusSchema.omit({ versions: true, workers: true })),
});

const logEntrySchema = z.object({ at: z.string(), level: z.enum(['info', 'error']), message: z.string() });

export const packageLogsSchema = z.object({
  name: z.string(),
  logs: z.array(logEntrySchema).meta({ description: 'Each deploy, redeploy, rollback and undeploy, oldest first' }),
});
