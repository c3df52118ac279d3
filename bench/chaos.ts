/**
 * `npm run chaos [-- --quick] [-- --seed N]`: worker kills (of runs that create, and of runs that
 * update in place and then roll back, on moto_server), a server restart and provider storms
 * against a private Temporal dev server, plus the fuzzing results; writes
 * bench/results/<timestamp>-chaos.{json,md} and prints the table.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverRestart } from './chaos/server-restart';
import { storms } from './chaos/storms';
import { updateKills } from './chaos/update-kills';
import { workerKills } from './chaos/worker-kill';
import { apiFuzz, configFuzz } from './chaos/fuzzing';
import { parseArgs, runMeta, runScript, section } from './lib/args';
import { startHarness } from './lib/harness';
import { newReport, writeReport } from './lib/report';

const PROFILES = {
  quick: { kills: 4, killsPerRun: 2, updateRuns: 2, downMs: 3_000, stormRuns: 2, fuzzRuns: 200 },
  full: { kills: 50, killsPerRun: 5, updateRuns: 10, downMs: 10_000, stormRuns: 10, fuzzRuns: 1_000 },
};

async function main(): Promise<void> {
  const args = parseArgs();
  const p = args.quick ? PROFILES.quick : PROFILES.full;
  const began = performance.now();
  const report = newReport();
  const h = await section('start Temporal dev server, bundle, worker', () => startHarness());
  try {
    await section('1 worker kill -9', () =>
      workerKills(h, report, { kills: p.kills, killsPerRun: p.killsPerRun, seed: args.seed }),
    );
    await section('1b worker kill -9 during updates', () =>
      updateKills(h, report, { runs: p.updateRuns, killsPerRun: p.killsPerRun, seed: args.seed }),
    );
    await section('3 provider storms', () => storms(h, report, { runs: p.stormRuns, seed: args.seed }));
  } finally {
    await h.stop();
  }
  const dir = await mkdtemp(join(tmpdir(), 'chaos-restart-'));
  try {
    await section('2 server restart', () => serverRestart(dir, report, { downMs: p.downMs, seed: args.seed }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await section('4 config fuzz', () => configFuzz(report, p.fuzzRuns));
  await apiFuzz(report);
  await writeReport('chaos', report, runMeta(args, began));
}

runScript(main);
