/** Starting a run (apply, verify, destroy, move, a template's apply) and, unless detached, following it. */
import { Option, type Command } from 'commander';
import type { CommandContext } from './context';
import { EXIT } from './exit-codes';
import { followToEnd, type FollowFlags } from './follow';

export interface StartFlags extends FollowFlags {
  readonly detach?: boolean | undefined;
}

interface Started {
  readonly deployment_id: string;
  readonly run_id: string;
  readonly action: string;
  readonly mode: string;
  readonly graph_id: string;
  readonly web_ui_url: string;
}

/** The options of every command that starts a run. */
export const withFollowOptions = (command: Command): Command =>
  command
    .option('--detach', 'start the run and exit at once (0), without following it')
    .option('--detach-on-pause', 'stop following with exit code 3 when the run pauses or waits for a decision');

export const modeOption = () =>
  new Option('--mode <mode>', 'FULL runs through, STEP waits before each node, DRY_RUN plans only').choices([
    'FULL',
    'STEP',
    'DRY_RUN',
  ]);

export async function startRun(
  ctx: CommandContext,
  path: string,
  body: unknown,
  flags: StartFlags,
  idempotencyKey?: string,
) {
  const started = await ctx.api.post<Started>(path, body, idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {});
  const run = { deploymentId: started.deployment_id, runId: started.run_id };
  if (ctx.output.json) ctx.output.record({ event: 'run_started', ...started });
  else {
    ctx.output.line(
      `${started.action} run ${started.run_id} of ${started.deployment_id} started (${started.mode}, graph ${started.graph_id})`,
    );
    ctx.output.line(`Temporal Web UI: ${started.web_ui_url}`);
  }
  if (flags.detach) {
    if (!ctx.output.json)
      ctx.output.line(`follow it: deployctl watch ${started.deployment_id} --run ${started.run_id}`);
    return EXIT.ok;
  }
  return followToEnd(ctx, run, flags);
}
