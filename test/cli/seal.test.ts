/**
 * `deployctl seal` seals to the key the service publishes, and the API and its worker accept the
 * sealed value: a run posts to the Slack webhook whose URL was sealed (a local stand-in).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SealedUse } from '../../src/credentials/sealed-envelope';
import { ServiceKey } from '../../src/credentials/service-key';
import { config } from '../../support/deployments';
import { useTemporal } from '../../support/temporal';
import { testApi } from '../api/helpers/app';
import { Gateway, runCli } from './helpers/cli';
import { LOOPBACK_OUTBOUND } from '../helpers/loopback-outbound';

let keyring: ServiceKey;
const secrets = { open: (sealed: string, use: SealedUse) => keyring.open(sealed, use) };
const temporal = useTemporal({ deps: { clients: { outbound: LOOPBACK_OUTBOUND }, secrets } });
let dir: string;
let gateway: Gateway;
let slack: Server;
const posts: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deployctl-seal-'));
  keyring = await ServiceKey.load({ dataDir: dir });
  slack = createServer((req, res) => {
    posts.push(req.url ?? '');
    req.resume().on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  });
  await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
  const api = testApi({
    client: temporal.client,
    taskQueue: temporal.worker.taskQueue,
    serviceKeys: keyring,
    operations: { clients: {}, secrets },
  });
  gateway = new Gateway(api.app);
  await gateway.listen();
});
afterAll(async () => {
  await gateway?.close();
  await new Promise((resolve) => slack?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

it('prints a sealed value that a run of the service opens and uses', async () => {
  const webhook = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T0/B0/sealed-by-deployctl`;
  const env = { DEPLOY_URL: gateway.url };
  const sealed = await runCli(['seal', '--purpose', 'slack_webhook_url', '-'], env, `${webhook}\n`);
  expect(sealed.code).toBe(0);
  expect(sealed.stdout).toMatch(/^[A-Za-z0-9+/=]{40,}\n$/);
  expect(sealed.stdout).not.toContain('sealed-by-deployctl');

  const cfg = {
    ...config({ announce: { type: 'slack:message', properties: { text: 'released' } } }),
    credentials: { slack: { encrypted_webhook_url: sealed.stdout.trim() } },
  };
  const file = join(dir, 'announce.json');
  await writeFile(file, JSON.stringify(cfg));
  const applied = await runCli(['apply', file], env);
  expect(applied.stdout).toMatch(/announce: completed in [\d.]+s\n/);
  expect(applied.code).toBe(0);
  expect(posts).toEqual(['/services/T0/B0/sealed-by-deployctl']);
});
