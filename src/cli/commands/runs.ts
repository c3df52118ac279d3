/** Reading runs: `status`, `watch` (attach to a run), `logs [-f]`, `history`, `list`. */
import type { Command } from 'commander';
import { action, type CommandContext } from '../context';
import { EXIT } from '../exit-codes';
import { followToEnd, type FollowFlags } from '../follow';
import type { Colors } from '../output';
import type { NodeEventData, PhaseEventData } from '../run-events';
import { countsText, nodeLabel, nodeText, phaseText } from '../run-text';

interface RunFlag {
  readonly run?: string;
}

interface Status extends PhaseEventData {
  readonly deployment_id: string;
  readonly run_id: string;
  readonly graph_id: string;
  readonly version: string;
  readonly action: string;
  readonly mode: string;
  readonly started_at: string;
  readonly completed_at: string | null;
  readonly web_ui_url: string;
  readonly nodes: readonly NodeEventData[];
  readonly aws_accounts?: readonly string[];
}

interface RunSummary {
  readonly deployment_id: string;
  readonly run_id: string;
  readonly status: string;
  readonly action: string;
  readonly mode: string;
  readonly version: string;
  readonly started_at: string;
  readonly closed_at: string | null;
}

interface LogEntry {
  readonly at: string;
  readonly level: string;
  readonly resource?: string | null;
  readonly message: string;
}

interface Logs {
  readonly execution_status: string;
  readonly entries: readonly LogEntry[];
  readonly next_since: number;
}

const path = (base: string, id: string) => `${base}/${encodeURIComponent(id)}`;

function statusLines(status: Status, c: Colors): string[] {
  const run = { deploymentId: status.deployment_id, runId: status.run_id };
  return [
    `${c.bold(status.deployment_id)}: ${phaseText(run, status, c)}`,
    `  ${status.action} ${status.mode}, version ${status.version}, graph ${status.graph_id}, run ${status.run_id}`,
    `  started ${status.started_at}${status.completed_at ? `, ended ${status.completed_at}` : ''}; ${countsText(status.counts)}`,
    ...(status.aws_accounts?.length ? [`  AWS account ${status.aws_accounts.join(', ')}`] : []),
    ...status.nodes.map((node) => `  ${nodeLabel(node)}: ${node.status === 'pending' ? 'pending' : nodeText(node, c)}`),
    `  Temporal Web UI: ${status.web_ui_url}`,
  ];
}

const summaryLine = (run: RunSummary): string =>
  `${run.deployment_id}  ${run.status}  ${run.action} ${run.mode} ${run.version}  ${run.started_at}  run ${run.run_id}`;

const pageHint = (next: string | null): string[] => (next ? [`next page: --page-token ${next}`] : []);

const logLine = (entry: LogEntry): string =>
  `${entry.at} ${entry.level.padEnd(5)} ${entry.resource ? `${entry.resource}: ` : ''}${entry.message}`;

async function printLogs({ api, output }: CommandContext, id: string, flags: RunFlag & { follow?: boolean }) {
  let since = 0;
  for (;;) {
    const logs = await api.get<Logs>(path('/deploy/logs', id), { since, run_id: flags.run });
    for (const entry of logs.entries) {
      if (output.json) output.record(entry);
      else output.line(logLine(entry));
    }
    since = logs.next_since;
    if (!flags.follow || logs.execution_status !== 'RUNNING') return EXIT.ok;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

export function registerRuns(program: Command): void {
  program
    .command('status')
    .description("a run's state: its phase, what it waits for, each node")
    .argument('<id>', 'a deployment id (its latest run), a run id or a graph id')
    .option('--run <run-id>', 'a specific run of the deployment')
    .action(
      action(async ({ api, output }, id: string, flags: RunFlag) => {
        const status = await api.get<Status>(path('/deploy/status', id), { run_id: flags.run });
        output.show(status, (s) => statusLines(s, output.color));
      }),
    );

  program
    .command('watch')
    .description('attach to a run and follow it live until it ends (exit code as for apply)')
    .argument('<deployment>', 'the deployment id (its latest run)')
    .option('--run <run-id>', 'a specific run of the deployment')
    .option('--detach-on-pause', 'stop following with exit code 3 when the run pauses or waits for a decision')
    .action(
      action((ctx, deploymentId: string, flags: RunFlag & FollowFlags) =>
        followToEnd(ctx, { deploymentId, runId: flags.run }, flags),
      ),
    );

  program
    .command('logs')
    .description("a run's log (-f: follow it until the run ends)")
    .argument('<id>', 'a deployment id (its latest run) or a run id')
    .option('--run <run-id>', 'a specific run of the deployment')
    .option('-f, --follow', 'keep printing new entries until the run ends')
    .action(action((ctx, id: string, flags: RunFlag & { follow?: boolean }) => printLogs(ctx, id, flags)));

  program
    .command('history')
    .description("a deployment's runs, newest first")
    .argument('<deployment>', 'the deployment id')
    .option('--page-size <n>', 'runs per page (1-100)', '20')
    .option('--page-token <token>', 'the next page, as the previous page said')
    .action(
      action(async ({ api, output }, id: string, flags: { pageSize: string; pageToken?: string }) => {
        const history = await api.get<{ runs: RunSummary[]; runs_total: number; next_page_token: string | null }>(
          path('/deploy/history', id),
          { page_size: flags.pageSize, page_token: flags.pageToken },
        );
        output.show(history, (h) => [
          `${h.runs_total} run(s)`,
          ...h.runs.map(summaryLine),
          ...pageHint(h.next_page_token),
        ]);
      }),
    );

  program
    .command('list')
    .description('deployments with their latest run')
    .option('--status <phase>', 'only those whose latest run is in this phase (completed, failed, paused, …)')
    .option('--page-size <n>', 'deployments per page (1-100)', '20')
    .option('--page-token <token>', 'the next page, as the previous page said')
    .action(
      action(async ({ api, output }, flags: { status?: string; pageSize: string; pageToken?: string }) => {
        const list = await api.get<{ deployments: RunSummary[]; next_page_token: string | null }>('/deploy/list', {
          status: flags.status,
          page_size: flags.pageSize,
          page_token: flags.pageToken,
        });
        output.show(list, (l) => [...l.deployments.map(summaryLine), ...pageHint(l.next_page_token)]);
      }),
    );
}
