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
const at = (ms: number) => ({ seconds: Math.floor(ms / 1_000), nanos: (ms % 1_000) * 1e6 });
/** An event from plain numbers (the generated types want Longs). */
const event = (fields: Record<string, unknown>): HistoryEvent =>
  temporal.api.history.v1.HistoryEvent.fromObject(fields);
const applyNode = { name: 'applyNode' };

it('counts a workflow task scheduled before the activity completed (the completion added to it) from the completion', () => {
  const events = [
    { eventId: 1, eventType: Type.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, eventTime: at(1_000) },
    { eventId: 2, eventType: Type.EVENT_TYPE_WORKFLOW_TASK_STARTED, eventTime: at(1_001) },
    {
      eventId: 3,
      eventType: Type.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
      eventTime: at(1_002),
      workflowTaskCompletedEventAttributes: { scheduledEventId: 1, startedEventId: 2 },
    },
    {
      eventId: 4,
      eventType: Type.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
      eventTime: at(1_002),
      activityTaskScheduledEventAttributes: { activityType: applyNode, workflowTaskCompletedEventId: 3 },
    },
    {
      eventId: 5,
      eventType: Type.EVENT_TYPE_ACTIVITY_TASK_STARTED,
      eventTime: at(1_003),
      activityTaskStartedEventAttributes: { scheduledEventId: 4 },
    },
    // A task scheduled for something else (an update, a timer) while the activity still ran.
    { eventId: 6, eventType: Type.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, eventTime: at(1_005) },
    {
      eventId: 7,
      eventType: Type.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
      eventTime: at(1_010),
      activityTaskCompletedEventAttributes: { scheduledEventId: 4 },
    },
    { eventId: 8, eventType: Type.EVENT_TYPE_WORKFLOW_TASK_STARTED, eventTime: at(1_012) },
    {
      eventId: 9,
      eventType: Type.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
      eventTime: at(1_015),
      workflowTaskCompletedEventAttributes: { scheduledEventId: 6, startedEventId: 8 },
    },
    {
      eventId: 10,
      eventType: Type.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
      eventTime: at(1_015),
      activityTaskScheduledEventAttributes: { activityType: applyNode, workflowTaskCompletedEventId: 9 },
    },
    {
      eventId: 11,
      eventType: Type.EVENT_TYPE_ACTIVITY_TASK_STARTED,
      eventTime: at(1_016),
      activityTaskStartedEventAttributes: { scheduledEventId: 10 },
    },
    {
      eventId: 12,
      eventType: Type.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
      eventTime: at(1_020),
      activityTaskCompletedEventAttributes: { scheduledEventId: 10 },
    },
  ].map(event);
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
