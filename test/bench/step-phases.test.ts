/**
 * The benchmark's step breakdown (bench/lib/step-phases.ts) read from a real chain run's history:
 * one sample per dependent step, whose phases add up to the step.
 */
import { chain } from '../../bench/lib/graphs';
import { chainSteps, fullHistory, PHASES } from '../../bench/lib/step-phases';
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
