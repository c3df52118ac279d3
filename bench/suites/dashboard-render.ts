/**
 * 9. The dashboard with a large run (issue 15): a run of `nodes` core:delay nodes (a seeded layered
 * DAG) is opened in Chromium at /ui#/runs/<id> while it runs. Measured: the time from opening the
 * page until every node is drawn (repeated; with when the status and graph answers arrived), how
 * far the page trails the run (each second, the completed nodes the API reports against those the
 * page shows; after the run ends, how long until the page shows every node completed), and opening
 * the page again once the run has ended.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { createApp } from '../../src/api/app';
import { ServiceKey } from '../../src/credentials/service-key';
import type { RunStatus } from '../../src/model/run-types';
import { config, start } from '../../support/deployments';
import { launchBrowser } from '../../test/dashboard/helpers/browser';
import { layeredDag } from '../lib/graphs';
import type { Harness } from '../lib/harness';
import { rng } from '../lib/prng';
import type { Report } from '../lib/report';
import { describe, distribution, ms } from '../lib/stats';

const SECTION = '9 dashboard';

export interface DashboardOptions {
  readonly nodes: number;
  readonly opens: number;
  readonly maxParallel: number;
  readonly shortMs: [number, number];
  readonly longMs: [number, number];
  readonly seed: number;
}

/** At least n elements match the selector: run in the page (a function, not a string: the page's CSP forbids eval). */
const atLeast = ([selector, n]: readonly [string, number]): boolean =>
  (
    globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
  ).document.querySelectorAll(selector).length >= n;

const drawn = (page: Page): Promise<number> => page.locator('.graph-node').count();
const completedOnPage = (page: Page): Promise<number> => page.locator('.graph-node.node-completed').count();

interface Opened {
  /** From navigation until every node is drawn, ms. */
  readonly total: number;
  /** When the run's status and graph answers arrived, ms after navigation. */
  readonly status: number;
  readonly graph: number;
}

async function openTimed(page: Page, url: string, nodes: number): Promise<Opened> {
  await page.goto('about:blank'); // a fresh load each time (the same URL would only move to its hash)
  const began = performance.now();
  const arrived = (path: string): Promise<number> =>
    page
      .waitForResponse((r) => new URL(r.url()).pathname.startsWith(path), { timeout: 60_000 })
      .then(() => performance.now() - began);
  const status = arrived('/deploy/status/');
  const graph = arrived('/deploy/graph/');
  await page.goto(url);
  await page.waitForFunction(atLeast, ['.graph-node', nodes] as const, { timeout: 60_000, polling: 'raf' });
  return { total: performance.now() - began, status: await status, graph: await graph };
}

export async function dashboardRender(h: Harness, report: Report, o: DashboardOptions): Promise<void> {
  if (!h.worker) throw new Error('the dashboard bench needs the in-process worker');
  const app = createApp({
    client: h.client,
    taskQueue: h.worker.taskQueue,
    namespace: 'default',
    env: {},
    logger: pino({ level: 'silent' }),
    uiBaseUrl: 'http://127.0.0.1:8233',
    serviceKeys: await ServiceKey.load({ dataDir: h.dir }),
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  try {
    const graph = layeredDag(rng(o.seed), o.nodes, o.shortMs, o.longMs);
    const id = `dashboard-${Date.now().toString(36)}`;
    const handle = await start(
      h.client,
      h.worker.taskQueue,
      config(graph.resources, { max_parallel: o.maxParallel }, id),
    );
    const url = `${base}/ui#/runs/${id}`;
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();

    const opened: Opened[] = [];
    for (let i = 0; i < o.opens; i += 1) opened.push(await openTimed(page, url, o.nodes));
    const opens = opened.map((x) => x.total);

    // While it runs: each second, the nodes the API reports completed against those the page shows.
    const trailing: number[] = [];
    let ended = false;
    const finished = handle.result().then((status) => {
      ended = true;
      return { status: status as RunStatus, at: performance.now() };
    });
    while (!ended) {
      const api = (await (await fetch(`${base}/deploy/status/${id}`)).json()) as { counts?: { completed?: number } };
      const shown = await completedOnPage(page);
      trailing.push(Math.max(0, (api.counts?.completed ?? 0) - shown));
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const { status, at } = await finished;
    if (status.status !== 'completed') throw new Error(`the bench run ended ${status.status}`);
    await page.waitForFunction(atLeast, ['.graph-node.node-completed', o.nodes] as const, {
      timeout: 60_000,
    });
    const caughtUpMs = performance.now() - at;
    const nodesDrawn = await drawn(page);
    // The same page once the run has ended: no worker busy with it, the status read from its result.
    const openedFinished: Opened[] = [];
    for (let i = 0; i < o.opens; i += 1) openedFinished.push(await openTimed(page, url, o.nodes));

    const note = `${o.nodes.toLocaleString('en-US')} nodes (layered DAG, seed ${o.seed}), Chromium headless, 1280×800`;
    report.rows.push({
      section: SECTION,
      metric: 'open a run page until every node is drawn',
      value: describe(distribution(opens)),
      note,
    });
    report.rows.push({
      section: SECTION,
      metric: '… of which waiting for the status, then the graph (API answers)',
      value: `status p50 ${ms(distribution(opened.map((x) => x.status)).p50)}, graph p50 ${ms(distribution(opened.map((x) => x.graph)).p50)}`,
      note: 'from navigation; the rest is loading the page, layout and drawing',
    });
    report.rows.push({
      section: SECTION,
      metric: 'open the same run page once the run has ended',
      value: describe(distribution(openedFinished.map((x) => x.total))),
      note: `status p50 ${ms(distribution(openedFinished.map((x) => x.status)).p50)}, graph p50 ${ms(distribution(openedFinished.map((x) => x.graph)).p50)}`,
    });
    report.rows.push({
      section: SECTION,
      metric: 'completed nodes the page trails the API by (sampled each second while running)',
      value: `median ${distribution(trailing).p50}, max ${Math.max(0, ...trailing)}`,
      note: `${trailing.length} samples`,
    });
    report.rows.push({
      section: SECTION,
      metric: 'run ended → page shows every node completed',
      value: ms(caughtUpMs),
      note,
    });
    report.data['dashboard'] = {
      nodes: o.nodes,
      drawn: nodesDrawn,
      open_ms: opens,
      trailing,
      caught_up_ms: caughtUpMs,
    };
  } finally {
    await browser.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
