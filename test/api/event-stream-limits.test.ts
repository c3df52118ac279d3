/**
 * Issue 23, finding 10: event streams are bounded. A paused run never ends, so its stream would
 * poll forever: each client holds at most `perClient` streams at once (a 429 beyond, other keys
 * unaffected, a closed stream gives its slot back), a stream ends at its maximum lifetime with
 * `retry:` and an `event: reconnect`, and all streams of a run share one poller, so Temporal sees
 * the same calls for one stream or many (counted by a client interceptor). A real Temporal server
 * and worker; the app listens on 127.0.0.1.
 */
import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, type WorkflowClientInterceptor, type WorkflowExecution } from '@temporalio/client';
import pino from 'pino';
import { createApp, type AppDeps } from '../../src/api/app';
import { EVENT_STREAM_DEFAULTS } from '../../src/api/routes/events';
import { dataConverter } from '../../src/temporal/compression-codec';
import { workflowIdFor } from '../../src/workflows/messages';
import { config, delay } from '../../support/deployments';
import { useTemporal } from '../../support/temporal';
import { eventually } from '../helpers/eventually';
import { API_KEYS, KEYS, unreachableClient } from './helpers/app';
import { Http } from './helpers/http';
import { waitForRun } from './helpers/runs';

const servers: Server[] = [];
const streams: ClientRequest[] = [];
let deploymentId: string;
/** Deployments whose runs are terminated after the tests (a failed test may leave one paused). */
const deployments: string[] = [];

// Declared before useTemporal's hooks so that it runs before they close the client: no stream may
// still poll through a closed connection.
afterAll(async () => {
  for (const request of streams) request.destroy();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await new Promise((resolve) => setTimeout(resolve, 500)); // a poll in flight finishes, the next sees the abort
  for (const id of deployments) {
    await temporal.client.workflow
      .getHandle(workflowIdFor(id, 'tenant-a'))
      .terminate('test over')
      .catch(() => undefined);
  }
});
const temporal = useTemporal();

function listen(
  eventStreams: AppDeps['eventStreams'],
  client: AppDeps['client'] = temporal.client,
): Promise<{ url: string; http: Http }> {
  const app = createApp({
    client,
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
function open(url: string, key: string, id = deploymentId): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const request = get(`${url}/deploy/events/${id}`, { headers: { authorization: `Bearer ${key}` } });
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
  deployments.push(deploymentId);
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

/** A client on the tests' connection that counts the describe and query calls it makes, per workflow id. */
function countingClient(): { client: Client; calls(workflowId: string): number } {
  const counts = new Map<string, number>();
  const count = ({ workflowId }: WorkflowExecution): void => {
    counts.set(workflowId, (counts.get(workflowId) ?? 0) + 1);
  };
  const interceptor: WorkflowClientInterceptor = {
    describe: (input, next) => {
      count(input.workflowExecution);
      return next(input);
    },
    query: (input, next) => {
      count(input.workflowExecution);
      return next(input);
    },
  };
  const client = new Client({
    connection: temporal.client.connection,
    dataConverter,
    interceptors: { workflow: [interceptor] },
  });
  return { client, calls: (workflowId) => counts.get(workflowId) ?? 0 };
}

const eventNames = (text: string): string[] => [...text.matchAll(/^event: (\w+)$/gm)].map((m) => String(m[1]));

it('polls a run once for all its streams: many streams cost Temporal what one does, each gets every event, a late one the current state at once', async () => {
  const pollMs = 100; // listen's eventPollMs
  const counter = countingClient();
  const { url, http } = await listen({ perClient: 20, maxLifetimeMs: 120_000 }, counter.client);
  const cfg = config({
    a: delay(),
    b: delay({ duration_ms: 1_000 }, { depends_on: [{ resource: 'a', edge: 'pause' }] }),
  });
  const id = String(cfg['deployment_id']);
  deployments.push(id);
  expect((await http.post('/deploy/apply', { config: cfg }, { key: KEYS.aOperate })).status).toBe(202);
  const paused = await waitForRun(http, `/deploy/status/${id}`, (run) => run.status === 'paused', KEYS.aRead);
  const calls = async (workflowId: string, ms: number): Promise<number> => {
    const before = counter.calls(workflowId);
    await sleep(ms);
    return counter.calls(workflowId) - before;
  };
  const sawPause = (stream: Stream) =>
    eventually(() => Promise.resolve(expect(eventNames(stream.text())).toContain('run_status')), 10_000, 20);

  const first = await open(url, KEYS.aRead, id);
  await sawPause(first);
  const alone = await calls(paused.workflow_id, 1_000);
  const more = await Promise.all(Array.from({ length: 11 }, () => open(url, KEYS.aRead, id)));
  await Promise.all(more.map(sawPause));
  const twelve = await calls(paused.workflow_id, 1_000);
  // A poll is one describe and one query, and polls are at least pollMs apart; twelve pollers would
  // make about twelve times as many calls.
  const mostPerSecond = 2 * (1_000 / pollMs + 2);
  expect(alone).toBeGreaterThan(0);
  expect(alone).toBeLessThanOrEqual(mostPerSecond);
  expect(twelve).toBeLessThanOrEqual(mostPerSecond);

  // A stream opened now starts from the run's current state, at once (before the next poll).
  const late = await open(url, KEYS.aRead, id);
  await sawPause(late);
  expect(eventNames(late.text())).toEqual(['node_completed', 'node_paused', 'run_status']);
  expect(late.text()).toContain('"status":"paused"');
  // A stream of another run on the same API gets that run's states only.
  const other = await open(url, KEYS.aRead);
  await sawPause(other);

  expect((await http.post('/deploy/continue', { deployment_id: id }, { key: KEYS.aOperate })).status).toBe(200);
  const bodies = await Promise.all([first, ...more, late].map((stream) => stream.ended(30_000)));
  expect(new Set(bodies).size).toBe(1);
  const names = eventNames(bodies[0] ?? '');
  expect(names.slice(0, 3)).toEqual(['node_completed', 'node_paused', 'run_status']);
  expect(names).toContain('node_started');
  expect(names.slice(-2)).toEqual(['node_completed', 'run_finished']);
  for (const node of paused.nodes) expect(other.text()).not.toContain(node.node_id);
  expect(eventNames(other.text())).not.toContain('run_finished');

  // The run ended, so its poller stopped; the other run's stopped when its last stream left.
  other.request.destroy();
  await sleep(2 * pollMs);
  expect([
    await calls(paused.workflow_id, 5 * pollMs),
    await calls(workflowIdFor(deploymentId, 'tenant-a'), 5 * pollMs),
  ]).toEqual([0, 0]);
}, 90_000);

it('ends every stream of a run with the error when its shared poll fails, and polls afresh for the next stream', async () => {
  let down = false;
  const { url } = await listen({ perClient: 5, maxLifetimeMs: 60_000 }, () =>
    down ? unreachableClient() : temporal.client,
  );
  const three = [await open(url, KEYS.aRead), await open(url, KEYS.aRead), await open(url, KEYS.aRead)];
  await eventually(() =>
    Promise.resolve(
      expect(three.map((stream) => eventNames(stream.text()).at(-1))).toEqual(Array(3).fill('run_status')),
    ),
  );
  down = true;
  const bodies = await Promise.all(three.map((stream) => stream.ended(10_000)));
  const lastEvents = bodies.map((body) => body.trim().split('\n\n').at(-1));
  expect(lastEvents[0]).toMatch(/^event: error\ndata: \{"type":"temporal_unavailable",/);
  expect(new Set(lastEvents).size).toBe(1);

  down = false;
  const next = await open(url, KEYS.aRead);
  await eventually(() => Promise.resolve(expect(eventNames(next.text())).toContain('node_paused')));
  next.request.destroy();
});
