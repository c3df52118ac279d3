/**
 * 8. Plan under load: the largest configs the limits accept, POSTed to /deploy/plan of an
 * in-process API (no credentials, so no live reads: validation, graph, order and the plan), first
 * one at a time (the plan's own duration, over HTTP), then back to back from `clients` callers at
 * once while GET /health is probed: how long /health waits on the event loop the plans share with
 * it, against the target of issue 23 finding 6 (p99 within HEALTH_TARGET_MS, a line of its own;
 * the API reads such bodies on its offload threads, src/api/offload). Two shapes at the limits:
 * MAX_NODES core:delay resources with edges just under MAX_EDGES, and the shape of finding 6,
 * chained aws:s3:bucket resources in MAX_REGIONS regions.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from '../../src/api/app';
import { OFFLOAD_THREADS } from '../../src/api/offload/settings';
import { ServiceKey } from '../../src/credentials/service-key';
import { MAX_EDGES, MAX_NODES, MAX_REGIONS } from '../../src/model/validate-config';
import type { Harness } from '../lib/harness';
import type { Report } from '../lib/report';
import { describe, distribution, median, round } from '../lib/stats';

const SECTION = '8 plan under load';
/** Issue 23 finding 6: GET /health answers within this (p99) while plans at the limits run. */
const HEALTH_TARGET_MS = 100;
const REGIONS = [
  ...['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'af-south-1'],
  ...['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'eu-south-1', 'me-south-1'],
  ...['ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2'],
].slice(0, MAX_REGIONS);

interface Shape {
  readonly name: string;
  readonly nodes: number;
  readonly edges: number;
  readonly config: Record<string, unknown>;
}

/** MAX_NODES region-less resources, each depending on the (up to) `fan` before it. */
function flat(): Shape {
  const fan = Math.floor(MAX_EDGES / MAX_NODES);
  const resources: Record<string, unknown> = {};
  let edges = 0;
  for (let i = 0; i < MAX_NODES; i += 1) {
    const before = Array.from({ length: Math.min(i, fan) }, (_, k) => `n${i - k - 1}`);
    edges += before.length;
    resources[`n${i}`] = before.length > 0 ? { type: 'core:delay', depends_on: before } : { type: 'core:delay' };
  }
  const name = `${MAX_NODES.toLocaleString('en-US')} core:delay nodes, ${edges.toLocaleString('en-US')} edges`;
  return { name, nodes: MAX_NODES, edges, config: { deployment_id: 'plan-load-flat', resources } };
}

/** Chained S3 buckets in every region: MAX_NODES nodes, each bucket's node after the last one's in its region. */
function regional(): Shape {
  const count = Math.floor(MAX_NODES / REGIONS.length);
  const bucket = (i: number) => ({
    type: 'aws:s3:bucket',
    properties: { name: `b${i}` },
    depends_on: i > 0 ? [`b${i - 1}`] : [],
  });
  const resources = Object.fromEntries(Array.from({ length: count }, (_, i) => [`b${i}`, bucket(i)]));
  const nodes = count * REGIONS.length;
  const edges = (count - 1) * REGIONS.length;
  return {
    name: `${count} chained aws:s3:bucket × ${REGIONS.length} regions (${nodes.toLocaleString('en-US')} nodes)`,
    nodes,
    edges,
    config: { deployment_id: 'plan-load-regional', targets: [{ provider: 'aws', regions: REGIONS }], resources },
  };
}

async function post(url: string, body: string): Promise<number> {
  const began = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`POST ${url}: ${response.status}`);
  return performance.now() - began;
}

/** GET /health every `everyMs` until `done()`; each answer's latency. */
async function probe(url: string, everyMs: number, done: () => boolean): Promise<number[]> {
  const took: number[] = [];
  while (!done()) {
    const began = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    took.push(performance.now() - began);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return took;
}

export async function planUnderLoad(
  h: Harness,
  report: Report,
  o: { alone: number; clients: number; rounds: number },
): Promise<void> {
  const app = createApp({
    client: h.client,
    taskQueue: h.worker?.taskQueue ?? 'bench',
    namespace: 'default',
    env: {},
    logger: pino({ level: 'silent' }),
    uiBaseUrl: 'http://127.0.0.1:8233',
    serviceKeys: await ServiceKey.load({ dataDir: h.dir }),
    limits: { rateLimit: { windowMs: 60_000, limit: 1_000_000 } },
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const data: Record<string, unknown>[] = [];
  try {
    const idle = await probe(
      `${base}/health`,
      10,
      (
        (n) => () =>
          (n -= 1) < 0
      )(50),
    );
    for (const shape of [flat(), regional()]) {
      const body = JSON.stringify({ config: shape.config });
      await post(`${base}/deploy/plan`, body); // warm-up
      const alone: number[] = [];
      for (let i = 0; i < o.alone; i += 1) alone.push(await post(`${base}/deploy/plan`, body));
      let running = o.clients;
      const loaded: number[] = [];
      const callers = Array.from({ length: o.clients }, async () => {
        for (let i = 0; i < o.rounds; i += 1) loaded.push(await post(`${base}/deploy/plan`, body));
        running -= 1;
      });
      const [health] = await Promise.all([probe(`${base}/health`, 10, () => running === 0), ...callers]);
      const kib = `${Math.round(Buffer.byteLength(body) / 1024)} KiB request`;
      report.rows.push({
        section: SECTION,
        metric: `POST /deploy/plan alone: ${shape.name}`,
        value: `${round(median(alone), 1)} ms median`,
        note: `${o.alone} runs, min ${round(Math.min(...alone), 1)} ms; ${kib}; ${o.clients} at once: ${describe(distribution(loaded))}`,
      });
      report.rows.push({
        section: SECTION,
        metric: `GET /health during ${o.clients} concurrent plans of it`,
        value: describe(distribution(health ?? [])),
        note: `max ${round(Math.max(...(health ?? [])), 1)} ms; idle: ${describe(distribution(idle))}`,
      });
      data.push({
        shape: shape.name,
        nodes: shape.nodes,
        edges: shape.edges,
        alone_ms: alone,
        loaded_ms: loaded,
        health_ms: health,
      });
    }
    const during = distribution(data.flatMap((d) => d['health_ms'] as number[]));
    report.rows.push({
      section: SECTION,
      metric: `GET /health p99 during ${o.clients} concurrent plans at the limits: target ${HEALTH_TARGET_MS} ms`,
      value: `${during.p99 <= HEALTH_TARGET_MS ? 'met' : 'NOT met'}: p99 ${round(during.p99, 1)} ms`,
      note: `both shapes, n=${during.n}, max ${round(during.max, 1)} ms; ${OFFLOAD_THREADS} offload thread(s)`,
    });
    if (during.p99 > HEALTH_TARGET_MS)
      report.notes.push(
        `GET /health p99 ${round(during.p99, 1)} ms under plan load: over the ${HEALTH_TARGET_MS} ms target`,
      );
    report.data['plan_under_load'] = { idle_health_ms: idle, shapes: data, offload_threads: OFFLOAD_THREADS };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
