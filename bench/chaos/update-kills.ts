/**
 * Chaos 1b: the worker process is killed with SIGKILL at seeded random moments while a run
 * updates resources in place (on moto_server: S3 buckets' tags and objects' content in a versioned
 * bucket), and a fresh worker is started after each kill; the run then fails on purpose and rolls
 * back. Every run must end rolled back with every bucket and object as it was before the run:
 * the undo of an update is read and kept in the workflow's history before its first change, so no
 * kill can lose it.
 */
import { GetBucketTaggingCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { config, delay, result, start, type Resources } from '../../support/deployments';
import { uniqueId } from '../../support/temporal';
import { spawnWorker, type WorkerProcess } from '../../support/worker-process';
import { startMoto } from '../../test/helpers/moto';
import type { Harness } from '../lib/harness';
import { rng } from '../lib/prng';
import type { Report } from '../lib/report';

const RUN_TIMEOUT_MS = 300_000;
const BUCKETS = 6;
const AWS_ENV = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' };
const RETRY = { max_attempts: 20, initial_interval: '200ms', max_interval: '1s', backoff: 2 };

/** Buckets b0… tagged stage=<stage>, each with an object whose content is <stage>; with `fail`, a node after all that always fails. */
function updateGraph(id: string, stage: string, fail: boolean): Record<string, unknown> {
  const resources: Resources = {};
  for (let i = 0; i < BUCKETS; i += 1) {
    resources[`b${i}`] = {
      type: 'aws:s3:bucket',
      properties: { bucket_name: `${id}-b${i}`, versioning: true },
      tags: { stage },
    };
    resources[`o${i}`] = {
      type: 'aws:s3:object',
      properties: { key: 'release.txt', content: stage },
      references: { bucket: `b${i}.arn` },
    };
  }
  if (fail)
    resources['gate'] = delay(
      { duration_ms: 500, fail_times: 1_000, fail_message: 'the release gate failed' },
      { depends_on: Object.keys(resources) },
    );
  const settings = fail ? { on_failure: 'rollback', retry: RETRY, heartbeat_timeout: '2s' } : { retry: RETRY };
  return {
    ...config(resources, { max_parallel: 4, ...settings }, id),
    targets: [{ provider: 'aws', regions: ['us-east-1'] }],
  };
}

/** Buckets and objects that are not as `stage` left them. */
async function notAt(s3: S3Client, id: string, stage: string): Promise<string[]> {
  const wrong: string[] = [];
  for (let i = 0; i < BUCKETS; i += 1) {
    const Bucket = `${id}-b${i}`;
    const tags = await s3.send(new GetBucketTaggingCommand({ Bucket }));
    if (tags.TagSet?.find((t) => t.Key === 'stage')?.Value !== stage) wrong.push(`b${i} tags`);
    const body = await (await s3.send(new GetObjectCommand({ Bucket, Key: 'release.txt' }))).Body?.transformToString();
    if (body !== stage) wrong.push(`o${i} content`);
  }
  return wrong;
}

export async function updateKills(
  h: Harness,
  report: Report,
  o: { runs: number; killsPerRun: number; seed: number },
): Promise<void> {
  const rand = rng(o.seed + 7);
  const moto = await startMoto();
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const taskQueue = uniqueId('chaos-update-kill');
  const env = {
    TEMPORAL_ADDRESS: h.server.address,
    TASK_QUEUE: taskQueue,
    AWS_ENDPOINT_URL: moto.endpoint,
    ...AWS_ENV,
  };
  let worker: WorkerProcess = spawnWorker(env);
  const runs: { status: string; kills: number; not_restored: string[] }[] = [];
  try {
    await worker.ready;
    for (let runNo = 0; runNo < o.runs; runNo += 1) {
      const id = uniqueId('chaos-upd');
      const before = await result(await start(h.client, taskQueue, updateGraph(id, 'v1', false)));
      if (before.status !== 'completed') throw new Error(`the first apply of ${id} ended ${before.status}`);
      const handle = await start(h.client, taskQueue, updateGraph(id, 'v2', true));
      let finished = false;
      const done = result(handle).finally(() => (finished = true));
      let kills = 0;
      for (let k = 0; k < o.killsPerRun; k += 1) {
        await Promise.race([done, new Promise((r) => setTimeout(r, rand.int(200, 2_500)))]);
        if (finished) break;
        await worker.kill('SIGKILL');
        kills += 1;
        worker = spawnWorker(env);
        await worker.ready;
      }
      const status = await Promise.race([
        done,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`run ${runNo} did not finish in ${RUN_TIMEOUT_MS} ms`)), RUN_TIMEOUT_MS),
        ),
      ]);
      const notRestored = await notAt(s3, id, 'v1');
      runs.push({ status: status.status, kills, not_restored: notRestored });
      console.error(`  update run ${runNo}: ${status.status}, ${kills} kill(s), not restored: ${notRestored.length}`);
    }
  } finally {
    await worker.kill('SIGKILL');
    s3.destroy();
    await moto.stop();
  }
  const ok = runs.filter((r) => r.status === 'rolled_back' && r.not_restored.length === 0).length;
  report.data['update_kill'] = { runs };
  report.rows.push({
    section: '1b worker kill -9 during updates',
    metric: `${runs.reduce((s, r) => s + r.kills, 0)} kills over ${runs.length} runs updating ${BUCKETS} buckets and ${BUCKETS} objects, then rolled back`,
    value: `${ok}/${runs.length} runs restored`,
    note: 'rolled back, with every bucket tag and object content as before the run',
  });
  if (ok < runs.length)
    report.notes.push(
      `update kills: runs not restored: ${JSON.stringify(runs.filter((r) => r.status !== 'rolled_back' || r.not_restored.length > 0))}`,
    );
}
