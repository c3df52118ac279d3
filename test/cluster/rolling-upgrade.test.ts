/**
 * A rolling upgrade on the local cluster: the workers start on an old build of the workflow code
 * (every `wf.patched` branch off, as before each patch), and are replaced one by one, each stopped
 * with SIGTERM as a deploy would, by workers on the current build while runs are in flight. Every
 * run completes with each effect applied once, and every history the cluster recorded (begun on the
 * old build, finished on the new; and runs wholly on the new) replays on the current code.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker, type ReplayResult } from '@temporalio/worker';
import { bundleWorkflows } from '../../src/runtime/cluster/cluster';
import { dataConverter } from '../../src/temporal/compression-codec';
import * as patches from '../../src/workflows/patches';
import { useCluster } from './helpers/cluster-bed';
import { applyMany, continueGates, inFlight, outcomes, sleep, summary, type Started } from './helpers/runs';
import { unpatchedBundle } from './helpers/unpatched-build';

Runtime.install({ logger: new DefaultLogger('WARN') }); // the replay's own worker says little

const patchesOff: string[] = [];
const bed = useCluster({ workers: 3, apis: 1 }, async (dir) => {
  const old = await unpatchedBundle(dir);
  patchesOff.push(...old.patches);
  return { workflowBundlePath: old.bundlePath };
});

/** How the SDK's core records a `patched()` call: a marker named so, its details a JSON `{ id, deprecated }`. */
const PATCH_MARKER = 'core_patch';
const PATCH_DETAILS = 'patch-data';

type History = Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>;

/**
 * The patches a new build takes again whenever it starts nodes, so it records them mid-run in a run an old build
 * began (patched() is true once past the replayed part); the others are taken when a run begins or ends its way.
 */
const MID_RUN: readonly string[] = [patches.FEWER_HOPS_PATCH, patches.DIRECT_APPLY_PATCH, patches.CHAINED_APPLY_PATCH];

/** Whether the history's first node activity was scheduled before any patch marker: the old build began the run. */
function begunUnpatched(history: History): boolean {
  const events = history.events ?? [];
  const firstMarker = events.findIndex((e) => e.markerRecordedEventAttributes?.markerName === PATCH_MARKER);
  const firstNode = events.findIndex((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'applyNode');
  return firstNode >= 0 && (firstMarker < 0 || firstNode < firstMarker);
}

/** The patch ids a history's markers record. */
function markers(history: History): string[] {
  return (history.events ?? []).flatMap((event) => {
    const attributes = event.markerRecordedEventAttributes;
    if (attributes?.markerName !== PATCH_MARKER) return [];
    const data = attributes.details?.[PATCH_DETAILS]?.payloads?.[0]?.data;
    return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id] : [];
  });
}

it('replaces every worker with a new build while runs are in flight; runs complete and their histories replay on the new code', async () => {
  expect(patchesOff).toEqual(
    Object.keys(patches)
      .filter((name) => name.endsWith('_PATCH'))
      .sort(),
  );
  const newBuildDir = join(bed.dir, 'new-build');
  mkdirSync(newBuildDir, { recursive: true });
  const newBuild = await bundleWorkflows(newBuildDir);

  // 1–3 s nodes, 5 at once (about 20 s a run), so nodes are in flight at each replacement; each run waits at its
  // gate until every worker is new, so it is unfinished then however fast this machine is, and its last two nodes
  // are the new build's.
  const before = await applyMany(bed, 'upgrade', 10, 50, {
    shortMs: [1_000, 3_000],
    longMs: [3_000, 5_000],
    maxParallel: 5,
    gated: true,
  });
  await sleep(2_000);
  const unfinished: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    unfinished.push(await inFlight(bed, before));
    await bed.cluster().restart('worker', i, 'SIGTERM', { WORKFLOW_BUNDLE_PATH: newBuild });
    await sleep(1_500);
  }
  unfinished.push(await inFlight(bed, before));
  // Runs were still going once no old worker was left: the new build finished what the old began.
  expect(unfinished.every((n) => n > 0)).toBe(true);
  await continueGates(bed, before);
  const after = await applyMany(bed, 'after-upgrade', 2, 10);
  const all = await outcomes(bed, [...before, ...after]);
  expect(summary(all)).toEqual({ runs: 12, correct: 12, duplicated: [], orphans: [], lost: [] });

  const connection = await Connection.connect({ address: bed.cluster().temporalAddress });
  try {
    const client = new Client({ connection, dataConverter });
    const history = (run: Started) => client.workflow.getHandle(`deploy-${run.deploymentId}`, run.runId).fetchHistory();
    const begunOld = await Promise.all(before.map(history));
    const wholeNew = await Promise.all(after.map(history));
    // The old build began them without patch markers; the new one took only its mid-run patches in them, and every
    // patch in runs it begins.
    expect(begunOld.map(begunUnpatched)).toEqual(begunOld.map(() => true));
    expect(begunOld.map((h) => markers(h).filter((id) => !MID_RUN.includes(id)))).toEqual(begunOld.map(() => []));
    expect(begunOld.some((h) => markers(h).includes(patches.FEWER_HOPS_PATCH))).toBe(true);
    expect(begunOld.some((h) => markers(h).includes(patches.DIRECT_APPLY_PATCH))).toBe(true);
    expect(begunOld.some((h) => markers(h).includes(patches.CHAINED_APPLY_PATCH))).toBe(true);
    expect(wholeNew.map((h) => markers(h).includes(patches.DEPLOYMENT_RECORD_PATCH))).toEqual([true, true]);

    const results: ReplayResult[] = [];
    const histories = [...begunOld, ...wholeNew].map((h, i) => ({ workflowId: `history-${i}`, history: h }));
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { codePath: newBuild }, dataConverter },
      histories,
    ))
      results.push(result);
    expect(results.map((r) => r.error?.message ?? null)).toEqual(results.map(() => null));
    expect(results).toHaveLength(12);
  } finally {
    await connection.close();
  }
});
