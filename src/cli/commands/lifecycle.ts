/** Runs on what is deployed: `verify` (drift), `destroy`, `move` (to another region); each followed live. */
import type { Command } from 'commander';
import { action } from '../context';
import { readJson } from '../files';
import { startRun, withFollowOptions, type StartFlags } from '../start-run';

interface TargetFlags extends StartFlags {
  readonly file?: string;
}

interface MoveFlags extends StartFlags {
  readonly from: string;
  readonly to: string;
  readonly graph?: string;
  readonly keepOld?: boolean;
  readonly onFailure?: string;
}

/** The run's target: the deployment's stored config, or the config of a file. */
const target = async (deploymentId: string | undefined, flags: TargetFlags) =>
  flags.file ? { config: await readJson(flags.file) } : { deployment_id: deploymentId };

export function registerLifecycle(program: Command): void {
  for (const [name, does] of [
    ['verify', 'a verify run: compare every resource with the config and report drift per node'],
    ['destroy', 'a destroy run: delete every resource in reverse dependency order (needs an admin key)'],
  ] as const) {
    withFollowOptions(
      program
        .command(name)
        .description(does)
        .argument('[deployment]', "the deployment id: its last apply's stored config")
        .option('--file <config>', 'use this config instead of the stored one (JSON file, - for standard input)'),
    ).action(
      action(async (ctx, deploymentId: string | undefined, flags: TargetFlags) =>
        startRun(ctx, `/deploy/${name}`, await target(deploymentId, flags), flags),
      ),
    );
  }

  withFollowOptions(
    program
      .command('move')
      .description("move a deployment's regional resources to another region, as one saga (needs an admin key)")
      .argument('<deployment>', 'the deployment id')
      .requiredOption('--from <region>', 'where its regional resources are now')
      .requiredOption('--to <region>', 'where they go')
      .option('--graph <graph-id>', 'the graph id of the last apply you planned against (409 if it changed)')
      .option('--keep-old', 'copy: keep the old region instead of deleting it once the new one is verified')
      .option('--on-failure <policy>', 'rollback (default) or halt'),
  ).action(
    action((ctx, deploymentId: string, flags: MoveFlags) =>
      startRun(
        ctx,
        '/deploy/move',
        {
          deployment_id: deploymentId,
          from_region: flags.from,
          to_region: flags.to,
          ...(flags.graph ? { graph_id: flags.graph } : {}),
          ...(flags.keepOld ? { delete_after_verify: false } : {}),
          ...(flags.onFailure ? { on_failure: flags.onFailure } : {}),
        },
        flags,
      ),
    ),
  );
}
