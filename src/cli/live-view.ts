/**
 * The terminal's live view of a run (listr2): a task per node with a spinner while it runs, its
 * duration when it completes, its error in full when it fails, and a run line below them that says
 * the run's phase and how to go on from a pause or a decision, with a question under it (offer.ts).
 * Each row keeps what it shows, so an event that comes before listr2 started its task is not lost.
 */
import { Listr, type ListrDefaultRenderer, type ListrSimpleRenderer, type ListrTaskWrapper } from 'listr2';
import type { ApiClient } from './api-client';
import type { Output } from './output';
import type { NodeEventData, PhaseEventData, RunAddress, RunEvent } from './run-events';
import type { RunView } from './run-views';
import { finishedText, nodeLabel, nodeText, phaseText } from './run-text';

type Task = ListrTaskWrapper<unknown, ListrDefaultRenderer, ListrSimpleRenderer>;

/** One row of the view: its title and output, shown on its task once listr2 runs it. */
class Row {
  private task: Task | undefined;
  private output = '';
  private ended = false;
  private settle!: (err?: Error) => void;
  private readonly done = new Promise<void>((resolve, reject) => {
    this.settle = (err) => (err ? reject(err) : resolve());
  });

  constructor(private title: string) {}

  /** The listr2 task function. */
  readonly run = (_: unknown, task: Task): Promise<void> => {
    this.task = task;
    task.title = this.title;
    task.output = this.output;
    return this.done;
  };

  show(title: string): void {
    this.title = title;
    if (this.task) this.task.title = title;
  }

  say(output: string): void {
    this.output = output;
    if (this.task) this.task.output = output;
  }

  end(err?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.settle(err);
  }

  /** Ends a row whose node never ran. */
  skip(): void {
    if (this.ended) return;
    this.task?.skip(`${this.title}: not run`);
    this.end();
  }
}

/** Node states after which a row stops spinning (a failed node may still be retried: it ends with the run). */
const SETTLED_NODE = new Set(['completed', 'skipped', 'blocked', 'compensated']);

export async function liveView(api: ApiClient, output: Output, run: RunAddress): Promise<RunView> {
  const status = await api.get<{ nodes: NodeEventData[] }>(`/deploy/status/${encodeURIComponent(run.deploymentId)}`, {
    run_id: run.runId,
  });
  const c = output.color;
  const startedAt = Date.now();
  const runRow = new Row('run');
  const nodes = new Map(status.nodes.map((node) => [node.node_id, new Row(`${nodeLabel(node)} ${c.dim(node.type)}`)]));
  const failed = new Map<Row, string>();
  const tasks = [
    ...status.nodes.map((node) => ({ title: nodeLabel(node), task: (nodes.get(node.node_id) as Row).run })),
    { title: 'run', task: runRow.run },
  ];
  const list = new Listr(tasks, { concurrent: true, exitOnError: false, rendererOptions: { collapseErrors: false } });
  const rendering = list.run().catch(() => undefined);

  const showNode = (node: NodeEventData): void => {
    const row = nodes.get(node.node_id);
    if (!row) return;
    const text = `${nodeLabel(node)}: ${nodeText(node, c)}`;
    row.show(text);
    if (node.status === 'failed') failed.set(row, text);
    else failed.delete(row);
    if (SETTLED_NODE.has(node.status)) row.end();
  };
  const showPhase = (phase: PhaseEventData, finished: boolean): void => {
    runRow.show(finished ? finishedText(phase, Date.now() - startedAt, c) : phaseText(run, phase, c));
    if (finished) runRow.end();
  };
  return {
    show(event: RunEvent) {
      if (event.event === 'run_status' || event.event === 'run_finished') {
        showPhase(event.data, event.event === 'run_finished');
      } else showNode(event.data as NodeEventData);
    },
    ask(question) {
      runRow.say(question === null ? '' : c.cyan(question));
    },
    async end() {
      runRow.end();
      for (const [row, text] of failed) row.end(new Error(text));
      for (const row of nodes.values()) row.skip();
      await rendering;
    },
  };
}
