/**
 * `npm start`'s process (src/main.ts) run as users run it: the embedded dev server with its Web UI
 * and SQLite state, the worker polling, the API answering; SIGINT stops it all with exit 0, and a
 * second start finds what the first one left.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '../../src/temporal/sdk-internals';
import { startDevServer } from '../../src/runtime/dev-server';
import { freePort } from '../../src/runtime/free-port';
import { resolveTemporalCli } from '../../src/runtime/temporal-cli';
import { SEARCH_ATTRIBUTES } from '../../src/workflows/messages';
import { listening as accepts, READY, startMain as start, waitFor } from './helpers/main-process';

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'main-test-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start (src/main.ts)', () => {
  it('serves the Web UI, the worker and the API, keeps run histories RUN_RETENTION long, stops cleanly on SIGINT, and keeps runs across a restart', async () => {
    const ports = { PORT: await freePort(), TEMPORAL_PORT: await freePort(), TEMPORAL_UI_PORT: await freePort() };
    const env = {
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      DATA_DIR: dataDir,
      TASK_QUEUE: 'main-test',
      LOG_LEVEL: 'warn',
      RUN_RETENTION: '7d',
    };
    const address = `127.0.0.1:${ports.TEMPORAL_PORT}`;

    const first = start(env);
    try {
      await waitFor(first, READY);
      expect(first.output()).toContain(`Temporal UI   http://127.0.0.1:${ports.TEMPORAL_UI_PORT}`);
      expect(first.output()).toContain(`state in ${join(dataDir, 'temporal.sqlite')}`);
      const ui = await fetch(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}`);
      expect(ui.ok).toBe(true);
      await ui.text();
      expect(await accepts(ports.PORT)).toBe(true);
      // The dashboard, built by setup, served by the API.
      expect(first.output()).toContain(`Dashboard     http://127.0.0.1:${ports.PORT}/ui`);
      const dashboard = await fetch(`http://127.0.0.1:${ports.PORT}/ui`);
      expect([dashboard.status, await dashboard.text()]).toEqual([200, expect.stringContaining('/ui/assets/app.js')]);

      const connection = await Connection.connect({ address });
      try {
        const pollers = await connection.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: 'main-test' },
        });
        expect(pollers.pollers.length).toBeGreaterThan(0);
        const { config } = await connection.workflowService.describeNamespace({ namespace: 'default' });
        expect(Number(config?.workflowExecutionRetentionTtl?.seconds)).toBe(7 * 86_400);
        expect(first.output()).toContain('run histories kept 7 days');
        // A run nobody works on (no worker polls this queue): it stays open across the restart.
        await new Client({ connection }).workflow.start('parked', {
          taskQueue: 'nobody-polls',
          workflowId: 'survives-restart',
        });
      } finally {
        await connection.close();
      }
    } finally {
      first.child.kill('SIGINT');
    }
    expect(await first.exit).toBe(0);
    expect(first.output()).toMatch(/SIGINT: stopping[\s\S]*\nstopped\n/);
    for (const port of Object.values(ports)) expect(await accepts(port)).toBe(false);

    const second = start(env);
    try {
      await waitFor(second, READY);
      const connection = await Connection.connect({ address });
      try {
        const described = await new Client({ connection }).workflow.getHandle('survives-restart').describe();
        expect(described.status.name).toBe('RUNNING');
      } finally {
        await connection.close();
      }
    } finally {
      second.child.kill('SIGTERM');
    }
    expect(await second.exit).toBe(0);
  });

  it('uses the cluster TEMPORAL_ADDRESS names, registering the search attributes its namespace lacks', async () => {
    const cluster = await startDevServer({ cliPath: resolveTemporalCli(), uiPort: null });
    const connection = await Connection.connect({ address: cluster.address });
    try {
      await connection.workflowService.registerNamespace({
        namespace: 'team-a',
        workflowExecutionRetentionPeriod: msToTs('1 day'),
      });
      const apiPort = await freePort();
      const started = start({
        TEMPORAL_ADDRESS: cluster.address,
        TEMPORAL_NAMESPACE: 'team-a',
        PORT: String(apiPort),
        DATA_DIR: dataDir,
        TASK_QUEUE: 'main-test-remote',
      });
      try {
        await waitFor(started, READY);
        expect(started.output()).toContain(
          `registered search attributes ${Object.values(SEARCH_ATTRIBUTES).join(', ')}`,
        );
        expect(started.output()).toContain(`Temporal      ${cluster.address} (namespace team-a; existing cluster)`);
        expect(started.output()).not.toContain('Temporal UI');
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'team-a' });
        expect(Object.keys(customAttributes ?? {}).sort()).toEqual(Object.values(SEARCH_ATTRIBUTES).sort());
        const queue = await connection.workflowService.describeTaskQueue({
          namespace: 'team-a',
          taskQueue: { name: 'main-test-remote' },
        });
        expect(queue.pollers.length).toBeGreaterThan(0);
      } finally {
        started.child.kill('SIGTERM');
      }
      expect(await started.exit).toBe(0);
    } finally {
      await connection.close();
      await cluster.stop();
    }
  });

  it('refuses a bad configuration before starting anything, naming the variable', async () => {
    const temporalPort = await freePort();
    const started = start({ PORT: 'eighty', TEMPORAL_PORT: String(temporalPort), DATA_DIR: dataDir });
    expect(await started.exit).toBe(1);
    expect(started.output()).toMatch(
      /Invalid configuration:\n {2}PORT: must be a port number from 1 to 65535 \(got "eighty"\)/,
    );
    expect(await accepts(temporalPort)).toBe(false);
  });
});
