/**
 * 7. Deployment reads at scale: N deployments, each with a record (one completed apply reported
 * to it, as a run reports), then the API's reads timed over HTTP: one deployment's state (a
 * query to its record), the list of all of them (one visibility query over the records' memos),
 * and one deployment's history.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from '../../src/api/app';
import { ServiceKey } from '../../src/credentials/service-key';
import { RECORD_WORKFLOW, RUN_REPORT_SIGNAL, recordIdFor, type RunReport } from '../../src/model/deployment-record';
import { deploymentInput, config, delay } from '../../support/deployments';
import type { Harness } from '../lib/harness';
import type { Report } from '../lib/report';
import { describe, distribution } from '../lib/stats';

const SECTION = '7 deployment reads';

function appliedReport(id: string, i: number): RunReport {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 1_000).toISOString();
  const input = deploymentInput(config({ a: delay({ outputs: { n: i } }) }, {}, id));
  const run = {
    workflow_id: `deploy-${id}`,
    run_id: `bench-${id}`,
    action: 'apply' as const,
    mode: 'FULL' as const,
    version: 'v1',
    graph_id: input.graph.graph_id,
    status: 'completed',
    started_at: at,
    closed_at: at,
    counts: null,
  };
  return {
    deployment_id: id,
    tenant: null,
    run,
    applied: { workflow_id: run.workflow_id, run_id: run.run_id, input, outputs: { a: { n: i } } },
  };
}

async function timed(url: string, times: number): Promise<number[]> {
  const took: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const began = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    took.push(performance.now() - began);
  }
  return took;
}

export async function deploymentReads(
  h: Harness,
  report: Report,
  o: { deployments: number; reads: number },
): Promise<void> {
  if (!h.worker) throw new Error('deployment reads need the in-process worker');
  const taskQueue = h.worker.taskQueue;
  const prefix = `reads-${Date.now().toString(36)}`;
  const ids = Array.from({ length: o.deployments }, (_, i) => `${prefix}-${i}`);
  for (const [i, id] of ids.entries()) {
    await h.client.workflow.signalWithStart(RECORD_WORKFLOW, {
      workflowId: recordIdFor(id, null),
      taskQueue,
      args: [{ deployment_id: id, tenant: null }],
      signal: RUN_REPORT_SIGNAL,
      signalArgs: [appliedReport(id, i)],
    });
  }
  const app = createApp({
    client: h.client,
    taskQueue,
    namespace: 'default',
    env: {},
    logger: pino({ level: 'silent' }),
    uiBaseUrl: 'http://127.0.0.1:8233',
    serviceKeys: await ServiceKey.load({ dataDir: h.dir }),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    // Visibility follows the records' memos within moments: wait until the list holds them all.
    for (let listed = 0; listed < o.deployments; ) {
      const body = (await (await fetch(`${base}/deployments?status=DEPLOYED`)).json()) as {
        deployments: { deployment_id: string }[];
      };
      listed = body.deployments.filter((d) => d.deployment_id.startsWith(prefix)).length;
      if (listed < o.deployments) await new Promise((r) => setTimeout(r, 500));
    }
    const sample = (i: number): string => ids[(i * 7919) % ids.length] as string;
    const status: number[] = [];
    const history: number[] = [];
    for (let i = 0; i < o.reads; i += 1) {
      status.push(...(await timed(`${base}/deployments/${sample(i)}`, 1)));
      history.push(...(await timed(`${base}/deploy/history/${sample(i)}`, 1)));
    }
    const list = await timed(`${base}/deployments`, Math.max(3, Math.round(o.reads / 10)));
    const note = `${o.deployments.toLocaleString('en-US')} deployments with records`;
    report.rows.push({
      section: SECTION,
      metric: 'GET /deployments/{id} (state from the record)',
      value: describe(distribution(status)),
      note,
    });
    report.rows.push({
      section: SECTION,
      metric: 'GET /deploy/history/{id}',
      value: describe(distribution(history)),
      note,
    });
    report.rows.push({
      section: SECTION,
      metric: 'GET /deployments (all of them)',
      value: describe(distribution(list)),
      note,
    });
    report.data['deployment_reads'] = {
      deployments: o.deployments,
      status_ms: status,
      history_ms: history,
      list_ms: list,
    };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
