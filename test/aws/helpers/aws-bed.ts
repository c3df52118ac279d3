/**
 * An AWS test bed: one moto_server per test file (reset before each test), real SDK clients from
 * the worker's factory pointed at it, and OperationContexts like the activity layer builds.
 * Without sealed credentials the clients use the default chain, fed by fake env keys; with them,
 * a real service ServiceKey opens the sealed secret at the moment of use.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BucketLocationConstraint, CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createAwsClients, type AwsClients } from '../../../src/providers/aws';
import { ServiceKey } from '../../../src/credentials/service-key';
import { sealTo } from '../../../src/credentials/sealed-box';
import type { NodeTarget, OperationContext, ResourceType } from '../../../src/resources/resource-type';
import type { SpecNode } from '../../../src/model/graph-types';
import type { SealedCredentials } from '../../../src/model/run-types';
import { startMoto, type Moto } from '../../helpers/moto';

export interface TargetOptions {
  readonly resource_id?: string;
  readonly deployment_id?: string;
  readonly graph_id?: string;
  readonly region?: string | null;
  readonly refs?: Record<string, unknown>;
  readonly tags?: Record<string, string>;
}

export interface AwsBed {
  readonly moto: Moto;
  readonly clients: AwsClients;
  readonly keyring: ServiceKey;
  /** Everything operations logged. */
  readonly logs: string[];
  seal(value: string): Promise<string>;
  ctx(options?: { credentials?: SealedCredentials | null; attempt?: number }): OperationContext;
  /** A bucket (made unless there) in `region`, with an object per key whose body is the key. */
  bucket(name: string, options?: { region?: string; keys?: readonly string[] }): Promise<void>;
  target<P>(type: ResourceType<P>, properties: unknown, options?: TargetOptions): NodeTarget<P>;
  finish(): Promise<void>;
}

/** Fake keys for the default credential chain; moto accepts any. */
const FAKE_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
  AWS_REGION: 'us-east-1',
};

export async function startAwsBed(): Promise<AwsBed> {
  Object.assign(process.env, FAKE_ENV);
  const dir = await mkdtemp(join(tmpdir(), 'aws-bed-'));
  const [moto, keyring] = await Promise.all([startMoto(), ServiceKey.load({ dataDir: dir })]);
  const clients = createAwsClients({ endpoint: moto.endpoint, maxAttempts: 1 });
  const logs: string[] = [];
  return {
    moto,
    clients,
    keyring,
    logs,
    seal: (value) => sealTo(keyring.publicKey, value),
    ctx({ credentials = null, attempt = 1 } = {}) {
      return {
        credentials,
        open: (sealed, use) => keyring.open(sealed, { ...use, tenant: null }),
        clients: { aws: clients },
        heartbeat: () => undefined,
        signal: new AbortController().signal,
        attempt,
        lastHeartbeat: undefined,
        log: (message) => logs.push(message),
      };
    },
    async bucket(name, { region = 'us-east-1', keys = [] } = {}) {
      const s3 = clients.forRegion(region, null).s3;
      const where =
        region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } };
      await s3.send(new CreateBucketCommand({ Bucket: name, ...where })).catch((err: unknown) => {
        if ((err as { name?: string }).name !== 'BucketAlreadyOwnedByYou') throw err;
      });
      for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: name, Key: key, Body: Buffer.from(key) }));
    },
    target<P>(type: ResourceType<P>, properties: unknown, t: TargetOptions = {}): NodeTarget<P> {
      const resourceId = t.resource_id ?? 'node';
      const deploymentId = t.deployment_id ?? 'test-deploy';
      const region = t.region === undefined ? (type.regional ? 'us-east-1' : null) : t.region;
      const node: SpecNode = {
        node_id: createHash('sha256')
          .update(`${deploymentId}/${resourceId}/${region ?? ''}`)
          .digest('hex')
          .slice(0, 12),
        resource_id: resourceId,
        type: type.type,
        operation: 'create',
        region,
        properties: properties as Record<string, unknown>,
        references: {},
        tags: t.tags ?? {},
      };
      return {
        deployment_id: deploymentId,
        graph_id: t.graph_id ?? 'graph-1',
        node,
        properties: type.properties.parse(properties),
        refs: t.refs ?? {},
      };
    },
    async finish() {
      await moto.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** For a test file of operations: one bed, started before its tests, reset before each, stopped after them. */
export function useAwsBed(): AwsBed {
  let bed: AwsBed | undefined;
  beforeAll(async () => {
    bed = await startAwsBed();
  });
  afterAll(async () => {
    await bed?.finish();
  });
  beforeEach(async () => {
    await bed?.moto.reset();
  });
  return new Proxy({} as AwsBed, {
    get(_target, property) {
      if (!bed) throw new Error('the AWS test bed is not started yet: use it inside tests or hooks');
      return Reflect.get(bed, property) as unknown;
    },
  });
}
