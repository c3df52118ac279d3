/** `schedule create|list|pause|unpause|trigger`: runs of a stored config on an interval or a cron. */
import { Option, type Command } from 'commander';
import { action } from '../context';
import { modeOption } from '../start-run';

interface Schedule {
  readonly schedule_id: string;
  readonly deployment_id: string;
  readonly action: string;
  readonly interval: string | null;
  readonly cron: string | null;
  readonly paused: boolean;
  readonly next_runs: readonly string[];
}

interface CreateFlags {
  readonly interval?: string;
  readonly cron?: string;
  readonly action: string;
  readonly mode?: string;
  readonly overlap?: string;
  readonly paused?: boolean;
  readonly note?: string;
}

const scheduleLine = (s: Schedule): string =>
  `${s.schedule_id}  ${s.deployment_id}  ${s.action} every ${s.interval ?? `cron "${s.cron}"`}` +
  `${s.paused ? '  (paused)' : ''}${s.next_runs[0] ? `  next ${s.next_runs[0]}` : ''}`;

export function registerSchedules(program: Command): void {
  const schedule = program.command('schedule').description('schedules: apply or verify runs on an interval or a cron');

  schedule
    .command('create')
    .description('create a schedule of a deployment (needs an admin key)')
    .argument('<deployment>', "the deployment id: its last apply's stored config runs")
    .option('--interval <duration>', 'every this long: 5m, 1h, 1d (give --interval or --cron)')
    .option('--cron <expression>', 'five fields, UTC: "0 3 * * *"')
    .addOption(new Option('--action <action>', 'what each time runs').choices(['apply', 'verify']).default('apply'))
    .addOption(modeOption())
    .option('--overlap <policy>', 'when a run is still going: skip (default), buffer_one, …')
    .option('--paused', 'create it paused')
    .option('--note <text>', 'a note for people')
    .action(
      action(async ({ api, output }, deploymentId: string, flags: CreateFlags) => {
        const { interval, cron, mode, overlap, note } = flags;
        const created = await api.post<Schedule>('/schedules', {
          deployment_id: deploymentId,
          action: flags.action,
          ...Object.fromEntries(Object.entries({ interval, cron, mode, overlap, note }).filter(([, v]) => v)),
          ...(flags.paused ? { paused: true } : {}),
        });
        output.show(created, (s) => [`created ${scheduleLine(s)}`]);
      }),
    );

  schedule
    .command('list')
    .description('the schedules you can see')
    .action(
      action(async ({ api, output }) => {
        const list = await api.get<{ schedules: Schedule[] }>('/schedules');
        output.show(list, (l) => (l.schedules.length > 0 ? l.schedules.map(scheduleLine) : ['no schedules']));
      }),
    );

  for (const [verb, does] of [
    ['pause', 'pause a schedule (it starts nothing until unpaused)'],
    ['unpause', 'unpause a schedule'],
    ['trigger', 'start its action now, once'],
  ] as const) {
    schedule
      .command(verb)
      .description(does)
      .argument('<schedule-id>', 'the schedule (sched-…)')
      .action(
        action(async ({ api, output }, id: string) => {
          const answer = await api.post<{ done: string }>(`/schedules/${encodeURIComponent(id)}/${verb}`);
          output.show(answer, (a) => [`${id} ${a.done}`]);
        }),
      );
  }
}
