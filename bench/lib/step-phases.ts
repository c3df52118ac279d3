/**
 * Where a dependent step's time goes, read from a chain run's Temporal history (every execution of
 * it, across continue-as-new): from a node's activity completing to the next node's activity
 * starting, split into the server scheduling a workflow task, the worker picking it up, the worker
 * processing it (the walk), and the next activity being dispatched. The activity's own run time is
 * reported beside it.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { distribution, ms as millis } from './stats';

const EventType = temporal.api.enums.v1.EventType;
export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export const PHASES = [
  'activity done → task scheduled',
  'task scheduled → picked up',
  'task processing (worker)',
  'task done → activity started',
] as const;
export type Phase = (typeof PHASES)[number];

export interface StepSample {
  /** Completed activity → next activity started, ms. */
  readonly stepMs: number;
  readonly phases: Record<Phase, number>;
  /** The next activity's own run time (started → completed), ms. */
  readonly activityMs: number;
}

const ms = (event: HistoryEvent | undefined): number => {
  const time = event?.eventTime;
  return time ? Number(time.seconds ?? 0) * 1_000 + Math.floor((time.nanos ?? 0) / 1e6) : NaN;
};

/** Every event of a run and of the executions it continued as, in order. */
export async function fullHistory(
  client: Client,
  handle: WorkflowHandle,
  firstRunId: string,
): Promise<HistoryEvent[][]> {
  const executions: HistoryEvent[][] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await client.workflow
      .getHandle(handle.workflowId, runId)
      .fetchHistory();
    const events: HistoryEvent[] = history.events ?? [];
    executions.push(events);
    const last: HistoryEvent | undefined = events.at(-1);
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return executions;
}

interface ActivityEvents {
  readonly scheduled: HistoryEvent;
  readonly started: HistoryEvent;
  readonly completed: HistoryEvent;
}

/** The completed activities of `activityType` in one execution's events, in the order they started. */
function activitiesOf(events: readonly HistoryEvent[], activityType: string): ActivityEvents[] {
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  const scheduledIds = new Set<number>();
  const starts = new Map<number, HistoryEvent>();
  const done: ActivityEvents[] = [];
  for (const e of events) {
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
      if (e.activityTaskScheduledEventAttributes?.activityType?.name === activityType)
        scheduledIds.add(Number(e.eventId));
    } else if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
      starts.set(Number(e.activityTaskStartedEventAttributes?.scheduledEventId), e);
    } else if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
      const scheduledId = Number(e.activityTaskCompletedEventAttributes?.scheduledEventId);
      const started = starts.get(scheduledId);
      const scheduled = byId.get(scheduledId);
      if (scheduledIds.has(scheduledId) && started && scheduled) done.push({ scheduled, started, completed: e });
    }
  }
  return done.sort((a, b) => ms(a.started) - ms(b.started));
}

/**
 * For a fan-out (one root activity, then the others at once), from the root's activity completing to each
 * other activity of `activityType` starting (running, as Temporal records it), ms.
 */
export function fanOutGaps(events: readonly HistoryEvent[], activityType = 'applyNode'): number[] {
  const [root, ...children] = activitiesOf(events, activityType);
  return root ? children.map((child) => ms(child.started) - ms(root.completed)) : [];
}

/**
 * A step from `done` (the activity before completing) to `next` starting, split at the workflow task's scheduled,
 * started and completed times. Each boundary is held between the one before it and the step's end: a task already
 * scheduled when the activity completed (Temporal then adds the completion to it, no new task) counts from the
 * completion, so no phase is negative and the phases add up to the step.
 */
function splitStep(done: HistoryEvent, task: readonly (HistoryEvent | undefined)[], next: ActivityEvents): StepSample {
  const start = ms(done);
  const end = ms(next.started);
  const bounds = [start];
  for (const event of task) bounds.push(Math.min(end, Math.max(bounds.at(-1) as number, ms(event))));
  bounds.push(end);
  const phases = Object.fromEntries(
    PHASES.map((phase, i) => [phase, (bounds[i + 1] as number) - (bounds[i] as number)]),
  );
  return { stepMs: end - start, phases: phases as Record<Phase, number>, activityMs: ms(next.completed) - end };
}

/**
 * For a chain (one node activity at a time), one sample per dependent step: only activities of
 * `activityType` count (a run's `applyNode`; the record's reports run beside the walk). A step that crosses a
 * continue-as-new is left out (its gap is the hand-over, reported on its own by the caller).
 */
export function chainSteps(executions: readonly HistoryEvent[][], activityType = 'applyNode'): StepSample[] {
  const samples: StepSample[] = [];
  for (const events of executions) {
    const byId = new Map(events.map((e) => [Number(e.eventId), e]));
    const applies = activitiesOf(events, activityType);
    for (let i = 1; i < applies.length; i += 1) {
      const before = applies[i - 1];
      const next = applies[i];
      if (!before || !next) continue;
      // The workflow task that scheduled the next activity: the event its scheduling names.
      const completedTaskId = Number(next.scheduled.activityTaskScheduledEventAttributes?.workflowTaskCompletedEventId);
      const taskCompleted = byId.get(completedTaskId);
      const taskStarted = byId.get(Number(taskCompleted?.workflowTaskCompletedEventAttributes?.startedEventId));
      const taskScheduled = byId.get(Number(taskCompleted?.workflowTaskCompletedEventAttributes?.scheduledEventId));
      samples.push(splitStep(before.completed, [taskScheduled, taskStarted, taskCompleted], next));
    }
  }
  return samples.filter((s) => Number.isFinite(s.stepMs));
}

/** Each phase's median, and the activity's own, ms. */
export const phaseMedians = (samples: readonly StepSample[]): Record<string, number> => ({
  ...Object.fromEntries(PHASES.map((p) => [p, distribution(samples.map((s) => s.phases[p])).p50])),
  activity: distribution(samples.map((s) => s.activityMs)).p50,
});

/** The medians in words, for a report's note. */
export const breakdown = (samples: readonly StepSample[]): string =>
  `p50 ${Object.entries(phaseMedians(samples))
    .map(([phase, value]) => `${phase} ${millis(value)}`)
    .join(' · ')}`;
