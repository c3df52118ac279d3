/** 4. Plan latency: validateConfig + buildSpecGraph (no Temporal) on layered configs, median of several runs. */
import { registry } from '../../src/resources/registry';
import { buildSpecGraph } from '../../src/model/build-graph';
import { validateConfig } from '../../src/model/validate-config';
import { config } from '../../support/deployments';
import { layeredDag } from '../lib/graphs';
import { rng } from '../lib/prng';
import type { Report } from '../lib/report';
import { median, round } from '../lib/stats';

export function planLatency(report: Report, o: { sizes: readonly number[]; repeats: number; seed: number }): void {
  const results: Record<string, unknown>[] = [];
  for (const size of o.sizes) {
    const cfg = config(layeredDag(rng(o.seed + size), size, [10, 100], [300, 1_000]).resources, {}, `plan-${size}`);
    const times: number[] = [];
    for (let i = 0; i < o.repeats; i += 1) {
      const began = performance.now();
      const checked = validateConfig(cfg, registry);
      if (!checked.ok) throw new Error(`bench config invalid: ${JSON.stringify(checked.errors.slice(0, 3))}`);
      buildSpecGraph(checked.config, registry, null);
      times.push(performance.now() - began);
    }
    results.push({ resources: size, median_ms: median(times), runs_ms: times });
    report.rows.push({
      section: '4 plan latency',
      metric: `validate + build, ${size.toLocaleString('en-US')} resources`,
      value: `${round(median(times), 1)} ms median`,
      note: `${o.repeats} runs, min ${round(Math.min(...times), 1)} ms`,
    });
  }
  report.data['plan_latency'] = results;
}
