/**
 * Step packages over REST on the real engine: an admin deploys a package defining
 * `acme:dns:record` (a small DNS API on 127.0.0.1); the type appears in /resource-types and the
 * config JSON Schema, its schema validates configs, and a deployment using it applies, verifies
 * and rolls back through its compensate. Bad packages are DEPLOYMENT_FAILED with file:line
 * problems; a package whose operations throw, or loop without yielding, fails only its own nodes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config, delay } from '../../support/deployments';
import { useTemporal } from '../../support/temporal';
import { API_KEYS, KEYS, testApi } from '../api/helpers/app';
import type { Http } from '../api/helpers/http';
import { finished, waitForRun, type RunView } from '../api/helpers/runs';
import { ACME_DNS_FILES, startDnsApi, type DnsApi } from './helpers/acme-dns';

const packagesDir = mkdtempSync(join(tmpdir(), 'packages-api-'));
process.env['PACKAGES_DIR'] = packagesDir;
process.env['PACKAGE_BLOCK_LIMIT_MS'] = '2000';

const temporal = useTemporal();
let api: Http;
let dns: DnsApi;

beforeAll(async () => {
  api = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue, keys: API_KEYS });
  dns = await startDnsApi();
});
afterAll(async () => {
  await dns.close();
  rmSync(packagesDir, { recursive: true, force: true });
});

const admin = { key: KEYS.aAdmin };

async function runToEnd(path: string, body: unknown, until: (run: RunView) => boolean = finished): Promise<RunView> {
  const started = await api.post(path, body, { key: KEYS.aOperate });
  if (started.status !== 202) throw new Error(`${path}: ${started.status} ${JSON.stringify(started.body)}`);
  return waitForRun(api, started.body.status_url as string, until, KEYS.aOperate);
}

const record = (name: string, value: string) => ({
  type: 'acme:dns:record',
  properties: { api_url: dns.url, name, value },
});

/** A package whose one type outputs the version that applied it. */
const echo = (version: number) => ({
  'index.ts': `import { defineResourceType, z } from 'mgraph/sdk';
export default defineResourceType({
  type: 'acme:echo:version',
  description: 'Outputs the version of the package that applied it',
  properties: z.object({}).strict(),
  plan: async () => ({ action: 'create' }),
  apply: async () => ({ outputs: { applied_by: ${version} }, undo: null }),
  compensate: async () => 'nothing to undo',
});
`,
});

describe('a step package', () => {
  it('deploys as an admin (once per content), and its type is published', async () => {
    expect(
      (await api.post('/packages/acme-dns/deploy', { files: ACME_DNS_FILES }, { key: KEYS.aOperate })).status,
    ).toBe(403);

    const deployed = await api.post('/packages/acme-dns/deploy', { files: ACME_DNS_FILES }, admin);
    expect([deployed.status, deployed.body]).toEqual([
      201,
      expect.objectContaining({
        exists: true,
        isDeployed: true,
        deploymentStatus: 'DEPLOYED',
        version: 1,
        types: ['acme:dns:record'],
        unchanged: false,
      }),
    ]);
    const again = await api.post('/packages/acme-dns/deploy', { files: ACME_DNS_FILES }, admin);
    expect([again.status, again.body.version, again.body.unchanged]).toEqual([200, 1, true]);

    const type = await api.get('/resource-types/acme:dns:record', admin);
    expect([type.status, type.body.provider, Object.keys(type.body.properties_schema.properties)]).toEqual([
      200,
      'package',
      ['api_url', 'name', 'value'],
    ]);
    expect(JSON.stringify((await api.get('/schemas/deployment.json', admin)).body)).toContain('acme:dns:record');

    const listed = await api.get('/packages', admin);
    expect(listed.body).toMatchObject({ workflows: ['acme-dns'], count: 1 });
    expect((await api.get('/packages', { key: KEYS.bAdmin })).body).toMatchObject({ workflows: [], count: 0 });
    expect((await api.post('/packages/acme-dns/deploy', { files: ACME_DNS_FILES }, { key: KEYS.bAdmin })).status).toBe(
      409,
    );
    expect((await api.get('/packages/acme-dns/logs', admin)).body.logs.at(-1).message).toBe(
      'deployed version 1: acme:dns:record',
    );
  });

  it('validates configs with its schema, applies, verifies and rolls back through its compensate', async () => {
    const bad = await api.post(
      '/deploy/plan',
      { config: config({ www: { type: 'acme:dns:record', properties: { api_url: dns.url, name: 'www' } } }) },
      { key: KEYS.aOperate },
    );
    expect([bad.status, JSON.stringify(bad.body)]).toEqual([
      400,
      expect.stringContaining('resources.www.properties.value'),
    ]);

    const first = config({ www: record('www', '10.0.0.1') });
    const applied = await runToEnd('/deploy/apply', { config: first });
    expect([applied.status, applied.nodes[0]?.outputs]).toEqual(['completed', { fqdn: 'www.acme.test' }]);
    expect(dns.records.get('www')).toBe('10.0.0.1');

    dns.records.set('www', '10.9.9.9');
    const verified = await runToEnd('/deploy/verify', { deployment_id: first['deployment_id'] });
    expect(verified.nodes[0]?.drift).toEqual([{ property: 'value', desired: '10.0.0.1', actual: '10.9.9.9' }]);
    dns.records.set('www', '10.0.0.1');

    const second = {
      ...config(
        {
          www: record('www', '10.0.0.2'),
          later: delay({ fail_times: 5, non_retryable: true }, { depends_on: ['www'] }),
        },
        { on_failure: 'rollback' },
      ),
      deployment_id: first['deployment_id'],
    };
    const rolledBack = await runToEnd('/deploy/apply', { config: second });
    expect(rolledBack.status).toBe('rolled_back');
    expect(dns.records.get('www')).toBe('10.0.0.1');
  });

  it('is DEPLOYMENT_FAILED with file:line problems for invalid TypeScript, and a forbidden import is refused by name', async () => {
    const broken = {
      ...ACME_DNS_FILES,
      'client.ts': `${ACME_DNS_FILES['client.ts'] ?? ''}export const n: number = 'x';\n`,
    };
    const failed = await api.post('/packages/acme-broken/deploy', { files: broken }, admin);
    expect([failed.status, failed.body.error.type, failed.body.error.details.problems]).toEqual([
      400,
      'invalid_package',
      [expect.objectContaining({ file: 'client.ts', line: 11 })],
    ]);
    expect((await api.get('/packages/acme-broken', admin)).body).toMatchObject({
      exists: true,
      isDeployed: false,
      deploymentStatus: 'DEPLOYMENT_FAILED',
    });
    const logs = (await api.get('/packages/acme-broken/logs', admin)).body.logs as { level: string; message: string }[];
    expect(logs.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      expect.stringMatching(/^client\.ts:11: Type 'string' is not assignable to type 'number'/),
    ]);

    const imports = await api.post(
      '/packages/pads/deploy',
      { files: { 'index.ts': "import pad from 'left-pad';\n" } },
      admin,
    );
    expect([imports.status, imports.body.error.details.problems[0].message]).toEqual([
      400,
      expect.stringContaining('import "left-pad" is not allowed'),
    ]);
    expect((await api.get('/packages/never', admin)).body).toMatchObject({
      exists: false,
      deploymentStatus: 'UNDEPLOYED',
    });
    expect((await api.get('/packages/never/logs', admin)).status).toBe(404);
    expect((await api.post('/packages/Bad_Name/deploy', { files: ACME_DNS_FILES }, admin)).status).toBe(400);
  });

  it('keeps the version a run started with: a paused run continues on version 1 after version 2 is deployed', async () => {
    expect((await api.post('/packages/acme-echo/deploy', { files: echo(1) }, admin)).body.version).toBe(1);
    const gated = config({
      gate: { type: 'core:approval', properties: {} },
      echo: { type: 'acme:echo:version', properties: {}, depends_on: ['gate'] },
    });
    await runToEnd('/deploy/apply', { config: gated }, (r) => r.status === 'paused');

    expect((await api.post('/packages/acme-echo/deploy', { files: echo(2) }, admin)).body.version).toBe(2);
    const refused = await api.post('/packages/acme-echo/undeploy', {}, admin);
    expect([refused.status, refused.body.error.type, refused.body.error.details.deployments]).toEqual([
      409,
      'in_use',
      [{ deployment_id: gated['deployment_id'], status: expect.stringMatching(/^(paused|running)$/) }],
    ]);
    expect(refused.body.error.message).toContain(`in use by ${String(gated['deployment_id'])} (`);
    expect((await api.post('/packages/acme-echo/undeploy', {}, { key: KEYS.bAdmin })).status).toBe(404);
    expect((await api.get('/packages/acme-echo', admin)).body).toMatchObject({
      deploymentStatus: 'DEPLOYED',
      version: 2,
    });
    const continued = await api.post(
      '/deploy/continue',
      { deployment_id: gated['deployment_id'], node_id: 'gate' },
      { key: KEYS.aOperate },
    );
    expect(continued.status).toBe(200);
    const paused = await waitForRun(api, `/deploy/status/${String(gated['deployment_id'])}`, finished, KEYS.aOperate);
    expect(paused.nodes.find((n) => n.resource_id === 'echo')?.outputs).toEqual({ applied_by: 1 });

    const fresh = await runToEnd('/deploy/apply', {
      config: config({ echo: { type: 'acme:echo:version', properties: {} } }),
    });
    expect(fresh.nodes[0]?.outputs).toEqual({ applied_by: 2 });
  });

  it('rolls back to an earlier version, undeploys when no run uses it, and redeploys', async () => {
    const echoConfig = () => config({ echo: { type: 'acme:echo:version', properties: {} } });
    const rolledBack = await api.post('/packages/acme-echo/rollback', { version: 1 }, admin);
    expect([rolledBack.status, rolledBack.body.version, rolledBack.body.unchanged]).toEqual([200, 1, false]);
    expect((await runToEnd('/deploy/apply', { config: echoConfig() })).nodes[0]?.outputs).toEqual({ applied_by: 1 });
    const unknown = await api.post('/packages/acme-echo/rollback', { version: 9 }, admin);
    expect([unknown.status, JSON.stringify(unknown.body)]).toEqual([400, expect.stringContaining('body.version')]);
    expect(JSON.stringify(unknown.body.error.details)).toContain('has no version 9 (its versions: 1, 2)');

    const undeployed = await api.post('/packages/acme-echo/undeploy', {}, admin);
    expect([undeployed.status, undeployed.body]).toEqual([
      200,
      expect.objectContaining({ deploymentStatus: 'UNDEPLOYED', isDeployed: false, version: null, unchanged: false }),
    ]);
    expect((await api.post('/packages/acme-echo/undeploy', {}, admin)).body.unchanged).toBe(true);
    expect((await api.get('/resource-types/acme:echo:version', admin)).status).toBe(404);
    const plan = await api.post('/deploy/plan', { config: echoConfig() }, { key: KEYS.aOperate });
    expect([plan.status, JSON.stringify(plan.body)]).toEqual([400, expect.stringContaining('acme:echo:version')]);

    const back = await api.post('/packages/acme-echo/rollback', { version: 2 }, admin);
    expect([back.status, back.body.deploymentStatus, back.body.version]).toEqual([200, 'DEPLOYED', 2]);
    const redeployed = await api.post('/packages/acme-echo/redeploy', { files: echo(3) }, admin);
    expect([redeployed.status, redeployed.body.version]).toEqual([201, 3]);
    expect((await runToEnd('/deploy/apply', { config: echoConfig() })).nodes[0]?.outputs).toEqual({ applied_by: 3 });
    expect((await api.post('/packages/acme-nothing/redeploy', { files: echo(3) }, admin)).status).toBe(404);

    const logs = ((await api.get('/packages/acme-echo/logs', admin)).body.logs as { message: string }[]).map(
      (l) => l.message,
    );
    expect(logs).toEqual(
      expect.arrayContaining([
        'deployed version 1: acme:echo:version',
        expect.stringContaining('is in use by'),
        'rolled back to version 1: acme:echo:version',
        'undeployed: new runs cannot use its types; its versions are kept',
        'deployed version 3: acme:echo:version',
      ]),
    );
  });

  it('whose operations throw fails only its own nodes, and the worker goes on', async () => {
    const throwing = {
      'index.ts': `import { defineResourceType, z } from 'mgraph/sdk';
export const flaky = defineResourceType({
  type: 'acme:flaky:thing',
  description: 'Throws from every operation',
  properties: z.object({}).strict(),
  plan: async () => { throw new Error('flaky plan'); },
  apply: async () => { throw new Error('flaky apply'); },
  compensate: async () => { throw new Error('flaky compensate'); },
});
`,
    };
    expect((await api.post('/packages/acme-flaky/deploy', { files: throwing }, admin)).status).toBe(201);
    const flakyConfig = config({ flaky: { type: 'acme:flaky:thing', properties: {} }, fine: delay() });
    const run = await runToEnd('/deploy/apply', { config: flakyConfig }, (r) => r.status === 'awaiting_decision');
    const byId = Object.fromEntries(run.nodes.map((n) => [n.resource_id, n]));
    expect([byId['fine']?.status, byId['flaky']?.status]).toEqual(['completed', 'failed']);
    expect(JSON.stringify(byId['flaky'])).toContain('flaky apply');
    const aborted = await api.post(
      '/deploy/abort',
      { deployment_id: flakyConfig['deployment_id'] },
      { key: KEYS.aOperate },
    );
    expect(aborted.status).toBe(200);
    expect((await runToEnd('/deploy/apply', { config: config({ www: record('other', '10.1.1.1') }) })).status).toBe(
      'completed',
    );
  });

  it('whose operation loops without yielding fails its node after PACKAGE_BLOCK_LIMIT_MS, and the worker goes on', async () => {
    const looping = {
      'index.ts': `import { defineResourceType, z } from 'mgraph/sdk';
export const spin = defineResourceType({
  type: 'acme:spin:forever',
  description: 'Never yields once applying',
  properties: z.object({}).strict(),
  plan: async () => ({ action: 'create' }),
  apply: async (ctx) => {
    ctx.log('spinning');
    await Promise.resolve();
    for (;;) {}
  },
  compensate: async () => 'nothing to undo',
});
`,
    };
    expect((await api.post('/packages/acme-spin/deploy', { files: looping }, admin)).status).toBe(201);
    const spinning = config({
      spin: { type: 'acme:spin:forever', properties: {} },
      fine: delay({ duration_ms: 3_000 }),
    });
    const run = await runToEnd('/deploy/apply', { config: spinning }, (r) => r.status === 'awaiting_decision');
    const byId = Object.fromEntries(run.nodes.map((n) => [n.resource_id, n]));
    expect([byId['fine']?.status, byId['spin']?.status]).toEqual(['completed', 'failed']);
    expect((byId['spin'] as unknown as { error: string }).error).toContain(
      'acme:spin:forever (package "acme-spin" version 1): its code kept its thread busy for more than 2 s',
    );
    expect(
      (await api.post('/deploy/abort', { deployment_id: spinning['deployment_id'] }, { key: KEYS.aOperate })).status,
    ).toBe(200);
    expect(
      (await runToEnd('/deploy/apply', { config: config({ www: record('after-spin', '10.2.2.2') }) })).status,
    ).toBe('completed');
  });
});
