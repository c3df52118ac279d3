/**
 * The benchmark's step breakdown (bench/lib/step-phases.ts) read from a real chain run's history:
 * one sample per dependent step, whose phases add up to the step; and from a made-up history whose
 * workflow task was scheduled before the activity completed.
 */
import { chain } from '../../bench/lib/graphs';
import { temporal } from '@temporalio/proto';
import { chainSteps, fullHistory, PHASES, type HistoryEvent } from '../../bench/lib/step-phases';
import { config, result, start } from '../../support/deployments';
import { useTemporal } from '../../support/temporal';

const t = useTemporal();

describe('the step breakdown of a chain run', () => {
  it('gives one sample per dependent step, its phases adding up to the step, none negative', async () => {
    const handle = await start(t.client, t.worker.taskQueue, config(chain(8).resources, { max_parallel: 10 }));
    await result(handle);
    const { runId } = await handle.describe();
    const executions = await fullHistory(t.client, handle, runId);
    expect(executions).toHaveLength(1);

    const samples = chainSteps(executions);
    expect(samples).toHaveLength(7);
    for (const sample of samples) {
      const sum = PHASES.reduce((total, phase) => total + sample.phases[phase], 0);
      expect(sum).toBe(sample.stepMs);
      for (const phase of PHASES) expect(sample.phases[phase]).toBeGreaterThanOrEqual(0);
      expect(sample.activityMs).toBeGreaterThanOrEqual(0);
    }
  });
});

const Type = temporal.api.enums.v1.EventType;
/** An event of the given id, type and time (ms) from plain numbers (the generated types want Longs). */
const event = (
  eventId: number,
  eventType: number,
  ms: number,
  attributes: Record<string, unknown> = {},
): HistoryEvent =>
  temporal.api.history.v1.HistoryEvent.fromObject({
    eventId,
    eventType,
    eventTime: { seconds: Math.floor(ms / 1_000), nanos: (ms % 1_000) * 1e6 },
    ...attributes,
  });
type At = readonly [id: number, ms: number];
/** A workflow task's scheduled, started and completed events. */
const task = ([s, sMs]: At, [b, bMs]: At, [c, cMs]: At): HistoryEvent[] => [
  event(s, Type.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, sMs),
  event(b, Type.EVENT_TYPE_WORKFLOW_TASK_STARTED, bMs),
  event(c, Type.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, cMs, {
    workflowTaskCompletedEventAttributes: { scheduledEventId: s, startedEventId: b },
  }),
];
/** An applyNode activity scheduled by the task completed as `byTask`, then started and completed. */
const activity = (byTask: number, [s, sMs]: At, [b, bMs]: At, [c, cMs]: At): HistoryEvent[] => [
  event(s, Type.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, sMs, {
    activityTaskScheduledEventAttributes: { activityType: { name: 'applyNode' }, workflowTaskCompletedEventId: byTask },
  }),
  event(b, Type.EVENT_TYPE_ACTIVITY_TASK_STARTED, bMs, { activityTaskStartedEventAttributes: { scheduledEventId: s } }),
  event(c, Type.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, cMs, {
    activityTaskCompletedEventAttributes: { scheduledEventId: s },
  }),
];

it('counts a workflow task scheduled before the activity completed (the completion added to it) from the completion', () => {
  // Task 6 is scheduled at 1,005 ms (for an update, a timer) while the first activity runs; it completes at 1,010.
  const events = [
    ...task([1, 1_000], [2, 1_001], [3, 1_002]),
    ...activity(3, [4, 1_002], [5, 1_003], [7, 1_010]),
    ...task([6, 1_005], [8, 1_012], [9, 1_015]),
    ...activity(9, [10, 1_015], [11, 1_016], [12, 1_020]),
  ];
  expect(chainSteps([events])).toEqual([
    {
      stepMs: 6,
      phases: {
        'activity done → task scheduled': 0,
        'task scheduled → picked up': 2,
        'task processing (worker)': 3,
        'task done → activity started': 1,
      },
      activityMs: 4,
    },
  ]);
});
