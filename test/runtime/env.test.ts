import { resolve } from 'node:path';
import { ConfigError, loadEnv } from '../../src/config/env';

const failure = (source: Record<string, string>): string => {
  try {
    loadEnv(source);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected loadEnv to fail');
};

describe('loadEnv', () => {
  it('applies the documented defaults when nothing is set', () => {
    expect(loadEnv({})).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_PORT: 7233,
      TEMPORAL_UI_PORT: 8233,
      TEMPORAL_GRPC_COMPRESSION: 'none',
      DATA_DIR: resolve('.data'),
      TASK_QUEUE: 'deployments',
      LOG_LEVEL: 'info',
      GITHUB_API_URL: 'https://api.github.com',
      SLACK_API_URL: 'https://slack.com/api/',
      RUN_RETENTION: 30 * 86_400_000,
      ALLOW_UNBOUND_SEALED_VALUES: false,
      AWS_SERVICE_IDENTITY_TENANTS: [],
      OUTBOUND_HOSTS: ['hooks.slack.com'],
      OUTBOUND_PRIVATE_HOSTS: [],
      PACKAGES_POLL_MS: 2_000,
      PACKAGE_BLOCK_LIMIT_MS: 30_000,
      WORKER_ADMIN_HOST: '127.0.0.1',
    });
  });

  it('reads TEMPORAL_GRPC_COMPRESSION as none or gzip, naming it otherwise', () => {
    expect(loadEnv({ TEMPORAL_GRPC_COMPRESSION: 'gzip' }).TEMPORAL_GRPC_COMPRESSION).toBe('gzip');
    expect(failure({ TEMPORAL_GRPC_COMPRESSION: 'zstd' })).toMatch(
      /^Invalid configuration:\n {2}TEMPORAL_GRPC_COMPRESSION: /,
    );
  });

  it('reads the step-package fleet settings, naming a bad one', () => {
    const env = loadEnv({ PACKAGES_S3_URI: 's3://acme-packages/prod', WORKER_ADMIN_PORT: '0', WORKER_ID: 'w-1' });
    expect([env.PACKAGES_S3_URI, env.WORKER_ADMIN_PORT, env.WORKER_ID]).toEqual(['s3://acme-packages/prod', 0, 'w-1']);
    expect(failure({ PACKAGES_S3_URI: 'https://acme-packages/prod' })).toBe(
      'Invalid configuration:\n  PACKAGES_S3_URI: must be s3://bucket or s3://bucket/prefix (got "https://acme-packages/prod")',
    );
    expect(failure({ WORKER_ADMIN_PORT: '70000' })).toBe(
      'Invalid configuration:\n  WORKER_ADMIN_PORT: must be a port number from 0 to 65535 (got "70000")',
    );
  });

  it('reads OUTBOUND_HOSTS as host or host:port names, naming the variable otherwise', () => {
    expect(loadEnv({ OUTBOUND_HOSTS: ' hooks.slack.com, Relay.internal:8443 ,' }).OUTBOUND_HOSTS).toEqual([
      'hooks.slack.com',
      'relay.internal:8443',
    ]);
    expect(failure({ OUTBOUND_PRIVATE_HOSTS: 'https://relay.internal/' })).toMatch(
      /OUTBOUND_PRIVATE_HOSTS \(entry 0\): must be host or host:port names, comma-separated/,
    );
  });

  it('reads AWS_SERVICE_IDENTITY_TENANTS as tenant names or * (all)', () => {
    expect(loadEnv({ AWS_SERVICE_IDENTITY_TENANTS: ' acme, globex ,' }).AWS_SERVICE_IDENTITY_TENANTS).toEqual([
      'acme',
      'globex',
    ]);
    expect(loadEnv({ AWS_SERVICE_IDENTITY_TENANTS: '*' }).AWS_SERVICE_IDENTITY_TENANTS).toBe('*');
  });

  it('takes ALLOW_UNBOUND_SEALED_VALUES as true or false, naming the variable otherwise', () => {
    expect(loadEnv({ ALLOW_UNBOUND_SEALED_VALUES: 'true' }).ALLOW_UNBOUND_SEALED_VALUES).toBe(true);
    expect(loadEnv({ ALLOW_UNBOUND_SEALED_VALUES: 'false' }).ALLOW_UNBOUND_SEALED_VALUES).toBe(false);
    expect(failure({ ALLOW_UNBOUND_SEALED_VALUES: 'yes' })).toBe(
      'Invalid configuration:\n  ALLOW_UNBOUND_SEALED_VALUES: must be true or false (got "yes")',
    );
  });

  it('takes RUN_RETENTION as a duration of 1 to 3650 days, naming the variable otherwise', () => {
    expect(loadEnv({ RUN_RETENTION: '7d' }).RUN_RETENTION).toBe(7 * 86_400_000);
    expect(() => loadEnv({ RUN_RETENTION: '1h' })).toThrow(/RUN_RETENTION: must be at least 1d/);
    expect(() => loadEnv({ RUN_RETENTION: 'forever' })).toThrow(/RUN_RETENTION: "forever" is not a duration/);
  });

  it('parses set values and treats empty values as unset', () => {
    const env = loadEnv({
      PORT: '8080',
      TEMPORAL_ADDRESS: 'temporal:7233',
      DATA_DIR: '/var/lib/x',
      LEDGER_DIR: '',
      TASK_QUEUE: 'q',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      TEMPORAL_ADDRESS: 'temporal:7233',
      DATA_DIR: '/var/lib/x',
      TASK_QUEUE: 'q',
    });
    expect(env.LEDGER_DIR).toBeUndefined();
  });

  it('reports every bad variable at once, by name, with the offending value', () => {
    const message = failure({
      PORT: 'abc',
      TEMPORAL_UI_PORT: '70000',
      TEMPORAL_ADDRESS: 'no-port',
      LOG_LEVEL: 'loud',
      AWS_ENDPOINT_URL: 'not a url',
    });
    expect(message).toMatch(/PORT: must be a port number from 1 to 65535 \(got "abc"\)/);
    expect(message).toMatch(/TEMPORAL_UI_PORT: must be a port number/);
    expect(message).toMatch(/TEMPORAL_ADDRESS: must be host:port \(got "no-port"\)/);
    expect(message).toMatch(/LOG_LEVEL: .*\(got "loud"\)/);
    expect(message).toMatch(/AWS_ENDPOINT_URL: /);
  });

  it('parses API_KEYS in the compact form and in JSON', () => {
    const compact = loadEnv({ API_KEYS: 'k-aaaaaaaaaaaaaaaa:acme:operate, k-bbbbbbbbbbbbbbbb:globex:read' });
    expect(compact.API_KEYS).toEqual([
      { key: 'k-aaaaaaaaaaaaaaaa', tenant: 'acme', role: 'operate' },
      { key: 'k-bbbbbbbbbbbbbbbb', tenant: 'globex', role: 'read' },
    ]);
    const json = loadEnv({ API_KEYS: JSON.stringify([{ key: 'k-cccccccccccccccc', tenant: 'acme', role: 'admin' }]) });
    expect(json.API_KEYS).toEqual([{ key: 'k-cccccccccccccccc', tenant: 'acme', role: 'admin' }]);
  });

  it('rejects bad API_KEYS entries by position without echoing any key', () => {
    const message = failure({
      API_KEYS: 'k-aaaaaaaaaaaaaaaa:acme:superuser,short:acme:read,k-aaaaaaaaaaaaaaaa:acme:read',
    });
    expect(message).toMatch(/API_KEYS \(entry 0\.role\)/);
    expect(message).toMatch(/API_KEYS \(entry 1\.key\): must be at least 16 characters/);
    expect(message).not.toContain('k-aaaaaaaaaaaaaaaa');
    expect(message).not.toContain('short');
    expect(failure({ API_KEYS: 'k-aaaaaaaaaaaaaaaa:acme:read,k-aaaaaaaaaaaaaaaa:acme:admin' })).toMatch(
      /API_KEYS: the same key appears twice/,
    );
    expect(failure({ API_KEYS: '[{"key":' })).toMatch(/API_KEYS: must be a JSON array/);
  });
});
