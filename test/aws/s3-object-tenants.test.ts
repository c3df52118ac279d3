/**
 * Issue 23 finding 13: ARTIFACTS_DIR per tenant. With API_KEYS a run reads `aws:s3:object`
 * source_path files only from its tenant's folder, ARTIFACTS_DIR/<tenant>/: tenant A's run cannot
 * upload tenant B's file, by a path into B's folder or by a symlink to it. A run without a tenant
 * (no API_KEYS) reads ARTIFACTS_DIR itself, as before. Over REST, with a real worker on moto.
 */
import { createAwsClients } from '../../src/providers/aws';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { FAST_RETRY } from '../../support/deployments';
import { startTestWorker, testClient, uniqueId, type TestWorker } from '../../support/temporal';
import { API_KEYS, KEYS, testApi } from '../api/helpers/app';
import type { Http } from '../api/helpers/http';
import { finished, waitForRun } from '../api/helpers/runs';
import { startAwsBed, type AwsBed } from './helpers/aws-bed';

const BUCKET = 'tenant-artifacts';

let bed: AwsBed;
let dir: string;
let worker: TestWorker;
let temporal: { client: Client; close(): Promise<void> };
let keyed: Http;
let local: Http;

beforeAll(async () => {
  bed = await startAwsBed();
  dir = await mkdtemp(join(tmpdir(), 'tenant-artifacts-'));
  await mkdir(join(dir, 'tenant-a'));
  await mkdir(join(dir, 'tenant-b'));
  await writeFile(join(dir, 'tenant-a', 'app.zip'), "tenant A's package");
  await writeFile(join(dir, 'tenant-b', 'secret.zip'), "tenant B's package");
  await writeFile(join(dir, 'shared.zip'), 'the local operator’s package');
  await symlink(join(dir, 'tenant-b', 'secret.zip'), join(dir, 'tenant-a', 'link.zip'));
  await bed.bucket(BUCKET);
  // Both tenants call moto as the service (AWS_SERVICE_IDENTITY_TENANTS=*): what is tested here is the files they read.
  const aws = createAwsClients({ endpoint: bed.moto.endpoint, maxAttempts: 1, serviceIdentityTenants: '*' });
  worker = await startTestWorker({
    deps: { clients: { aws, artifactsDir: dir }, secrets: bed.keyring },
  });
  temporal = await testClient();
  keyed = testApi({ client: temporal.client, taskQueue: worker.taskQueue, keys: API_KEYS, serviceAwsTenants: '*' });
  local = testApi({ client: temporal.client, taskQueue: worker.taskQueue });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await bed?.finish();
  await rm(dir, { recursive: true, force: true });
});

interface Outcome {
  status: string;
  error: string | null;
  body: string | null;
}

/** Applies one aws:s3:object read from `sourcePath` with the API key `key`; the run's end, its node's error, what S3 got. */
async function upload(api: Http, sourcePath: string, key?: string): Promise<Outcome> {
  const objectKey = uniqueId('object');
  const config = {
    deployment_id: uniqueId('artifacts'),
    version: 'v1',
    targets: [{ provider: 'aws', regions: ['us-east-1'] }],
    resources: {
      object: { type: 'aws:s3:object', properties: { bucket: BUCKET, key: objectKey, source_path: sourcePath } },
    },
    settings: { retry: FAST_RETRY, on_failure: 'rollback' },
  };
  const started = await api.post('/deploy/apply', { config }, { key });
  expect(started.status).toBe(202);
  const run = await waitForRun(api, started.body.status_url as string, finished, key);
  const node = run.nodes[0] as { error?: string | null } | undefined;
  const s3 = bed.clients.forRegion('us-east-1', null).s3;
  const body = await s3
    .send(new GetObjectCommand({ Bucket: BUCKET, Key: objectKey }))
    .then((got) => got.Body?.transformToString() ?? null)
    .catch(() => null);
  return { status: run.status, error: node?.error ?? null, body };
}

describe('aws:s3:object source_path with tenants', () => {
  it("uploads tenant A's own file from ARTIFACTS_DIR/tenant-a", async () => {
    await expect(upload(keyed, 'app.zip', KEYS.aOperate)).resolves.toEqual({
      status: 'completed',
      error: null,
      body: "tenant A's package",
    });
  });

  it("cannot upload tenant B's file: its folder is not inside tenant A's", async () => {
    const outcome = await upload(keyed, 'tenant-b/secret.zip', KEYS.aOperate);
    expect(outcome).toMatchObject({ status: 'rolled_back', body: null });
    expect(outcome.error).toContain('source_path tenant-b/secret.zip: cannot be read in ARTIFACTS_DIR/tenant-a');
  });

  it("cannot upload tenant B's file through a symlink in tenant A's folder", async () => {
    const outcome = await upload(keyed, 'link.zip', KEYS.aOperate);
    expect(outcome).toMatchObject({ status: 'rolled_back', body: null });
    expect(outcome.error).toContain('source_path link.zip: resolves outside ARTIFACTS_DIR/tenant-a');
  });

  it("does not find tenant A's file in tenant B's run", async () => {
    const outcome = await upload(keyed, 'app.zip', KEYS.bOperate);
    expect(outcome).toMatchObject({ status: 'rolled_back', body: null });
    expect(outcome.error).toContain('cannot be read in ARTIFACTS_DIR/tenant-b');
  });

  it('reads ARTIFACTS_DIR itself for a run without a tenant (no API_KEYS), as before', async () => {
    await expect(upload(local, 'shared.zip')).resolves.toEqual({
      status: 'completed',
      error: null,
      body: 'the local operator’s package',
    });
    await expect(upload(local, 'tenant-a/app.zip')).resolves.toMatchObject({
      status: 'completed',
      body: "tenant A's package",
    });
  });
});
