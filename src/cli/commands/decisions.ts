/** Operator decisions on a run: `continue`, `retry`, `skip`, `rollback`, `abort`. */
import type { Command } from 'commander';
import { action } from '../context';

export interface Decided {
  readonly deployment_id: string;
  readonly action: string;
  readonly nodes?: readonly { name: string }[];
}

export interface DecisionFlags {
  readonly run?: string | undefined;
  readonly node?: string | string[];
  readonly reason?: string;
}

const DECISIONS = [
  {
    name: 'continue',
    does: 'release a paused run: one paused node or gate (--node), else every paused one',
    node: 'one',
  },
  { name: 'retry', does: 'after a failure (awaiting a decision): run the failed nodes again', node: 'many' },
  { name: 'skip', does: 'after a failure: mark the failed nodes skipped and go on', node: 'many' },
  { name: 'rollback', does: 'undo every completed node, newest first' },
  { name: 'abort', does: 'end the run as aborted' },
] as const;

/** The request body of a decision (POST /deploy/{name}). */
export function decisionBody(deploymentId: string, name: string, flags: DecisionFlags): Record<string, unknown> {
  const nodes = flags.node;
  return {
    deployment_id: deploymentId,
    ...(flags.run ? { run_id: flags.run } : {}),
    ...(nodes === undefined ? {} : name === 'continue' ? { node_id: nodes } : { node_ids: nodes }),
    ...(flags.reason ? { reason: flags.reason } : {}),
  };
}

export function registerDecisions(program: Command): void {
  for (const decision of DECISIONS) {
    const command = program
      .command(decision.name)
      .description(decision.does)
      .argument('<deployment>', 'the deployment id')
      .option('--run <run-id>', 'a specific run (default: the latest)');
    if ('node' in decision && decision.node === 'one') {
      command.option('--node <name>', 'the node: its resource id, or resource[region]');
    } else if ('node' in decision) {
      command.option(
        '--node <name...>',
        'only these nodes (resource id, or resource[region]); default: every failed one',
      );
    }
    if (decision.name === 'abort') command.option('--reason <text>', 'why, for the log');
    command.action(
      action(async ({ api, output }, deploymentId: string, flags: DecisionFlags) => {
        const answer = await api.post<Decided>(
          `/deploy/${decision.name}`,
          decisionBody(deploymentId, decision.name, flags),
        );
        const names = (answer.nodes ?? []).map((node) => node.name);
        output.show(answer, (a) => [
          `${a.action} accepted by ${a.deployment_id}${names.length > 0 ? `: ${names.join(', ')}` : ''}`,
        ]);
      }),
    );
  }
}
