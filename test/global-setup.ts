/**
 * One Temporal dev server and one workflow bundle for the whole jest run (bundling takes seconds;
 * each test file then starts its own worker on its own task queue). Tests that must stop a server
 * start a private one with `startDevServer`. `TEST_TEMPORAL=off` skips both, for pure unit runs.
 */
import { RUNTIME_DIR } from './helpers/runtime-files';
import { startTemporalEnv } from '../support/temporal-env';

export default async function globalSetup(): Promise<void> {
  if (process.env['TEST_TEMPORAL'] === 'off') return;
  const server = await startTemporalEnv(RUNTIME_DIR);
  (globalThis as { __temporalServer?: { stop(): Promise<void> } }).__temporalServer = server;
}
