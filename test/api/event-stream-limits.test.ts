/**
 * Issue 23, finding 10 (part): event streams are bounded. A paused run never ends, so its stream
 * would poll forever: each client holds at most `perClient` streams at once (a 429 beyond, other
 * keys unaffected, a closed stream gives its slot back), and a stream ends at its maximum lifetime
 * with `retry:` and an `event: reconnect`. A real Temporal server and worker; the app listens on
 * 127.0.0.1.
 */
import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino from 'pino';
import { createApp, type AppDeps } from '../../src/api/app';
import { EVENT_STREAM_DEFAULTS } from '../../src/api/routes/events';
import { config, delay } from '../../support/deployments';
import { useTemporal } from '../../support/temporal';
import { eventually } from '../helpers/eventually';
import { API_KEYS, KEYS } from './helpers/app';
import { Http } from './helpers/http';
import { waitForRun } from './helpers/runs';

const servers: Server[] = [];
const streams: ClientRequest[] = [];
let deploymentId: string;

// Declared before useTemporal's hooks so that it runs before they close the client: no stream may
// still poll through a closed connection.
afterAll(async () => {
  for (const request of streams) request.destroy();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await new Promise((resolve) => setTimeout(resolve, 500)); // a poll in flight finishes, the next sees the abort
  await temporal.client.workflow
    .getHandle(`deploy-${deploymentId}`)
    .terminate('test over')
    .catch(() => undefined);
});
const temporal = useTemporal();

function listen(eventStreams: AppDeps['eventStreams']): Promise<{ url: string; http: Http }> {
  const app = createApp({
    client: temporal.client,
    taskQueue: temporal.worker.taskQueue,
    namespace: 'default',
    env: { API_KEYS },
    logger: pino({ level: 'silent' }),
    uiBaseUrl: 'http://127.0.0.1:8233',
    serviceKeys: { publicKey: 'cHVibGlj', keyId: '0123456789abcdef' },
    eventPollMs: 100,
    eventStreams,
  });
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', () => {
      servers.push(server);
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, http: new Http(app) });
    });
    server.once('error', reject);
  });
}

interface Stream {
  readonly request: ClientRequest;
  readonly response: IncomingMessage;
  /** Everything received so far. */
  text(): string;
  /** Resolves with the whole body when the server ends the stream; rejects after `ms`. */
  ended(ms: number): Promise<string>;
}

/** Opens GET /deploy/events/{id} and resolves once the status line and headers are in. */
function open(url: string, key: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const request = get(`${url}/deploy/events/${deploymentId}`, { headers: { authorization: `Bearer ${key}` } });
    streams.push(request);
    request.once('error', reject);
    request.once('response', (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      const end = new Promise<string>((done) => response.once('end', () => done(body)));
      resolve({
        request,
        response,
        text: () => body,
        ended: (ms) =>
          Promise.race([
            end,
            new Promise<string>((_, late) =>
              setTimeout(() => late(new Error(`the stream did not end within ${ms} ms; got:\n${body}`)), ms).unref(),
            ),
          ]),
      });
    });
  });
}

beforeAll(async () => {
  const { http } = await listen({});
  const cfg = config({ a: delay(), b: delay({}, { depends_on: [{ resource: 'a', edge: 'pause' }] }) });
  deploymentId = String(cfg['deployment_id']);
  expect((await http.post('/deploy/apply', { config: cfg }, { key: KEYS.aOperate })).status).toBe(202);
  await waitForRun(http, `/deploy/status/${deploymentId}`, (run) => run.status === 'paused', KEYS.aRead);
});

it('holds at most 10 streams per client by default and 15 minutes per stream', () => {
  expect([EVENT_STREAM_DEFAULTS.perClient, EVENT_STREAM_DEFAULTS.maxLifetimeMs]).toEqual([10, 15 * 60_000]);
});

it('caps concurrent streams per key with a 429 that says so; other keys keep theirs; a closed stream frees its slot', async () => {
  const { url } = await listen({ perClient: 3, maxLifetimeMs: 60_000 });
  const held = [await open(url, KEYS.aRead), await open(url, KEYS.aRead), await open(url, KEYS.aRead)];
  expect(held.map((s) => s.response.statusCode)).toEqual([200, 200, 200]);
  await eventually(() => Promise.resolve(expect(held[0]?.text()).toContain('event: node_paused')));

  const over = await open(url, KEYS.aRead);
  const body = JSON.parse(await over.ended(5_000)) as { error: { type: string; message: string; details: unknown } };
  expect([over.response.statusCode, body.error.type, body.error.details]).toEqual([
    429,
    'too_many_streams',
    { limit: 3 },
  ]);
  expect(body.error.message).toMatch(/at most 3 open at once per API key/);
  expect(Number(over.response.headers['retry-after'])).toBeGreaterThan(0);

  const other = await open(url, KEYS.aOperate);
  expect(other.response.statusCode).toBe(200);

  held[0]?.request.destroy();
  await eventually(async () => {
    const again = await open(url, KEYS.aRead);
    again.request.destroy();
    expect(again.response.statusCode).toBe(200);
  });
});

it('ends a stream at its maximum lifetime with retry: and an event reconnect, so the client resumes', async () => {
  const { url } = await listen({ perClient: 3, maxLifetimeMs: 800, retryMs: 2_500 });
  const started = Date.now();
  const stream = await open(url, KEYS.aRead);
  expect(stream.response.statusCode).toBe(200);
  const text = await stream.ended(10_000);
  expect(Date.now() - started).toBeGreaterThanOrEqual(800);
  expect(text).toContain('event: node_paused');
  const last = text.trim().split('\n\n').at(-1) ?? '';
  expect(last).toMatch(/^retry: 2500\nevent: reconnect\ndata: \{.*\}$/);
  expect(JSON.parse(last.split('data: ')[1] ?? '')).toMatchObject({
    reason: 'max_lifetime',
    max_lifetime_seconds: 0.8,
    message: expect.stringMatching(/maximum lifetime .*reconnect to resume/),
  });
  // The slot is back: the three streams this key may hold open all open again.
  const again = [await open(url, KEYS.aRead), await open(url, KEYS.aRead), await open(url, KEYS.aRead)];
  expect(again.map((s) => s.response.statusCode)).toEqual([200, 200, 200]);
  for (const s of again) s.request.destroy();
});
