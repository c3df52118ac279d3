/** `plan` (a readable plan, CI exit codes, saved plans) and `apply` (start a run and follow it live). */
import { Option, type Command } from 'commander';
import { action } from '../context';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { readJson } from '../files';
import type { Plan } from '../../model/plan-answer';
import { hasChanges, planLines } from '../plan-view';
import { modeOption, startRun, withFollowOptions, type StartFlags } from '../start-run';

interface PlanFlags {
  readonly mode?: string;
  readonly live?: boolean;
  readonly save?: boolean;
  readonly detailedExitcode?: boolean;
}

interface ApplyFlags extends StartFlags {
  readonly plan?: string;
  readonly mode?: string;
  readonly onFailure?: string;
  readonly idempotencyKey?: string;
}

export function registerPlanApply(program: Command): void {
  program
    .command('plan')
    .description('plan a config without starting anything: + create, ~ update, - delete, = no-op, per parallel group')
    .argument('<config>', 'the deployment config (JSON file, - for standard input)')
    .addOption(modeOption())
    .option('--live', "read each node's current state (default: when the config has credentials)")
    .option('--no-live', 'plan from the config alone')
    .option('--save', 'save the plan (7 days) so `apply --plan <id>` applies exactly it (needs an operate key)')
    .option('--detailed-exitcode', 'exit 0 without changes, 2 with changes, 1 on error (for CI)')
    .action(
      action(async ({ api, output }, file: string, flags: PlanFlags) => {
        const config = await readJson(file);
        const plan = await api.post<Plan>('/deploy/plan', {
          config,
          ...(flags.mode ? { mode: flags.mode } : {}),
          ...(flags.live === undefined ? {} : { live: flags.live }),
          validate_only: flags.save !== true,
        });
        output.show(plan, (p) => planLines(p, output.color));
        return flags.detailedExitcode && hasChanges(plan) ? EXIT.changes : EXIT.ok;
      }),
    );

  withFollowOptions(
    program
      .command('apply')
      .description('start a run of a config (or of a saved plan) and follow it live until it ends')
      .argument('[config]', 'the deployment config (JSON file, - for standard input)')
      .option('--plan <graph-id>', 'apply exactly this saved plan (`plan --save`); with a config, it must match')
      .addOption(modeOption())
      .addOption(
        new Option('--on-failure <policy>', "what a failure does (overrides the config's settings)").choices([
          'halt',
          'rollback',
          'continue',
        ]),
      )
      .option('--idempotency-key <key>', 'a retried apply with the same key returns the run it started'),
  ).action(
    action(async (ctx, file: string | undefined, flags: ApplyFlags) => {
      if (file === undefined && flags.plan === undefined) throw new CliError('give a config file or --plan <graph-id>');
      const body = {
        ...(file === undefined ? {} : { config: await readJson(file) }),
        ...(flags.plan ? { graph_id: flags.plan } : {}),
        ...(flags.mode ? { mode: flags.mode } : {}),
        ...(flags.onFailure ? { settings: { on_failure: flags.onFailure } } : {}),
      };
      return startRun(ctx, '/deploy/apply', body, flags, flags.idempotencyKey);
    }),
  );
}
