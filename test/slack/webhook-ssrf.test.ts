/**
 * Server-side request forgery through a sealed webhook URL (OWASP API7), in a real run on a
 * worker configured as in production (the default outbound policy: https to hooks.slack.com
 * only): a tenant seals the URL of an internal service as its Slack webhook, and the slack:message
 * node fails at once with a non-retryable error that names neither the URL nor what answered it,
 * while the internal listener receives nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDeployment } from '../../src/client/start-deployment';
import { config, deploymentInput, result } from '../../support/deployments';
import { startTestWorker, testClient, type TestWorker } from '../../support/temporal';
import { historyText, leaks } from '../helpers/leaks';
import { useSlackBed } from './helpers/slack-bed';

const bed = useSlackBed();
const reached: string[] = [];
let internal: Server;
let worker: TestWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;

beforeAll(async () => {
  internal = createServer((req, res) => {
    reached.push(req.url ?? '');
    res.end('{"admin":"secret internal answer"}');
  });
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  worker = await startTestWorker({ deps: { clients: {}, secrets: bed().keyring } });
  temporal = await testClient();
});
afterAll(async () => {
  await worker.stop();
  await temporal.close();
  await new Promise((resolve) => internal.close(resolve));
});

it.each([
  ['the loopback address', (port: number) => `http://127.0.0.1:${port}/internal/admin`],
  ['a name for loopback', (port: number) => `https://localhost:${port}/internal/admin`],
  ['the metadata address', () => 'https://169.254.169.254/latest/meta-data/iam/security-credentials/'],
])('fails a slack:message whose webhook is %s, and nothing reaches it', async (_what, urlOf) => {
  const url = urlOf((internal.address() as AddressInfo).port);
  const input = {
    ...deploymentInput(
      config({ probe: { type: 'slack:message', properties: { text: 'probe' } } }, { on_failure: 'rollback' }),
    ),
    credentials: { slack: { encrypted_webhook_url: await bed().seal(url) } },
  };
  const { workflowId, runId } = await startDeployment(temporal.client, { input, taskQueue: worker.taskQueue });
  const handle = temporal.client.workflow.getHandle(workflowId, runId);
  const final = await result(handle);
  expect(final.status).toBe('rolled_back');
  expect(final.nodes.find((node) => node.resource_id === 'probe')).toMatchObject({
    status: 'failed',
    attempts: 1,
    error_type: 'permission',
    error:
      'the Slack webhook URL (credentials.slack.encrypted_webhook_url) is refused: its host is not in OUTBOUND_HOSTS (hooks.slack.com)',
  });
  expect(reached).toEqual([]);
  expect(leaks({ url }, 'the history', historyText(await handle.fetchHistory()))).toEqual([]);
});
