/**
 * `npm run temporal -- <arguments>`: the project's own Temporal CLI (the one `npm start`'s setup
 * installed and recorded in .tools/paths.json, or TEMPORAL_CLI_PATH), pointed at the Temporal the
 * service uses, read from the environment as the service reads it (src/config/env.ts):
 * TEMPORAL_ADDRESS, else the embedded dev server on 127.0.0.1:TEMPORAL_PORT, and TEMPORAL_NAMESPACE.
 * The CLI takes both from its environment, so flags on the command line still win.
 *   npm run temporal -- workflow list --query 'DeploymentId="my-app-prod"'
 *   npm run temporal -- workflow describe --workflow-id deploy-my-app-prod
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { ConfigError, loadEnv, temporalAddress } from '../src/config/env';
import { resolveTemporalCli, TemporalCliNotFoundError } from '../src/runtime/temporal-cli';

function run(): void {
  const env = loadEnv();
  const child = spawn(resolveTemporalCli(), process.argv.slice(2), {
    stdio: 'inherit',
    env: { ...process.env, TEMPORAL_ADDRESS: temporalAddress(env), TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE },
  });
  // A terminal's Ctrl-C reaches the CLI itself (one process group): it decides, we exit as it did.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.once('error', (err) => {
    console.error(`could not run the Temporal CLI: ${err.message}`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => process.exit(signal ? 128 + constants.signals[signal] : (code ?? 1)));
}

try {
  run();
} catch (err) {
  if (!(err instanceof ConfigError || err instanceof TemporalCliNotFoundError)) throw err;
  console.error(err.message);
  process.exit(1);
}
