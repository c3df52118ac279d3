/**
 * 5. Scale: one large deployment to completion (wall time, history events over every run of the
 * chain, continue-as-new count), and many concurrent deployments on the one worker (all complete;
 * schedule-to-start = the workflow deciding to start a node → its activity running, per the
 * status query's started_at and the ledger, with zero-duration nodes).
 */
import type { Client } from '@temporalio/client';
import { config } from '../../support/deployments';
import { layeredDag } from '../lib/graphs';
import { cpuDuring, describeCpu } from '../lib/group-cpu';
import { runToEnd, type Harness } from '../lib/harness';
import { concurrentRuns } from '../lib/ours';
import { rng } from '../lib/prng';
import type { Report } from '../lib/report';
import { describe, round } from '../lib/stats';

/** Every execution of a workflow id (continue-as-new chain), once visibility lists them all closed. */
async function executions(client: Client, workflowId: string): Promise<{ runs: number; events: number }> {
  for (let attempt = 0; ; attempt += 1) {
    let runs = 0;
    let events = 0;
    let open = 0;
    for await (const info of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      runs += 1;
      events += info.historyLength;
      if (info.status.name === 'RUNNING') open += 1;
    }
    if ((open === 0 && runs > 0) || attempt > 20) return { runs, events };
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function scale(
  h: Harness,
  report: Report,
  o: { nodes: number; concurrent: number; eachNodes: number; seed: number },
): Promise<void> {
  const taskQueue = (h.worker as NonNullable<Harness['worker']>).taskQueue;
  const [big, cpu] = await cpuDuring(h.server.pid, () =>
    runToEnd(
      h.client,
      taskQueue,
      config(layeredDag(rng(o.seed), o.nodes, [0, 0], [0, 0]).resources, { max_parallel: 200 }),
    ),
  );
  const chain = await executions(h.client, big.handle.workflowId);
  report.rows.push({
    section: '5 scale',
    metric: `${o.nodes.toLocaleString('en-US')}-node deployment`,
    value: `${round(big.wallMs / 1000, 1)} s wall, ${big.status.status}`,
    note: `${chain.events.toLocaleString('en-US')} history events over ${chain.runs} runs (${chain.runs - 1} continue-as-new); ${describeCpu(cpu, big.wallMs)}`,
  });

  const many = await concurrentRuns(h, o);
  report.rows.push({
    section: '5 scale',
    metric: `${o.concurrent} concurrent × ${o.eachNodes} nodes, one worker`,
    value: `${many.completed}/${o.concurrent} completed in ${round(many.wallMs / 1000, 1)} s`,
    note: `schedule-to-start ${describe(many.scheduleToStart)}`,
  });
  report.data['scale'] = {
    large: {
      nodes: o.nodes,
      wall_ms: big.wallMs,
      status: big.status.status,
      history_events: chain.events,
      runs: chain.runs,
      continue_as_new: chain.runs - 1,
      cpu,
    },
    concurrent: {
      deployments: o.concurrent,
      nodes_each: o.eachNodes,
      completed: many.completed,
      wall_ms: many.wallMs,
      schedule_to_start_ms: many.scheduleToStart,
    },
  };
}
