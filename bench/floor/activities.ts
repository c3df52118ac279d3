/** The floor's one activity: waits `durationMs` and says when it ran (bench/floor/workflow.ts). */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Span {
  readonly startedAt: number;
  readonly endedAt: number;
}

export const floorActivities = {
  async floorStep(durationMs: number): Promise<Span> {
    const startedAt = Date.now();
    if (durationMs > 0) await sleep(durationMs);
    return { startedAt, endedAt: Date.now() };
  },
};

export type FloorActivities = typeof floorActivities;
