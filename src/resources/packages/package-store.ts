/**
 * Where deployed step packages live (docs/how-to/step-packages.md): a folder every API and worker
 * process of one machine reads (PACKAGES_DIR, default DATA_DIR/packages). `index.json` holds each
 * package's record (owner, status, versions, deploy logs); `versions/<hash>.json` holds a version's
 * compiled modules, written once and never changed, so a worker loads a version by its hash.
 * Writes replace a file by rename, so a reader sees the old file or the new one, never a torn one.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

interface Index {
  readonly packages: Readonly<Record<string, PackageRecord>>;
}

/** The content hash of a package's sources: path and text of every file, in path order. */
export function sourceHash(files: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const path of Object.keys(files).sort()) hash.update(`${path}\0${files[path] ?? ''}\0`);
  return hash.digest('hex');
}

export class PackageStore {
  constructor(readonly dir: string) {}

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
    return JSON.parse(readFileSync(this.versionFile(hash), 'utf8')) as StoredVersion;
  }

  private versionFile(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a package version hash: ${hash}`);
    return join(this.dir, 'versions', `${hash}.json`);
  }

  private replace(file: string, text: string): void {
    mkdirSync(join(this.dir, 'versions'), { recursive: true });
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
