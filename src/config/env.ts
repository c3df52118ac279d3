/**
 * All configuration comes from the environment, parsed once at start; a bad value stops the
 * process with a message naming the variable (values of secret variables are never echoed).
 * docs/reference/configuration.md documents each variable and its default.
 */
import type { ServiceAwsTenants } from './service-aws-identity';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { durationSchema } from '../model/duration-schema';
import { apiKeysSchema } from './api-keys';

const DAY_MS = 86_400_000;

/** Comma-separated names, trimmed and lowercased, empty ones dropped. */
const lowercaseList = () =>
  z.string().transform((raw) =>
    raw
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );

/** A comma-separated list of `host` or `host:port` (no scheme, no path). */
const hostList = (fallback: string[]) =>
  lowercaseList()
    .pipe(z.array(z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$/, 'must be host or host:port names, comma-separated')))
    .default(fallback);

const PORT_MESSAGE = 'must be a port number from 1 to 65535';
const port = (fallback: number) =>
  z.coerce
    .number({ error: PORT_MESSAGE })
    .int(PORT_MESSAGE)
    .min(1, PORT_MESSAGE)
    .max(65_535, PORT_MESSAGE)
    .default(fallback);
const hostPort = z.string().regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'must be host:port');
/** A directory or file path, made absolute against the working directory. */
const path = () =>
  z
    .string()
    .min(1)
    .transform((p) => (isAbsolute(p) ? p : resolve(p)));

export const envSchema = z.object({
  /** REST API port. */
  PORT: port(3000),
  /** Interface the API binds to; 0.0.0.0 to listen on every interface (containers). */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** An existing Temporal frontend (host:port). Unset: `npm start` runs an embedded dev server. */
  TEMPORAL_ADDRESS: hostPort.optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** gRPC port of the embedded dev server. */
  TEMPORAL_PORT: port(7233),
  /** Web UI port of the embedded dev server. */
  TEMPORAL_UI_PORT: port(8233),
  /**
   * gzip on the worker's connection to the frontend (every request and response), or none: the SDK's default is gzip,
   * CPU for nothing between a worker and a frontend on one host or network (src/worker.ts, connectWorker).
   */
  TEMPORAL_GRPC_COMPRESSION: z.enum(['none', 'gzip']).default('none'),
  /** Embedded dev server state (temporal.sqlite) and other local data. */
  DATA_DIR: path().prefault('./.data'),
  /** Deployed step packages (docs/how-to/step-packages.md); every API and worker process reads the same folder. Unset: DATA_DIR/packages. */
  PACKAGES_DIR: path().optional(),
  /**
   * The shared step-package store of a fleet: `s3://bucket/prefix`. Every API and worker process
   * keeps a copy in PACKAGES_DIR and reads the bucket again every PACKAGES_POLL_MS. Unset: the folder alone.
   */
  PACKAGES_S3_URI: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/, 'must be s3://bucket or s3://bucket/prefix')
    .optional(),
  PACKAGES_POLL_MS: z.coerce.number().int().min(100).default(2_000),
  /** A step package's operation that keeps its thread busy this long without yielding (a busy loop) is stopped, failing its node. */
  PACKAGE_BLOCK_LIMIT_MS: z.coerce.number().int().min(100).default(30_000),
  /** The worker's admin port (`POST /workflows/reload`, `GET /workflows`); 0: a free one (printed); unset: none. */
  WORKER_ADMIN_PORT: z.coerce
    .number({ error: 'must be a port number from 0 to 65535' })
    .int('must be a port number from 0 to 65535')
    .min(0, 'must be a port number from 0 to 65535')
    .max(65_535, 'must be a port number from 0 to 65535')
    .optional(),
  WORKER_ADMIN_HOST: z.string().min(1).default('127.0.0.1'),
  /** How a worker names itself in a package's status; unset: `<hostname>:<pid>`. */
  WORKER_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be letters, digits and . _ : -')
    .optional(),
  TASK_QUEUE: z.string().min(1).default('deployments'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty`: one short line per event for a person; `json`: a JSON object per line. Unset: pretty on a terminal. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /** Gateway keys with tenant and role; see api-keys.ts for the two accepted forms. */
  API_KEYS: apiKeysSchema.optional(),
  /**
   * Without API_KEYS the API answers only to loopback Host names (DNS rebinding guard); these
   * comma-separated names (no ports) are accepted too. Ignored with API_KEYS (every Host is).
   */
  PUBLIC_HOSTNAMES: lowercaseList()
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/,
            'must be comma-separated host names without ports (e.g. deploy.internal,10.0.0.5)',
          ),
      ),
    )
    .optional(),
  /** The service's private key (base64) that opens sealed secrets in configs. */
  SERVICE_PRIVATE_KEY: z.string().min(1).optional(),
  /**
   * A migration aid: values sealed without a tenant (before --purpose) open for a tenant's runs
   * too; without it they open only where there are no tenants (no API_KEYS).
   */
  ALLOW_UNBOUND_SEALED_VALUES: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  /**
   * Tenants whose runs may call AWS as the service (its default credential chain) without
   * credentials.aws: comma-separated tenant names, or `*` for all. Default: none (each tenant
   * brings its own). Without API_KEYS there are no tenants and this does not apply.
   */
  AWS_SERVICE_IDENTITY_TENANTS: z
    .string()
    .transform(
      (raw): ServiceAwsTenants =>
        raw.trim() === '*'
          ? '*'
          : raw
              .split(',')
              .map((name) => name.trim())
              .filter(Boolean),
    )
    .default([]),
  /** AWS endpoint override (moto_server in tests, LocalStack, a VPC endpoint). */
  AWS_ENDPOINT_URL: z.url().optional(),
  GITHUB_API_URL: z.url().default('https://api.github.com'),
  /** A GitHub PAT sealed to the service's public key (npm run seal): GET /health reports its scopes and rate limit. */
  GITHUB_HEALTH_TOKEN: z.string().min(1).optional(),
  /**
   * Hosts a URL in a config (the Slack webhook) may name; anything else is refused before a
   * request, as is https missing or any address the host resolves to being private (src/providers/outbound.ts).
   */
  OUTBOUND_HOSTS: hostList(['hooks.slack.com']),
  /** Of OUTBOUND_HOSTS, those that may be plain http at loopback or private addresses (test stand-ins, an on-premises relay). */
  OUTBOUND_PRIVATE_HOSTS: hostList([]),
  /** Slack's Web API root (chat.postMessage with a bot token); tests point it at a surrogate. */
  SLACK_API_URL: z.url().default('https://slack.com/api/'),
  /** A folder of the operator's own deployment templates (JSON files), beside the built-in ones. */
  TEMPLATES_DIR: path().optional(),
  /**
   * The folder `aws:s3:object` source_path files are read from (relative paths inside it only; a
   * tenant's runs read its own sub-folder `<ARTIFACTS_DIR>/<tenant>/`); unset: none are.
   */
  ARTIFACTS_DIR: path().optional(),
  /** Where core:delay records each real apply/compensate (tests, chaos runs). */
  LEDGER_DIR: path().optional(),
  /**
   * How long Temporal keeps a finished run's history (set on the embedded server's namespace at
   * start; a cluster's namespace is set by its operator). Deployment records are never deleted.
   */
  RUN_RETENTION: durationSchema
    .pipe(
      z
        .number()
        .min(DAY_MS, 'must be at least 1d')
        .max(3_650 * DAY_MS, 'must be at most 3650d'),
    )
    .prefault('30d'),
  /** A pre-built workflow bundle for workers (skips bundling at start). */
  WORKFLOW_BUNDLE_PATH: path().optional(),
});

export type Env = z.output<typeof envSchema>;
export type EnvVar = keyof typeof envSchema.shape;
export const ENV_VARS = Object.keys(envSchema.shape) as EnvVar[];

/** The Temporal frontend every process uses: TEMPORAL_ADDRESS, else the embedded dev server's port. */
export const temporalAddress = (env: Env): string => env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.TEMPORAL_PORT}`;

/** Variables whose values must never appear in a message. */
const SECRET_VARS: ReadonlySet<string> = new Set<EnvVar>(['API_KEYS', 'SERVICE_PRIVATE_KEY', 'GITHUB_HEALTH_TOKEN']);

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the configuration; an empty value counts as unset. Throws ConfigError listing every problem. */
export function loadEnv(source: Readonly<Record<string, string | undefined>> = process.env): Env {
  const present = Object.fromEntries(ENV_VARS.flatMap((name) => (source[name] ? [[name, source[name]]] : [])));
  const parsed = envSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const [name = '', ...rest] = issue.path.map(String);
    const where = rest.length ? `${name} (entry ${rest.join('.')})` : name;
    const shown = SECRET_VARS.has(name) || !(name in present) ? '' : ` (got ${JSON.stringify(present[name])})`;
    return `  ${where}: ${issue.message}${shown}`;
  });
  throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}
