/**
 * No Docker engine runs here, so docker-compose.yml is kept honest by reading it: the services
 * exist, every variable it gives the app is one src/config/env.ts reads, the npm scripts it runs
 * exist, and the init step registers exactly the workflow's search attributes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ENV_VARS } from '../../src/config/env';
import { clusterConfig } from '../../src/runtime/cluster/server-config';
import { SERVER_TUNING } from '../../src/runtime/server-tuning';
import { SEARCH_ATTRIBUTES } from '../../src/workflows/messages';

interface Service {
  image?: string;
  build?: string;
  command?: string[] | string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: string | number };
  volumes?: string[];
}

/** Read by the AWS SDK itself (the worker's default credential chain), not by src/config/env.ts. */
const AWS_DEFAULT_CHAIN = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION'];

const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

describe('docker-compose.yml', () => {
  it('defines PostgreSQL, Temporal, its init step, the Web UI, the API and the workers', () => {
    expect(Object.keys(services).sort()).toEqual([
      'api',
      'postgres',
      'temporal',
      'temporal-init',
      'temporal-ui',
      'worker',
    ]);
    expect(service('temporal').environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
    expect(service('temporal').depends_on?.['postgres']?.condition).toBe('service_healthy');
  });

  it("gives the API and the workers only variables that src/config/env.ts or the AWS SDK's default chain read, and one shared service key", () => {
    for (const name of ['api', 'worker']) {
      const vars = Object.keys(service(name).environment ?? {});
      expect(vars.length).toBeGreaterThan(0);
      expect(vars.filter((v) => !(ENV_VARS as string[]).includes(v) && !AWS_DEFAULT_CHAIN.includes(v))).toEqual([]);
      expect(service(name).environment?.['SERVICE_PRIVATE_KEY']).toMatch(/^\$\{SERVICE_PRIVATE_KEY:\?/);
      expect(service(name).environment?.['TEMPORAL_ADDRESS']).toBe('temporal:7233');
    }
    expect(service('api').environment?.['HOST']).toBe('0.0.0.0');
  });

  it('gives the API and every worker the same step-package folder (a volume where the image makes DATA_DIR/packages)', () => {
    for (const name of ['api', 'worker']) expect(service(name).volumes).toContain('packages:/app/.data/packages');
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toContain('mkdir -p /app/.data/packages');
  });

  it('runs npm scripts that exist in package.json, after the init step, from the Dockerfile image', () => {
    const runs = { api: 'start:api', worker: 'start:worker' };
    for (const [name, script] of Object.entries(runs)) {
      expect(service(name).command).toEqual(['npm', 'run', script]);
      expect(packageJson.scripts[script]).toBeDefined();
      const entry = /^tsx (\S+)$/.exec(packageJson.scripts[script] ?? '')?.[1];
      expect(entry && existsSync(join(root, entry))).toBe(true);
      expect(service(name).build).toBe('.');
      expect(service(name).depends_on?.['temporal-init']?.condition).toBe('service_completed_successfully');
    }
    expect(existsSync(join(root, 'Dockerfile'))).toBe(true);
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/^FROM node:20-slim$/m);
    // What the service reads at start besides its code: the built-in templates, and the dashboard's
    // bundle, built in a stage of its own from the dev dependencies.
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^COPY templates \.\/templates$/m);
    expect(dockerfile).toMatch(/^FROM node:20-slim AS dashboard$[\s\S]*^RUN node ui\/build\.mjs$/m);
    expect(dockerfile).toMatch(/^COPY --from=dashboard \/app\/ui\/dist \.\/ui\/dist$/m);
    // The workflow bundle built as the worker builds its own (ES2022, the service's payload converter).
    expect(dockerfile).toMatch(
      /^RUN node_modules\/\.bin\/tsx -e "require\('\.\/src\/runtime\/workflow-bundle'\)\.writeWorkflowBundle\(require\.resolve\('\.\/src\/workflows'\), 'workflow-bundle\.js'\)"$/m,
    );
  });

  it('runs the Temporal server version `npm run cluster` builds, on PostgreSQL as the cluster does', () => {
    const built = /TEMPORAL_SERVER_VERSION = '([\d.]+)'/.exec(
      readFileSync(join(root, 'scripts', 'lib', 'temporal-server.mjs'), 'utf8'),
    )?.[1];
    expect(built).toMatch(/^\d+\.\d+\.\d+$/);
    for (const name of ['temporal', 'temporal-init'])
      expect(service(name).image).toBe(`temporalio/auto-setup:${built}`);
    const cluster = clusterConfig({
      ports: { frontend: 1, frontendHttp: 2, history: 3, matching: 4, worker: 5, membership: [6, 7, 8, 9] },
      postgres: { port: 5432, user: 'temporal', password: 'p' },
      dynamicConfigFile: 'deploy/temporal-dynamic-config.yaml',
    }) as { persistence: { datastores: Record<string, { sql: { pluginName: string } }> } };
    const plugins = Object.values(cluster.persistence.datastores).map((store) => store.sql.pluginName);
    expect(plugins).toEqual(plugins.map(() => service('temporal').environment?.['DB']));
  });

  it('scales the workers with WORKERS (default 2)', () => {
    expect(service('worker').deploy?.replicas).toBe('${WORKERS:-2}');
  });

  it('registers exactly the workflow search attributes as Keyword in the init step', () => {
    const script = [service('temporal-init').command ?? []].flat().join('\n');
    const loop = /for name in ([^;]+);/.exec(script)?.[1]?.trim().split(/\s+/);
    expect(loop?.sort()).toEqual(Object.values(SEARCH_ATTRIBUTES).sort());
    expect(script).toContain('search-attribute create --namespace "$$NAMESPACE" --name "$$name" --type Keyword');
  });

  it("gives the Temporal server the dev server's latency settings (src/runtime/server-tuning.ts) from deploy/", () => {
    const temporal = service('temporal');
    const mount = temporal.volumes?.find((v) => v.startsWith('./deploy/temporal-dynamic-config.yaml:'));
    expect(mount).toBe('./deploy/temporal-dynamic-config.yaml:/etc/temporal/config/dynamicconfig/orchestrator.yaml:ro');
    expect(temporal.environment?.['DYNAMIC_CONFIG_FILE_PATH']).toBe('config/dynamicconfig/orchestrator.yaml');
    const file = parse(readFileSync(join(root, 'deploy', 'temporal-dynamic-config.yaml'), 'utf8')) as Record<
      string,
      { value: unknown }[]
    >;
    const values = Object.fromEntries(Object.entries(file).map(([key, entries]) => [key, entries[0]?.value]));
    expect(values).toEqual(SERVER_TUNING);
  });
});
