/**
 * A fleet's shared step-package store (PACKAGES_S3_URI) and this process's copy of it in the
 * package folder (package-store.ts), which everything else reads. `pull` copies the shared index
 * (a 304 while it is unchanged) and the versions it makes current; `ensureVersion` fetches one
 * version by hash when a run needs it (load on first use: correctness never waits for a poll or a
 * notification). An API process's change starts from `pullForChange` and goes out with
 * `publishVersion`, then `publishIndex`, so no reader finds an index naming a version it cannot
 * fetch; the index is written only over the one the change started from (a conditional write), so
 * two API processes never lose each other's change. Without a shared store the folder is
 * the store and these only read and write it.
 */
import { hostname } from 'node:os';
import { loadEnv } from '../../config/env';
import {
  packageBucket,
  type BucketText,
  type PackageBucket,
  type WriteCondition,
} from '../../providers/package-bucket';
import { packageStore, type PackageStore, type WorkerReport } from './package-store';

const EMPTY_INDEX = '{"packages":{}}';
const versionKey = (hash: string): string => `versions/${hash}.json`;

export class PackageSync {
  private indexEtag: string | undefined;
  private pulling: Promise<void> | undefined;

  constructor(
    readonly store: PackageStore,
    private readonly bucket: PackageBucket | null,
  ) {}

  /** Where the packages are kept, for messages: the bucket, else the folder. */
  get where(): string {
    return this.bucket?.uri ?? this.store.dir;
  }

  /** Copies the shared index and its current versions here; one pull at a time (callers share it). */
  pull(): Promise<void> {
    this.pulling ??= this.pullNow().finally(() => (this.pulling = undefined));
    return this.pulling;
  }

  private async pullNow(): Promise<void> {
    if (!this.bucket) return;
    const index = await this.bucket.get('index.json', this.indexEtag);
    if (index === 'unchanged') return;
    await this.adopt(index);
    this.indexEtag = index?.etag;
  }

  /** The shared index here, after the versions it makes current (a reader never finds one missing). */
  private async adopt(index: BucketText | null): Promise<void> {
    const text = index?.text ?? EMPTY_INDEX;
    const { packages } = JSON.parse(text) as { packages: Record<string, { current: string | null }> };
    for (const record of Object.values(packages)) if (record.current) await this.ensureVersion(record.current);
    if (text !== this.store.indexText()) this.store.replaceIndexText(text);
  }

  /** Makes the version of this hash readable here: the folder's copy, else the shared store's. */
  async ensureVersion(hash: string): Promise<void> {
    if (!this.bucket || this.store.hasVersion(hash)) return;
    const found = await this.bucket.get(versionKey(hash));
    if (found === null || found === 'unchanged')
      throw new Error(`version ${hash} of a step package is not in ${this.bucket.uri}`);
    this.store.writeVersionText(hash, found.text);
  }

  /**
   * Before a change (an API process's): the shared index as it is now, copied here, and what a
   * write of the changed index must find to succeed (nothing to find without a shared store).
   */
  async pullForChange(): Promise<WriteCondition | null> {
    if (!this.bucket) return null;
    const index = await this.bucket.get('index.json');
    if (index === 'unchanged') throw new Error('an unconditional read answered "unchanged"');
    await this.adopt(index);
    this.indexEtag = undefined;
    return index ? { etag: index.etag } : { absent: true };
  }

  /** A version this process compiled, to the shared store (before an index names it). */
  async publishVersion(hash: string): Promise<void> {
    await this.bucket?.put(versionKey(hash), this.store.versionText(hash));
  }

  /**
   * The folder's index, after a change here, to the shared store, if the shared index is still the
   * one the change started from (`basis`); else BucketConflict, and the next pull reads it whole.
   */
  async publishIndex(basis: WriteCondition | null): Promise<void> {
    if (!this.bucket) return;
    this.indexEtag = undefined;
    await this.bucket.put('index.json', this.store.indexText() ?? EMPTY_INDEX, basis ?? undefined);
  }

  /** Where workerReports reads it: the shared store, else the folder. */
  async report(report: WorkerReport): Promise<void> {
    if (this.bucket) await this.bucket.put(`workers/${report.worker}.json`, JSON.stringify(report));
    else this.store.writeWorkerReport(report);
  }

  /** Every worker's last report. */
  async workerReports(): Promise<WorkerReport[]> {
    if (!this.bucket) return this.store.workerReports();
    const keys = await this.bucket.list('workers');
    const reports = await Promise.all(keys.map((key) => this.bucket?.get(key)));
    return reports.flatMap((found) => (found && found !== 'unchanged' ? [JSON.parse(found.text) as WorkerReport] : []));
  }
}

let sync: PackageSync | undefined;

/** The sync of this process's configuration (PACKAGES_S3_URI, PACKAGES_DIR). */
export function packageSync(): PackageSync {
  if (!sync) {
    const env = loadEnv();
    const bucket = env.PACKAGES_S3_URI
      ? packageBucket(env.PACKAGES_S3_URI, { endpoint: env.AWS_ENDPOINT_URL, region: process.env['AWS_REGION'] })
      : null;
    sync = new PackageSync(packageStore(), bucket);
  }
  return sync;
}

/** How this process names itself in its reports (WORKER_ID, else `<hostname>:<pid>`). */
export const workerId = (): string => loadEnv().WORKER_ID ?? `${hostname()}:${process.pid}`;
