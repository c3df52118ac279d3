/**
 * The terminal's live view of a run (listr2): a task per node with a spinner while it runs, its
 * duration when it completes, its error in full when it fails, and a run line above them that says
 * the run's phase and how to go on from a pause or a decision.
 */
import { Listr, type ListrDefaultRenderer, type ListrSimpleRenderer, type ListrTaskWrapper } from 'listr2';
import type { ApiClient } from './api-client';
import type { Output } from './output';
import type { NodeEventData, PhaseEventData, RunAddress, RunEvent } from './run-events';
import type { RunView } from './run-views';
import { finishedText, nodeLabel, nodeText, phaseText } from './run-text';

type Task = ListrTaskWrapper<unknown, ListrDefaultRenderer, ListrSimpleRenderer>;

class Settled {
  task: Task | undefined;
  readonly done: Promise<void>;
  resolve!: () => void;
  reject!: (err: Error) => void;
  constructor() {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

const SETTLED_NODE = new Set(['completed', 'failed', 'skipped', 'blocked', 'compensated']);

export async function liveView(api: ApiClient, output: Output, run: RunAddress): Promise<RunView> {
  const status = await api.get<{ nodes: NodeEventData[] }>(`/deploy/status/${encodeURIComponent(run.deploymentId)}`, {
    run_id: run.runId,
  });
  const c = output.color;
  const startedAt = Date.now();
  const runLine = new Settled();
  const nodes = new Map(status.nodes.map((node) => [node.node_id, new Settled()]));
  const tasks = [
    { title: 'run', task: (_: unknown, task: Task) => ((runLine.task = task), runLine.done) },
    ...status.nodes.map((node) => ({
      title: `${nodeLabel(node)} ${c.dim(node.type)}`,
      task: (_: unknown, task: Task) => {
        const settled = nodes.get(node.node_id) as Settled;
        settled.task = task;
        return settled.done;
      },
    })),
  ];
  const list = new Listr(tasks, { concurrent: true, exitOnError: false, rendererOptions: { collapseErrors: false } });
  const rendering = list.run().catch(() => undefined);

  const showNode = (node: NodeEventData): void => {
    const settled = nodes.get(node.node_id);
    if (!settled?.task) return;
    const text = nodeText(node, c);
    settled.task.title = `${nodeLabel(node)}: ${text}`;
    if (node.status === 'failed') settled.reject(new Error(`${nodeLabel(node)}: ${text}`));
    else if (SETTLED_NODE.has(node.status)) settled.resolve();
  };
  const showPhase = (phase: PhaseEventData, finished: boolean): void => {
    if (!runLine.task) return;
    runLine.task.title = finished ? finishedText(phase, Date.now() - startedAt, c) : phaseText(run, phase, c);
    if (finished) runLine.resolve();
  };
  return {
    show(event: RunEvent) {
      if (event.event === 'run_status' || event.event === 'run_finished') {
        showPhase(event.data, event.event === 'run_finished');
      } else showNode(event.data as NodeEventData);
    },
    async end() {
      runLine.resolve();
      for (const settled of nodes.values()) {
        settled.task?.skip(`${settled.task.title}: not run`);
        settled.resolve();
      }
      await rendering;
    },
  };
}
