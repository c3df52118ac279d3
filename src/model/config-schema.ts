/**
 * The deployment config (DESIGN.md §2, seed 001 §9 field names): the single source for request
 * validation, TypeScript types, the OpenAPI document and the published JSON Schema. Objects are
 * strict: an unknown key is an error that names it. Cross-field rules (types, references, cycles,
 * regions, limits) are `validateConfig`'s.
 */
import { z } from 'zod';
import { boundedDuration, type DurationBounds } from './duration-schema';
import { RESOURCE_ID } from './resource-id';
import type { RunSettings } from './run-types';

/** Standard, padded, non-empty base64 (its shape only: whether it opens is the worker's business). */
const BASE64 = /^(?=.)(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const sealed = (what: string) =>
  z.string().max(16_384).regex(BASE64, `${what} must be a sealed box in base64 (GET /keys/public, npm run seal)`);

export const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
export const DEPLOYMENT_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Reference names become the keys of an operation's `refs`; `$`-names are the engine's own. */
export const REFERENCE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Tag prefixes AWS and this service reserve (seed 001 §7: `mgraph:node-id`, …). */
export const RESERVED_TAG_PREFIXES = ['aws:', 'mgraph:'] as const;
export const MAX_TAGS = 50;

const regionSchema = z.string().regex(AWS_REGION, 'must be an AWS region such as us-east-1');

export const credentialsSchema = z
  .object({
    aws: z
      .object({
        access_key_id: z
          .string()
          .min(16)
          .max(128)
          .regex(/^[A-Z0-9]+$/, 'access_key_id must be an AWS access key id (A–Z, 0–9)'),
        encrypted_secret_access_key: sealed('encrypted_secret_access_key'),
        encrypted_session_token: sealed('encrypted_session_token').nullable().optional(),
        region: regionSchema.optional(),
        account_id: z
          .string()
          .regex(/^\d{12}$/, 'account_id must be 12 digits')
          .optional(),
      })
      .strict()
      .optional(),
    github: z
      .object({ encrypted_pat: sealed('encrypted_pat') })
      .strict()
      .optional(),
    slack: z
      .object({
        /** An incoming webhook URL: slack:message without a channel posts to it. */
        encrypted_webhook_url: sealed('encrypted_webhook_url').optional(),
        /** A bot token (xoxb-…, scope chat:write): slack:message with a channel posts through the Web API. */
        encrypted_bot_token: sealed('encrypted_bot_token').optional(),
      })
      .strict()
      .refine((slack) => slack.encrypted_webhook_url !== undefined || slack.encrypted_bot_token !== undefined, {
        message: 'slack needs encrypted_webhook_url, encrypted_bot_token or both',
      })
      .optional(),
  })
  .strict();

const duplicates = (values: readonly string[]): string[] => [
  ...new Set(values.filter((v, i) => values.indexOf(v) !== i)),
];

export const targetSchema = z
  .object({
    provider: z.enum(['aws', 'github', 'slack']),
    /** AWS only: every regional resource gets one node per region. */
    regions: z.array(regionSchema).min(1).optional(),
  })
  .strict()
  .superRefine((target, ctx) => {
    if (target.regions && target.provider !== 'aws')
      ctx.addIssue({
        code: 'custom',
        path: ['regions'],
        message: `regions apply to aws targets only, not ${target.provider}`,
      });
    for (const region of duplicates(target.regions ?? []))
      ctx.addIssue({ code: 'custom', path: ['regions'], message: `region ${region} is listed twice` });
  });

/**
 * The range of every duration setting (inclusive). Each reaches Temporal as an activity timeout,
 * a retry interval or a timer: zero or an unrepresentable length would fail every workflow task.
 */
export const DURATION_BOUNDS = {
  node_timeout: { min: '1s', max: '24h' },
  heartbeat_timeout: { min: '1s', max: '1h' },
  decision_timeout: { min: '1s', max: '30d' },
  initial_interval: { min: '10ms', max: '1h' },
  max_interval: { min: '10ms', max: '1h' },
} as const satisfies Record<string, DurationBounds>;

/** The range of every number setting (inclusive). */
export const NUMBER_BOUNDS = {
  max_parallel: { min: 1, max: 1_000, integer: true },
  limits: { min: 1, max: 1_000, integer: true },
  max_attempts: { min: 1, max: 100, integer: true },
  backoff: { min: 1, max: 10, integer: false },
} as const;

const bounded = (field: keyof typeof DURATION_BOUNDS) => boundedDuration(field, DURATION_BOUNDS[field]);

function boundedNumber(field: keyof typeof NUMBER_BOUNDS) {
  const { min, max, integer } = NUMBER_BOUNDS[field];
  const range = `${field} must be ${integer ? 'a whole number ' : ''}between ${min} and ${max}`;
  return (integer ? z.number(range).int(range) : z.number(range)).min(min, range).max(max, range);
}

export const retrySchema = z
  .object({
    max_attempts: boundedNumber('max_attempts').default(5),
    initial_interval: bounded('initial_interval').default(1_000),
    max_interval: bounded('max_interval').default(30_000),
    backoff: boundedNumber('backoff').default(2),
  })
  .strict()
  .refine((retry) => retry.initial_interval <= retry.max_interval, {
    path: ['max_interval'],
    message: 'max_interval must not be shorter than initial_interval',
  });

/** An attempt's limit when the config sets no node_timeout and the node's type needs no longer. */
export const DEFAULT_NODE_TIMEOUT_MS = 600_000;

/** Every field but node_timeout has a default (`unwrap()` gives the field without it: the API's overrides use that). */
export const settingsSchema = z
  .object({
    max_parallel: boundedNumber('max_parallel').default(10),
    on_failure: z.enum(['halt', 'rollback', 'continue']).default('halt'),
    mode: z.enum(['FULL', 'STEP', 'DRY_RUN']).default('FULL'),
    retry: retrySchema.prefault({}),
    /** Unset: DEFAULT_NODE_TIMEOUT_MS, or longer for a node whose type needs it (a long wait); set: every node's limit. */
    node_timeout: bounded('node_timeout').optional(),
    heartbeat_timeout: bounded('heartbeat_timeout').default(30_000),
    decision_timeout: bounded('decision_timeout').default(7 * 86_400_000),
    scheduler: z.enum(['critical_path', 'fifo', 'levels']).default('critical_path'),
    limits: z
      .record(
        z.string().regex(/^[a-z0-9][a-z0-9-]*(:[a-z0-9][a-z0-9-]*)*$/, 'a provider or a resource type'),
        boundedNumber('limits'),
      )
      .optional()
      .meta({
        description:
          'Nodes in flight at once per provider or per resource type, besides max_parallel: e.g. {"github": 2, "aws:iam:role": 3}',
      }),
    alerts: z
      .object({
        slack: z
          .object({
            channel: z.string().min(1).max(80).optional().meta({
              description:
                "A channel id or #name, posted to with credentials.slack's bot token; without it, credentials.slack's webhook",
            }),
          })
          .strict(),
      })
      .strict()
      .optional()
      .meta({
        description:
          'Where a run says it needs a person: a failure past a point_of_no_return posts the failed step and what is already done',
      }),
  })
  .strict();

export const edgeKindSchema = z.enum(['dependency', 'pause', 'end']);

export const dependencySchema = z.union(
  [z.string(), z.object({ resource: z.string(), edge: edgeKindSchema.default('dependency') }).strict()],
  { error: 'must be a resource id or { "resource": "<id>", "edge": "dependency" | "pause" | "end" }' },
);

const tagKeySchema = z
  .string()
  .min(1)
  .max(128)
  .refine(
    (key) => !RESERVED_TAG_PREFIXES.some((prefix) => key.startsWith(prefix)),
    `tag keys starting with ${RESERVED_TAG_PREFIXES.join(' or ')} are reserved`,
  );

export const resourceSchema = z
  .object({
    type: z.string().min(1),
    operation: z.enum(['create', 'update', 'delete']).default('create'),
    properties: z.record(z.string(), z.unknown()).default({}),
    references: z
      .record(
        z
          .string()
          .regex(
            REFERENCE_NAME,
            'reference names are 1–64 characters of A–Z, a–z, 0–9 and "_", not starting with a digit',
          ),
        z.string().min(1),
      )
      .default({}),
    depends_on: z.array(dependencySchema).default([]),
    tags: z
      .record(tagKeySchema, z.string().max(256))
      .refine((t) => Object.keys(t).length <= MAX_TAGS, `at most ${MAX_TAGS} tags`)
      .default({}),
    /** Pin a regional resource to one of the target regions instead of all of them. */
    region: regionSchema.optional(),
    point_of_no_return: z.boolean().optional().meta({
      description:
        'Once this node has completed, a failure never compensates automatically: the run halts for a decision (and alerts), and a rollback undoes only what came after it',
    }),
  })
  .strict();

export const deploymentConfigSchema = z
  .object({
    deployment_id: z
      .string()
      .regex(
        DEPLOYMENT_ID,
        'deployment_id must be 1–63 characters of a–z, 0–9 and "-", not starting or ending with "-"',
      ),
    version: z.string().min(1).max(128).default('v1'),
    credentials: credentialsSchema.optional(),
    targets: z
      .array(targetSchema)
      .default([])
      .superRefine((targets, ctx) => {
        for (const provider of duplicates(targets.map((t) => t.provider)))
          ctx.addIssue({ code: 'custom', message: `provider ${provider} is listed twice: give it one target` });
      }),
    settings: settingsSchema.prefault({}),
    resources: z
      .record(
        z
          .string()
          .regex(
            RESOURCE_ID,
            'resource ids are 1–63 characters of a–z, 0–9, "-" and "_", starting with a letter or digit',
          ),
        resourceSchema,
      )
      .refine((r) => Object.keys(r).length > 0, 'a deployment needs at least one resource'),
  })
  .strict();

export type DeploymentConfig = z.output<typeof deploymentConfigSchema>;
export type ResourceConfig = z.output<typeof resourceSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

/** Run settings from a config's settings, with request-time overrides (e.g. the apply's `mode`). */
export function resolveSettings(settings: SettingsInput | undefined, overrides: SettingsInput = {}): RunSettings {
  const s = settingsSchema.parse({ ...(settings ?? {}), ...overrides });
  return {
    max_parallel: s.max_parallel,
    on_failure: s.on_failure,
    mode: s.mode,
    scheduler: s.scheduler,
    retry: {
      max_attempts: s.retry.max_attempts,
      initial_interval_ms: s.retry.initial_interval,
      max_interval_ms: s.retry.max_interval,
      backoff: s.retry.backoff,
    },
    node_timeout_ms: s.node_timeout ?? DEFAULT_NODE_TIMEOUT_MS,
    heartbeat_timeout_ms: s.heartbeat_timeout,
    decision_timeout_ms: s.decision_timeout,
    ...(s.limits && Object.keys(s.limits).length > 0 ? { limits: s.limits } : {}),
    ...(s.alerts ? { alerts: { slack: { channel: s.alerts.slack.channel ?? null } } } : {}),
  };
}
