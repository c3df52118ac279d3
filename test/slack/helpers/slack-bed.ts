/**
 * A Slack test bed: the Slack surrogate with a #releases channel, a bot token and a webhook, a real
 * service ServiceKey, real Web API clients against the surrogate, and OperationContexts like the
 * activity layer builds (sealed credentials opened at the moment of use). Started once per file
 * (`useSlackBed`), emptied of faults and records by nothing: tests read what they posted.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOperationContext } from '../../../src/activities/operation-context';
import { ServiceKey } from '../../../src/credentials/service-key';
import { sealTo } from '../../../src/credentials/sealed-box';
import type { SealedCredentials } from '../../../src/model/run-types';
import { createSlackClients, type SlackClients } from '../../../src/providers/slack';
import { resourceType } from '../../../src/resources/registry';
import type { NodeTarget, OperationContext } from '../../../src/resources/resource-type';
import { uniqueId } from '../../../support/temporal';
import { SlackSurrogate } from '../../surrogates/slack/server';
import { LOOPBACK_OUTBOUND } from '../../helpers/loopback-outbound';

export const slack = resourceType('slack:message');

export interface SlackBed {
  readonly surrogate: SlackSurrogate;
  readonly keyring: ServiceKey;
  /** Where the service key lives: DATA_DIR of a worker process that opens what the bed sealed. */
  readonly dataDir: string;
  readonly clients: SlackClients;
  /** The bot token Slack takes (a canary: unique, never to be seen in history or logs). */
  readonly token: string;
  /** The webhook URL posting to #releases (a secret too). */
  readonly webhook: string;
  seal(value: string): Promise<string>;
  /** Both credentials sealed (or those given). */
  credentials(given?: { token?: string | null; webhook?: string | null }): Promise<SealedCredentials>;
}

export interface ContextOptions {
  readonly credentials?: SealedCredentials | null;
  readonly attempt?: number;
  readonly lastHeartbeat?: unknown;
}

/** A context of the bed, keeping what it heartbeated and logged. */
export async function contextOf(
  bed: SlackBed,
  options: ContextOptions = {},
): Promise<OperationContext & { beats: unknown[]; logs: string[] }> {
  const beats: unknown[] = [];
  const logs: string[] = [];
  const credentials = options.credentials === undefined ? await bed.credentials() : options.credentials;
  const ctx = buildOperationContext(
    { clients: { slack: bed.clients, outbound: LOOPBACK_OUTBOUND }, secrets: bed.keyring },
    {
      credentials,
      tenant: () => Promise.resolve(null),
      heartbeat: (details) => beats.push(details),
      signal: new AbortController().signal,
      attempt: options.attempt ?? 1,
      lastHeartbeat: options.lastHeartbeat,
      log: (message) => logs.push(message),
    },
  );
  return { ...ctx, beats, logs };
}

/** A slack:message node `resourceId` with these properties; `refs` as the workflow resolves them ($run_key included). */
export function messageTarget(
  properties: Record<string, unknown>,
  refs: Record<string, unknown> = {},
  resourceId = 'notify',
): NodeTarget<unknown> {
  return {
    deployment_id: 'd',
    graph_id: 'g',
    refs,
    node: {
      node_id: createHash('sha256').update(`test/${resourceId}`).digest('hex').slice(0, 12),
      resource_id: resourceId,
      type: 'slack:message',
      operation: 'create',
      region: null,
      properties,
      references: Object.fromEntries(
        Object.keys(refs)
          .filter((name) => !name.startsWith('$'))
          .map((name) => [name, { raw: `earlier.${name}`, node_id: 'earlier', resource_id: 'earlier', region: null }]),
      ) as NodeTarget<unknown>['node']['references'],
      tags: {},
    },
    properties: slack.properties.parse(properties),
  };
}

/** The bed for this test file: started before its tests, stopped after them. */
export function useSlackBed(): () => SlackBed {
  let bed: SlackBed | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'slack-bed-'));
    dir = dataDir;
    const keyring = await ServiceKey.load({ dataDir });
    const surrogate = await SlackSurrogate.start();
    surrogate.addChannel('releases');
    const token = `xoxb-canary-${uniqueId('bot')}`;
    surrogate.addToken(token);
    const webhook = surrogate.addWebhook('releases');
    const seal = (value: string) => sealTo(keyring.publicKey, value);
    bed = {
      surrogate,
      keyring,
      dataDir,
      clients: createSlackClients({ apiUrl: surrogate.apiUrl, timeoutMs: 5_000 }),
      token,
      webhook,
      seal,
      async credentials(given = {}) {
        const botToken = given.token === undefined ? token : given.token;
        const hook = given.webhook === undefined ? webhook : given.webhook;
        return {
          slack: {
            ...(botToken === null ? {} : { encrypted_bot_token: await seal(botToken) }),
            ...(hook === null ? {} : { encrypted_webhook_url: await seal(hook) }),
          },
        };
      },
    };
  });
  afterAll(async () => {
    await bed?.surrogate.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (!bed) throw new Error('the Slack bed is not started yet: use it inside tests or hooks');
    return bed;
  };
}
