/**
 * Step packages on a fleet: the S3 store (moto_server), an API with its own package folder and
 * two worker processes (`src/main-worker.ts`, as deployed) with theirs, as on three machines. The
 * workers poll the store only once a minute, so a version reaches a worker by load on first use:
 * whichever worker picks a node fetches the version by the hash the run's graph recorded. The
 * worker's admin port reloads at once, and the package's status shows which worker has loaded it.
 * A package may use the provider clients the service ships (here the S3 client, against moto).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Principal } from '../../src/api/auth/principal';
import { compilePackage } from '../../src/api/services/package-compile';
import { Packages, type Compile } from '../../src/api/services/packages';
import { packageBucket } from '../../src/providers/package-bucket';
import { PackageStore } from '../../src/resources/packages/package-store';
import { PackageSync } from '../../src/resources/packages/package-sync';
import { freePort } from '../../src/runtime/free-port';
import { config } from '../../support/deployments';
import { temporalAddress, testClient, uniqueId } from '../../support/temporal';
import { spawnWorker, type WorkerProcess } from '../../support/worker-process';
import { API_KEYS, KEYS, testApi } from '../api/helpers/app';
import type { Http } from '../api/helpers/http';
import { finished, waitForRun, type RunView } from '../api/helpers/runs';
import { startMoto, type Moto } from '../helpers/moto';
import { ACME_DNS_FILES, startDnsApi, type DnsApi } from './helpers/acme-dns';

const BUCKET = 'mgraph-packages';
const AWS_ENV = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' };
const AWS_ENV_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const root = mkdtempSync(join(tmpdir(), 'package-fleet-'));
const taskQueue = uniqueId('fleet');
const admin = { key: KEYS.aAdmin };

let moto: Moto;
let s3: S3Client;
let dns: DnsApi;
let temporal: Awaited<ReturnType<typeof testClient>>;
let api: Http;
const workers: Record<string, { process: WorkerProcess; dir: string; admin: string }> = {};
/** The worker the first test leaves running. */
let survivor = '';

async function startFleetWorker(id: string): Promise<void> {
  const dir = join(root, id);
  const port = await freePort();
  const process = spawnWorker({
    ...AWS_ENV,
    TEMPORAL_ADDRESS: temporalAddress(),
    TASK_QUEUE: taskQueue,
    DATA_DIR: dir,
    PACKAGES_DIR: join(dir, 'packages'),
    PACKAGES_S3_URI: `s3://${BUCKET}/store`,
    AWS_ENDPOINT_URL: moto.endpoint,
    PACKAGES_POLL_MS: '60000',
    WORKER_ID: id,
    WORKER_ADMIN_PORT: String(port),
  });
  workers[id] = { process, dir, admin: `http://127.0.0.1:${port}` };
  await process.ready;
}

beforeAll(async () => {
  [moto, dns, temporal] = await Promise.all([startMoto(), startDnsApi(), testClient()]);
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    forcePathStyle: true,
    credentials: AWS_ENV_CREDENTIALS,
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  Object.assign(process.env, AWS_ENV, {
    PACKAGES_DIR: join(root, 'api'),
    PACKAGES_S3_URI: `s3://${BUCKET}/store`,
    AWS_ENDPOINT_URL: moto.endpoint,
  });
  await Promise.all([startFleetWorker('worker-a'), startFleetWorker('worker-b')]);
  api = testApi({ client: temporal.client, taskQueue, keys: API_KEYS });
}, 90_000);

afterAll(async () => {
  await Promise.all(Object.values(workers).map((w) => w.process.kill('SIGTERM')));
  await temporal?.close();
  await dns?.close();
  await moto?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function applied(name: string, value: string): Promise<RunView> {
  const body = { config: config({ www: { type: 'acme:dns:record', properties: { api_url: dns.url, name, value } } }) };
  const started = await api.post('/deploy/apply', body, { key: KEYS.aOperate });
  if (started.status !== 202) throw new Error(`apply: ${started.status} ${JSON.stringify(started.body)}`);
  return waitForRun(api, started.body.status_url as string, finished, KEYS.aOperate);
}

const echoSource = (type: string): string => `import { defineResourceType, z } from 'mgraph/sdk';
export default defineResourceType({
  type: '${type}',
  description: 'Outputs nothing',
  properties: z.object({}).strict(),
  plan: async () => ({ action: 'create' }),
  apply: async () => ({ outputs: {}, undo: null }),
  compensate: async () => 'nothing to undo',
});
`;

const hasVersion = (id: string, hash: string): boolean =>
  existsSync(join(workers[id]?.dir ?? '', 'packages', 'versions', `${hash}.json`));

describe('step packages on a fleet (S3 store, two worker processes)', () => {
  it('are run by whichever worker picks the node, each loading the version on first use', async () => {
    const deployed = await api.post('/packages/acme-dns/deploy', { files: ACME_DNS_FILES }, admin);
    expect([deployed.status, deployed.body.version]).toEqual([201, 1]);
    const hash = deployed.body.hash as string;
    const index = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'store/index.json' }));
    expect(JSON.parse(await index.Body!.transformToString()).packages['acme-dns'].current).toBe(hash);
    const version = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `store/versions/${hash}.json` }));
    expect(JSON.parse(await version.Body!.transformToString()).hash).toBe(hash);
    // Neither worker has it: they read the store at start, before the deploy, and not again for a minute.
    expect([hasVersion('worker-a', hash), hasVersion('worker-b', hash)]).toEqual([false, false]);

    const first = await applied('www', '10.0.0.1');
    expect([first.status, first.nodes[0]?.outputs]).toEqual(['completed', { fqdn: 'www.acme.test' }]);
    expect(dns.records.get('www')).toBe('10.0.0.1');
    const ran = ['worker-a', 'worker-b'].filter((id) => hasVersion(id, hash));
    expect(ran).toHaveLength(1);
    const [firstWorker = ''] = ran;
    const other = firstWorker === 'worker-a' ? 'worker-b' : 'worker-a';

    // Only the other worker is left: the next run's node is its first use of the version.
    await workers[firstWorker]?.process.kill('SIGTERM');
    const second = await applied('api', '10.0.0.2');
    expect([second.status, dns.records.get('api')]).toEqual(['completed', '10.0.0.2']);
    expect(hasVersion(other, hash)).toBe(true);
    survivor = other;
  });

  it("reloads on the worker's admin port, and the package's status names the worker that loaded it", async () => {
    const id = survivor;
    const reload = await fetch(`${workers[id]?.admin ?? ''}/workflows/reload`, { method: 'POST' });
    const body = (await reload.json()) as Record<string, unknown>;
    expect([reload.status, body['reloaded'], body['worker']]).toEqual([200, true, id]);
    expect(body['current']).toEqual([expect.objectContaining({ name: 'acme-dns', version: 1 })]);
    expect((await fetch(`${workers[id]?.admin ?? ''}/workflows/reload`)).status).toBe(405);

    const status = await api.get('/packages/acme-dns', admin);
    expect(status.body.workers).toEqual(
      expect.arrayContaining([expect.objectContaining({ worker: id, version: 1, hash: status.body.hash })]),
    );
  });

  it('may use the provider clients the service ships: a type writing an S3 object with @aws-sdk/client-s3', async () => {
    const files = {
      'index.ts': `import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { defineResourceType, z } from 'mgraph/sdk';
export const note = defineResourceType({
  type: 'acme:s3:note',
  description: 'A note in an S3 bucket',
  properties: z.object({ endpoint: z.string(), bucket: z.string(), key: z.string(), text: z.string() }),
  plan: async () => ({ action: 'create' }),
  apply: async (_ctx, { properties: p }) => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: p.endpoint, forcePathStyle: true });
    await s3.send(new PutObjectCommand({ Bucket: p.bucket, Key: p.key, Body: p.text }));
    return { outputs: { key: p.key }, undo: null };
  },
  compensate: async () => 'kept',
});
`,
    };
    expect((await api.post('/packages/acme-notes/deploy', { files }, admin)).status).toBe(201);
    const properties = {
      endpoint: moto.endpoint,
      bucket: BUCKET,
      key: 'notes/hello.txt',
      text: 'written by a package',
    };
    const body = { config: config({ note: { type: 'acme:s3:note', properties } }) };
    const started = await api.post('/deploy/apply', body, { key: KEYS.aOperate });
    const run = await waitForRun(api, started.body.status_url as string, finished, KEYS.aOperate);
    expect([run.status, run.nodes[0]?.outputs]).toEqual(['completed', { key: 'notes/hello.txt' }]);
    const note = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'notes/hello.txt' }));
    expect(await note.Body!.transformToString()).toBe('written by a package');
  });

  it('refuses a change with 503 store_unavailable while the shared store cannot be reached, changing nothing', async () => {
    const store = new PackageStore(join(root, 'unreachable'));
    const sync = new PackageSync(store, packageBucket('s3://no-such-bucket/store', { endpoint: moto.endpoint }));
    const packages = new Packages(() => Promise.resolve([]), sync);
    const refused = packages.deploy({ tenant: null, role: 'admin' } as Principal, 'acme-dns', ACME_DNS_FILES);
    await expect(refused).rejects.toMatchObject({
      status: 503,
      type: 'store_unavailable',
      message: expect.stringContaining('the step-package store s3://no-such-bucket/store cannot be reached'),
    });
    expect(store.records().size).toBe(0);
  });

  it('keeps both of two changes made at once through two API processes (the index is written only over the one read)', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const apiProcess = (folder: string, compile: Compile) =>
      new Packages(
        () => Promise.resolve([]),
        new PackageSync(
          new PackageStore(join(root, folder)),
          packageBucket(`s3://${BUCKET}/store`, { endpoint: moto.endpoint }),
        ),
        compile,
      );
    const principal = { tenant: 'tenant-a', role: 'admin' } as Principal;
    const slow = apiProcess('api-slow', async (name, files) => {
      await held;
      return compilePackage(name, files);
    });
    const quick = apiProcess('api-quick', (name, files) => Promise.resolve(compilePackage(name, files)));
    const files = (type: string) => ({ 'index.ts': echoSource(type) });

    // The slow one read the index before the quick one changed it, and writes after.
    const first = slow.deploy(principal, 'acme-slow', files('acme:slow:echo'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await quick.deploy(principal, 'acme-quick', files('acme:quick:echo'));
    release();
    await first;
    const index = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'store/index.json' }));
    const names = Object.keys(JSON.parse(await index.Body!.transformToString()).packages as object);
    expect(names).toEqual(expect.arrayContaining(['acme-dns', 'acme-notes', 'acme-slow', 'acme-quick']));
  });
});
