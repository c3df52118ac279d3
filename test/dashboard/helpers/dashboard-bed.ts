/**
 * The dashboard against the real product: a Temporal worker (test task queue), the API listening
 * on 127.0.0.1 (serving /ui from ui/dist, which setup builds), and Chromium. Each test takes a
 * fresh page with `open(path)`; errors the page throws fail the test that opened it.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ApiKey } from '../../../src/config/api-keys';
import { useTemporal, type TemporalFixture } from '../../../support/temporal';
import { testApi, type TestAppOptions } from '../../api/helpers/app';
import type { Http } from '../../api/helpers/http';
import { recordsSettled } from '../../helpers/records-settled';
import { launchBrowser } from './browser';

export interface DashboardBed {
  readonly temporal: TemporalFixture;
  /** The API's base URL, e.g. http://127.0.0.1:43121. */
  readonly url: string;
  /** The same app through the tests' HTTP client (checked against the OpenAPI document). */
  readonly http: Http;
  /** A new page (its own browser context) at `url + path`, e.g. `/ui#/deployments`. */
  open(path: string, options?: { readonly width?: number; readonly height?: number }): Promise<Page>;
}

export interface DashboardBedOptions {
  readonly keys?: ApiKey[];
  readonly worker?: Parameters<typeof useTemporal>[0];
  readonly app?: Omit<TestAppOptions, 'client' | 'taskQueue' | 'keys'>;
}

export function useDashboard(options: DashboardBedOptions = {}): DashboardBed {
  let server: Server | undefined;
  let http: Http | undefined;
  let browser: Browser | undefined;
  let url = '';
  const since = new Date();
  const contexts: BrowserContext[] = [];
  const pageErrors = new Map<Page, Error[]>();

  // Declared before useTemporal's: jest runs afterAll hooks in declaration order, and the API must
  // settle and close while the worker and client still run.
  afterAll(async () => {
    if (http) await recordsSettled(http, since, options.keys?.map((k) => k.key) ?? [undefined]);
    await browser?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });
  const temporal = useTemporal(options.worker);

  beforeAll(async () => {
    http = testApi({
      ...options.app,
      client: temporal.client,
      taskQueue: temporal.worker.taskQueue,
      keys: options.keys,
    });
    const app = http.app;
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterEach(async () => {
    const errors = [...pageErrors.values()].flat();
    pageErrors.clear();
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    if (errors.length) throw new Error(`the page threw: ${errors.map((e) => e.stack ?? e.message).join('\n')}`);
  });

  return {
    temporal,
    get url() {
      return url;
    },
    get http() {
      if (!http) throw new Error('the dashboard bed is not started yet: use it inside tests or hooks');
      return http;
    },
    async open(path, size) {
      if (!browser) throw new Error('the dashboard bed is not started yet: use it inside tests or hooks');
      const context = await browser.newContext({
        viewport: { width: size?.width ?? 1280, height: size?.height ?? 800 },
      });
      contexts.push(context);
      const page = await context.newPage();
      pageErrors.set(page, []);
      page.on('pageerror', (err) => pageErrors.get(page)?.push(err));
      await page.goto(`${url}${path}`);
      return page;
    },
  };
}
