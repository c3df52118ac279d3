/**
 * Temporal going away and coming back, as an operator sees it through the API: a real dev server
 * of this test's own (persisted to a file), the API started as `npm run start:api` starts it,
 * the server stopped mid-test (every Temporal-backed route answers 503 with a clear message, the
 * API stays up), then restarted on the same port and file (the same routes answer again, and the
 * run started before the outage is still there). A worker starts only after the outage, to answer
 * for the deployment's record.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { startApi, type RunningApi } from '../../src/api/server';
import { loadEnv } from '../../src/config/env';
import { startDevServer, type DevServer } from '../../src/runtime/dev-server';
import { freePort } from '../../src/runtime/free-port';
import { resolveTemporalCli } from '../../src/runtime/temporal-cli';
import { config, delay } from '../../support/deployments';
import { eventually } from '../helpers/eventually';
import { startTestWorker, uniqueId } from '../../support/temporal';

let dir: string;
let port: number;
let server: DevServer;
let api: RunningApi;
const taskQueue = uniqueId('outage');

const startServer = (): Promise<DevServer> =>
  startDevServer({ cliPath: resolveTemporalCli(), port, uiPort: null, dbFile: join(dir, 'temporal.sqlite') });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'temporal-outage-'));
  port = await freePort();
  server = await startServer();
  api = await startApi({
    env: loadEnv({
      PORT: String(await freePort()),
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
      DATA_DIR: dir,
      TASK_QUEUE: taskQueue,
    }),
    logger: pino({ level: 'silent' }),
    uiBaseUrl: null,
  });
}, 90_000);

afterAll(async () => {
  await api?.close();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('answers 503 while Temporal is down, keeps serving what needs no Temporal, and recovers when it returns', async () => {
  const deploymentId = uniqueId('outage');
  const body = { config: config({ a: delay({ duration_ms: 10 }) }, {}, deploymentId) };
  const started = await request(api.url).post('/deploy/apply').send(body);
  expect(started.status).toBe(202);

  await server.stop();
  for (const pending of [
    request(api.url).get(`/deploy/status/${deploymentId}`),
    request(api.url).get('/deploy/list'),
    request(api.url)
      .post('/deploy/apply')
      .send({ config: config({ a: delay() }) }),
    request(api.url).post('/deploy/continue').send({ deployment_id: deploymentId }),
  ]) {
    const response = await pending;
    expect([response.status, response.body.error.type]).toEqual([503, 'temporal_unavailable']);
    expect(response.body.error.message).toMatch(/Temporal/);
  }
  // Validation and planning need no Temporal: a bad body is still a 400, a plan still a plan.
  expect((await request(api.url).post('/deploy/apply').send({})).status).toBe(400);
  expect((await request(api.url).post('/deploy/plan').send(body)).status).toBe(200);
  const health = await request(api.url).get('/health');
  expect([health.status, health.body.temporal?.reachable]).toEqual([503, false]);

  server = await startServer();
  // A deployment's record is a workflow: a worker answers for it (and runs the run meanwhile).
  const worker = await startTestWorker({ taskQueue, address: `127.0.0.1:${port}` });
  try {
    await eventually(async () => {
      const history = await request(api.url).get(`/deploy/history/${deploymentId}`);
      expect(history.status).toBe(200);
      expect(history.body.runs.map((run: { run_id: string }) => run.run_id)).toEqual([started.body.run_id]);
    });
    expect((await request(api.url).get('/deploy/list')).status).toBe(200);
  } finally {
    await worker.stop();
  }
}, 120_000);
