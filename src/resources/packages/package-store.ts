/**
 * Where deployed step packages live (docs/how-to/step-packages.md): a folder every API and worker
 * process of one machine reads (PACKAGES_DIR, default DATA_DIR/packages); with a fleet's S3 store
 * it is this machine's copy (package-sync.ts). `index.json` holds each package's record (owner,
 * status, versions, log); `versions/<hash>.json` holds a version's compiled modules, written once
 * and never changed, so a worker loads a version by its hash; `workers/<id>.json` is what each
 * worker last said it has loaded. Writes replace a file by rename, so a reader sees the old file
 * or the new one, never a torn one.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join } from 'node:path';
import { loadEnv } from '../../config/env';

/** Seed 002's deployment statuses. */
export type PackageStatus = 'UNDEPLOYED' | 'DEPLOYING' | 'DEPLOYED' | 'DEPLOYMENT_FAILED' | 'UNDEPLOYING';

export interface PackageVersionInfo {
  /** 1, 2, … in the order deployed. */
  readonly version: number;
  /** SHA-256 of the package's sources (hex): the same content is the same version. */
  readonly hash: string;
  readonly deployed_at: string;
  readonly types: readonly string[];
}

export interface PackageLogEntry {
  readonly at: string;
  readonly level: 'info' | 'error';
  readonly message: string;
}

export interface PackageRecord {
  readonly name: string;
  /** The tenant that deployed it first (null without API_KEYS): only it may deploy the name again. */
  readonly tenant: string | null;
  readonly status: PackageStatus;
  /** The hash of the version new runs use; null before the first successful deploy. */
  readonly current: string | null;
  readonly versions: readonly PackageVersionInfo[];
  /** Its log, oldest first: each deploy's checks, compiler messages and outcome, each rollback and undeploy. */
  readonly logs: readonly PackageLogEntry[];
}

/** A version as workers load it: the package's modules compiled to CommonJS, by source path. */
export interface StoredVersion {
  readonly name: string;
  readonly hash: string;
  readonly modules: Readonly<Record<string, string>>;
}

/** A version a process has loaded, and when. */
export interface LoadedVersion {
  readonly name: string;
  readonly version: number;
  readonly hash: string;
  readonly loaded_at: string;
}

/** What a worker last said it has loaded (every PACKAGES_POLL_MS and after a reload). */
export interface WorkerReport {
  readonly worker: string;
  readonly seen_at: string;
  readonly loaded: readonly LoadedVersion[];
}

interface Index {
  readonly packages: Readonly<Record<string, PackageRecord>>;
}

/** The content hash of a package's sources: path and text of every file, in path order. */
export function sourceHash(files: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const path of Object.keys(files).sort()) hash.update(`${path}\0${files[path] ?? ''}\0`);
  return hash.digest('hex');
}

/** Another process held the folder's lock for longer than a change waits. */
export class StoreBusyError extends Error {
  override readonly name = 'StoreBusyError';
}

/** How long a change waits for another process's to finish, and when a lock is taken as left behind by a dead one. */
const LOCK_WAIT_MS = 60_000;
const LOCK_STALE_MS = 120_000;

export class PackageStore {
  constructor(readonly dir: string) {}

  /**
   * Runs `change` holding the folder's lock (`index.lock`, made exclusively), so processes that
   * share the folder change the index one at a time; a lock older than LOCK_STALE_MS was left by a
   * process that died and is taken over.
   */
  async exclusively<T>(change: () => Promise<T>): Promise<T> {
    const lock = join(this.dir, 'index.lock');
    mkdirSync(this.dir, { recursive: true });
    for (const deadline = Date.now() + LOCK_WAIT_MS; ; ) {
      try {
        closeSync(openSync(lock, 'wx'));
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
        if (age > LOCK_STALE_MS) rmSync(lock, { force: true });
        else if (Date.now() > deadline)
          throw new Error(`another process has held ${lock} for ${Math.round(age / 1000)} s`);
        else await sleep(50);
      }
    }
    try {
      return await change();
    } finally {
      rmSync(lock, { force: true });
    }
  }

  private get indexFile(): string {
    return join(this.dir, 'index.json');
  }

  /** Changes whenever the index does: readers reload only then. */
  stamp(): string {
    try {
      const { mtimeMs, size, ino } = statSync(this.indexFile);
      return `${ino}:${mtimeMs}:${size}`;
    } catch {
      return 'none';
    }
  }

  records(): ReadonlyMap<string, PackageRecord> {
    if (!existsSync(this.indexFile)) return new Map();
    const index = JSON.parse(readFileSync(this.indexFile, 'utf8')) as Index;
    return new Map(Object.entries(index.packages));
  }

  record(name: string): PackageRecord | null {
    return this.records().get(name) ?? null;
  }

  /** Replaces one package's record. Callers in one process serialise their writes (services/packages.ts). */
  save(record: PackageRecord): void {
    const packages = { ...Object.fromEntries(this.records()), [record.name]: record };
    this.replace(this.indexFile, JSON.stringify({ packages } satisfies Index, null, 1));
  }

  writeVersion(version: StoredVersion): void {
    const file = this.versionFile(version.hash);
    if (!existsSync(file)) this.replace(file, JSON.stringify(version));
  }

  readVersion(hash: string): StoredVersion {
    return JSON.parse(this.versionText(hash)) as StoredVersion;
  }

  hasVersion(hash: string): boolean {
    return existsSync(this.versionFile(hash));
  }

  versionText(hash: string): string {
    return readFileSync(this.versionFile(hash), 'utf8');
  }

  /** A version as another store holds it (package-sync.ts); it is checked to be the version of that hash. */
  writeVersionText(hash: string, text: string): void {
    const version = JSON.parse(text) as StoredVersion;
    if (version.hash !== hash) throw new Error(`the stored version ${hash} names another hash (${version.hash})`);
    if (!this.hasVersion(hash)) this.replace(this.versionFile(hash), text);
  }

  indexText(): string | null {
    return existsSync(this.indexFile) ? readFileSync(this.indexFile, 'utf8') : null;
  }

  /** The index as another store holds it (package-sync.ts). */
  replaceIndexText(text: string): void {
    JSON.parse(text);
    this.replace(this.indexFile, text);
  }

  writeWorkerReport(report: WorkerReport): void {
    this.replace(this.workerFile(report.worker), JSON.stringify(report));
  }

  workerReports(): WorkerReport[] {
    const dir = join(this.dir, 'workers');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .flatMap((file) => {
        try {
          return [JSON.parse(readFileSync(join(dir, file), 'utf8')) as WorkerReport];
        } catch {
          return []; // removed or replaced while listed
        }
      });
  }

  private workerFile(worker: string): string {
    if (!/^[A-Za-z0-9._:-]{1,100}$/.test(worker)) throw new Error(`not a worker id: ${worker}`);
    return join(this.dir, 'workers', `${worker.replace(/:/g, '_')}.json`);
  }

  private versionFile(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a package version hash: ${hash}`);
    return join(this.dir, 'versions', `${hash}.json`);
  }

  private replace(file: string, text: string): void {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  }
}

let store: PackageStore | undefined;

/** The store of this process's configuration (PACKAGES_DIR, else DATA_DIR/packages). */
export function packageStore(): PackageStore {
  if (!store) {
    const env = loadEnv();
    store = new PackageStore(env.PACKAGES_DIR ?? join(env.DATA_DIR, 'packages'));
  }
  return store;
}
