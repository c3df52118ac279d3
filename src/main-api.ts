/**
 * `npm run start:api`: the REST gateway alone, configured by environment (docker-compose scales
 * these out). SIGINT/SIGTERM close the listener and the Temporal connection, then exit.
 */
import { startApi } from './api/server';
import { loadEnv } from './config/env';
import { startPackageRuntime } from './runtime/package-runtime';

async function main(): Promise<void> {
  const env = loadEnv();
  const api = await startApi({ env });
  const packages = await startPackageRuntime(env, 'api', (message) => console.warn(message));
  const stop = (): void =>
    void packages
      .close()
      .then(() => api.close())
      .then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`API start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
