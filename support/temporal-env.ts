/**
 * A Temporal dev server and the workflow bundle, made available the way the test helpers read
 * them (TEST_TEMPORAL_ADDRESS, TEST_WORKFLOW_BUNDLE). jest's global setup uses it once per run;
 * `npm run bench` and `npm run chaos` use it to get the same environment outside jest.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startDevServer, type DevServer, type DevServerOptions } from '../src/runtime/dev-server';
import { resolveTemporalCli } from '../src/runtime/temporal-cli';
import { writeWorkflowBundle } from '../src/runtime/workflow-bundle';

/** Starts a headless server (log in `dir`), bundles the workflows into `dir`, and exports both through the environment. */
export async function startTemporalEnv(dir: string, server: Partial<DevServerOptions> = {}): Promise<DevServer> {
  await mkdir(dir, { recursive: true });
  const [started, bundlePath] = await Promise.all([
    startDevServer({ cliPath: resolveTemporalCli(), uiPort: null, logFile: join(dir, 'temporal.log'), ...server }),
    writeWorkflowBundle(require.resolve('../src/workflows'), join(dir, 'workflow-bundle.js')),
  ]);
  process.env['TEST_TEMPORAL_ADDRESS'] = started.address;
  process.env['TEST_WORKFLOW_BUNDLE'] = bundlePath;
  return started;
}
