/**
 * A GitHub test bed: the surrogate, a real service ServiceKey, real Octokit clients against the
 * surrogate, and OperationContexts like the activity layer builds (sealed credentials opened by
 * the keyring at the moment of use, for the context's tenant). `finish()` stops the surrogate and fails the test on any
 * OpenAPI violation it saw.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOperationContext } from '../../../src/activities/operation-context';
import { createGitHubClients, type GitHubClientOptions } from '../../../src/providers/github';
import { ServiceKey } from '../../../src/credentials/service-key';
import { sealTo } from '../../../src/credentials/sealed-box';
import { envelope, type SealedBinding } from '../../../src/credentials/sealed-envelope';
import type { ResourceOperation, SpecNode } from '../../../src/model/graph-types';
import type { SealedCredentials } from '../../../src/model/run-types';
import type { NodeTarget, OperationContext, ResourceType } from '../../../src/resources/resource-type';
import { GitHubSurrogate } from '../../surrogates/github/server';
import type { Account } from '../../surrogates/github/state';

export interface TargetOptions {
  readonly resource_id?: string;
  readonly operation?: ResourceOperation;
  readonly refs?: Record<string, unknown>;
}

export interface TestBed {
  readonly surrogate: GitHubSurrogate;
  readonly keyring: ServiceKey;
  /** Where the service key lives: DATA_DIR of a worker process that opens what the bed sealed. */
  readonly dataDir: string;
  readonly user: Account;
  /** Everything operations logged and heartbeated, to scan for leaks. */
  readonly logs: string[];
  readonly heartbeats: unknown[];
  /** Seals `value` to the service key: unbound, or bound to a tenant and purpose. */
  seal(value: string, binding?: SealedBinding): Promise<string>;
  /**
   * A context with this PAT (default: the user's token) sealed to the service, opening values for
   * `tenant` (default none); `lastHeartbeat` plays what Temporal hands a retried attempt.
   */
  ctx(options?: {
    pat?: string;
    tenant?: string | null;
    credentials?: SealedCredentials | null;
    attempt?: number;
    signal?: AbortSignal;
    lastHeartbeat?: unknown;
  }): Promise<OperationContext>;
  target<P>(type: ResourceType<P>, properties: unknown, options?: TargetOptions): NodeTarget<P>;
  finish(): Promise<void>;
}

export async function startTestBed(
  options: { clients?: Partial<GitHubClientOptions>; seed?: number } = {},
): Promise<TestBed> {
  const dir = await mkdtemp(join(tmpdir(), 'github-bed-'));
  const keyring = await ServiceKey.load({ dataDir: dir });
  const surrogate = await GitHubSurrogate.start({ seed: options.seed ?? 1 });
  const user = surrogate.addAccount('octo-user', { scopes: ['repo', 'workflow', 'admin:org', 'delete_repo'] });
  const github = createGitHubClients({
    baseUrl: surrogate.url,
    writeIntervalMs: 0,
    retryBaseMs: 20,
    ...options.clients,
  });
  const logs: string[] = [];
  const heartbeats: unknown[] = [];
  const seal = (value: string, binding?: SealedBinding) =>
    sealTo(keyring.publicKey, binding ? envelope(binding, value) : value);
  return {
    surrogate,
    keyring,
    dataDir: dir,
    user,
    logs,
    heartbeats,
    seal,
    async ctx({
      pat = user.token,
      tenant = null,
      credentials,
      attempt = 1,
      signal = new AbortController().signal,
      lastHeartbeat,
    } = {}) {
      return buildOperationContext(
        { clients: { github }, secrets: keyring },
        {
          credentials: credentials === undefined ? { github: { encrypted_pat: await seal(pat) } } : credentials,
          tenant: () => Promise.resolve(tenant),
          heartbeat: (details) => heartbeats.push(details),
          signal,
          attempt,
          lastHeartbeat,
          log: (message) => logs.push(message),
        },
      );
    },
    target<P>(type: ResourceType<P>, properties: unknown, t: TargetOptions = {}): NodeTarget<P> {
      const resourceId = t.resource_id ?? 'node';
      const node: SpecNode = {
        node_id: createHash('sha256').update(`test/${resourceId}`).digest('hex').slice(0, 12),
        resource_id: resourceId,
        type: type.type,
        operation: t.operation ?? 'create',
        region: null,
        properties: properties as Record<string, unknown>,
        references: {},
        tags: {},
      };
      return {
        deployment_id: 'test',
        graph_id: 'g',
        node,
        properties: type.properties.parse(properties),
        refs: t.refs ?? {},
      };
    },
    async finish() {
      await surrogate.close();
      await rm(dir, { recursive: true, force: true });
      surrogate.expectNoViolations();
    },
  };
}
