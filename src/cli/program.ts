/** deployctl's commands and global options (commander). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerDecisions } from './commands/decisions';
import { registerLifecycle } from './commands/lifecycle';
import { registerPackages } from './commands/packages';
import { registerPlanApply } from './commands/plan-apply';
import { registerRuns } from './commands/runs';
import { registerSchedules } from './commands/schedules';
import { registerSeal } from './commands/seal';
import { registerTemplates } from './commands/templates';
import { DEFAULT_URL } from './connection';
import { EXIT_CODES_HELP } from './exit-codes';

const ENVIRONMENT_HELP = `Connection (a flag wins over the environment, which wins over the config file):
  --url, DEPLOY_URL            the service (default ${DEFAULT_URL})
  --api-key, DEPLOY_API_KEY    the API key, sent as Authorization: Bearer
  --config, DEPLOYCTL_CONFIG   a JSON file {"url": "…", "api_key": "…"} (default ~/.config/deployctl/config.json)
Output: colors and live redraw only on a terminal (NO_COLOR turns colors off); --json prints NDJSON.`;

/** The package's version (package.json, two folders up from src/cli and from dist/cli). */
const version = (): string =>
  (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

export function buildProgram(): Command {
  const program = new Command('deployctl')
    .description('Plan, apply, watch and steer deployments of the deploy-orchestrator service, over its REST API.')
    .option('--url <url>', 'the service URL (env DEPLOY_URL)')
    .option('--api-key <key>', 'the API key (env DEPLOY_API_KEY)')
    .option('--config <file>', 'a JSON config file with url and api_key (env DEPLOYCTL_CONFIG)')
    .version(version(), '-V, --version', "print deployctl's version")
    .option('--json', 'print JSON: one object per line (NDJSON), events as they come')
    .addHelpText('after', `\n${ENVIRONMENT_HELP}\n\n${EXIT_CODES_HELP}`)
    .showHelpAfterError()
    .configureHelp({ showGlobalOptions: true });
  registerPlanApply(program);
  registerRuns(program);
  registerDecisions(program);
  registerLifecycle(program);
  registerSchedules(program);
  registerTemplates(program);
  registerPackages(program);
  registerSeal(program);
  return program;
}
