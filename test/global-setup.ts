/**
 * One Temporal dev server and one workflow bundle for the whole jest run (bundling takes seconds;
 * each test file then starts its own worker on its own task queue). Tests that must stop a server
 * start a private one with `startDevServer`. `TEST_TEMPORAL=off` skips both, for pure unit runs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer } from '../src/runtime/dev-server';
import { resolveTemporalCli } from '../src/runtime/temporal-cli';
import { RUNTIME_DIR } from './helpers/runtime-files';

const quiet = { info() {}, warn() {}, debug() {}, trace() {}, log() {}, error: console.error };

export default async function globalSetup(): Promise<void> {
  if (process.env['TEST_TEMPORAL'] === 'off') return;
  await mkdir(RUNTIME_DIR, { recursive: true });
  const [server, bundle] = await Promise.all([
    startDevServer({ cliPath: resolveTemporalCli(), uiPort: null, logFile: join(RUNTIME_DIR, 'temporal.log') }),
    bundleWorkflowCode({ workflowsPath: require.resolve('../src/workflows'), logger: quiet as never }),
  ]);
  const bundlePath = join(RUNTIME_DIR, 'workflow-bundle.js');
  await writeFile(bundlePath, bundle.code);
  process.env['TEST_TEMPORAL_ADDRESS'] = server.address;
  process.env['TEST_WORKFLOW_BUNDLE'] = bundlePath;
  (globalThis as { __temporalServer?: { stop(): Promise<void> } }).__temporalServer = server;
}
