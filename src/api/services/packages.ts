/**
 * Step packages' lifecycle (seed 002): deploy checks and compiles the sources on the offload pool
 * (package-compile.ts), stores the result by content hash as a new version and makes it the one
 * new runs use; redeploy is a deploy of a package that exists; rollback makes an earlier version
 * current again; undeploy stops offering its types (refused while a run uses it), keeping every
 * version for the runs that pinned one and for a later rollback. Status, list and logs read the
 * store. A package belongs to the tenant that first deployed it. Changes in this process run one
 * at a time (the store's index is read, changed and written whole).
 */
import type { z } from 'zod';
import { messageOf } from '../../resources/packages/package-loader';
import { packagedTypes } from '../../resources/packages/packaged-types';
import {
  sourceHash,
  type PackageLogEntry,
  type PackageRecord,
  type PackageStore,
} from '../../resources/packages/package-store';
import { packageSync, type PackageSync } from '../../resources/packages/package-sync';
import type { Principal } from '../auth/principal';
import { ConflictError, NotFoundError, ValidationError } from '../errors/api-errors';
import { offloadPool } from '../offload/pool';
import type {
  deployAnswerSchema,
  packageListSchema,
  packageLogsSchema,
  packageStatusSchema,
} from '../schemas/packages';
import { changeOnLatestIndex, storeStep } from './package-change';
import type { CompileAnswer } from './package-compile';
import { at, claimedTypes, entry, inUse, PackageInvalidError, statusOf, where, withLogs } from './package-records';
import type { PackageUse, RunsUsingPackage } from './package-use';

type PackageStatusBody = z.output<typeof packageStatusSchema>;
type ChangeAnswer = z.output<typeof deployAnswerSchema>;

/** A worker that has not reported for this long is not listed in a package's status. */
const WORKER_SEEN_MS = 5 * 60_000;

export type Compile = (name: string, files: Readonly<Record<string, string>>) => Promise<CompileAnswer>;

export class Packages {
  private queue: Promise<unknown> = Promise.resolve();

  private readonly store: PackageStore;

  constructor(
    private readonly usedBy: RunsUsingPackage,
    private readonly sync: PackageSync = packageSync(),
    private readonly compile: Compile = (name, files) => offloadPool().run('compile', { name, files }),
  ) {
    this.store = sync.store;
  }

  /** Runs changes one at a time, each on the latest shared index (package-change.ts). */
  private serially<T>(change: () => T | Promise<T>): Promise<T> {
    const next = this.queue.then(() => changeOnLatestIndex(this.sync, change));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private ownOrNotFound(principal: Principal, name: string): PackageRecord {
    const record = this.own(principal, name);
    if (!record) throw new NotFoundError(`package "${name}"`);
    return record;
  }

  /** The record of a package this principal's tenant owns; another tenant's is not revealed. */
  private own(principal: Principal, name: string): PackageRecord | null {
    const record = this.store.record(name);
    return record && record.tenant === principal.tenant ? record : null;
  }

  deploy(principal: Principal, name: string, files: Readonly<Record<string, string>>): Promise<ChangeAnswer> {
    return this.serially(() => this.deployNow(principal, name, files));
  }

  /** Seed 002's redeploy: new sources for a package that exists (404 otherwise) become its next version. */
  redeploy(principal: Principal, name: string, files: Readonly<Record<string, string>>): Promise<ChangeAnswer> {
    return this.serially(() => {
      this.ownOrNotFound(principal, name); // on the latest index: another API process may have made it
      return this.deployNow(principal, name, files);
    });
  }

  /** Makes an earlier version (by number) the one new runs use; also brings an undeployed package back. */
  rollback(principal: Principal, name: string, version: number): Promise<ChangeAnswer> {
    return this.serially((): ChangeAnswer => {
      const record = this.ownOrNotFound(principal, name);
      const target = record.versions.find((v) => v.version === version);
      if (!target)
        throw new ValidationError([
          {
            path: 'body.version',
            message: `package "${name}" has no version ${version} (its versions: ${record.versions.map((v) => v.version).join(', ') || 'none'})`,
          },
        ]);
      if (record.current === target.hash && record.status === 'DEPLOYED')
        return { ...statusOf(name, record), unchanged: true };
      const [claimed] = claimedTypes(this.store, name, target.types);
      if (claimed)
        throw new ConflictError('already_exists', `cannot roll back to version ${version}: ${claimed.message}`);
      const next: PackageRecord = {
        ...record,
        status: 'DEPLOYED',
        current: target.hash,
        logs: withLogs(record, entry('info', `rolled back to version ${version}: ${target.types.join(', ')}`)),
      };
      this.store.save(next);
      packagedTypes(true);
      return { ...statusOf(name, next), unchanged: false };
    });
  }

  /**
   * Stops offering the package's types to new runs (UNDEPLOYING → UNDEPLOYED); refused with 409
   * while a running or paused deployment uses any version of it. Versions stay in the store.
   */
  undeploy(principal: Principal, name: string): Promise<ChangeAnswer> {
    return this.serially(async () => {
      const record = this.ownOrNotFound(principal, name);
      if (record.current === null) return { ...statusOf(name, record), unchanged: true };
      const current = record.versions.find((v) => v.hash === record.current);
      const started = entry('info', `undeploying version ${current?.version ?? '?'}`);
      this.store.save({ ...record, status: 'UNDEPLOYING', logs: withLogs(record, started) });
      let uses: readonly PackageUse[];
      try {
        uses = await this.usedBy(name);
      } catch (err) {
        this.store.save({
          ...record,
          logs: withLogs(record, started, entry('error', `undeploy failed: ${messageOf(err)}`)),
        });
        throw err;
      }
      if (uses.length) {
        const refused = inUse(principal, name, uses);
        this.store.save({ ...record, logs: withLogs(record, started, entry('error', refused.message)) });
        throw refused;
      }
      const next: PackageRecord = {
        ...record,
        status: 'UNDEPLOYED',
        current: null,
        logs: withLogs(
          record,
          started,
          entry('info', 'undeployed: new runs cannot use its types; its versions are kept'),
        ),
      };
      this.store.save(next);
      packagedTypes(true);
      return { ...statusOf(name, next), unchanged: false };
    });
  }

  private async deployNow(
    principal: Principal,
    name: string,
    files: Readonly<Record<string, string>>,
  ): Promise<ChangeAnswer> {
    const existing = this.store.record(name);
    if (existing && existing.tenant !== principal.tenant)
      throw new ConflictError('already_exists', `package "${name}" belongs to another tenant: choose another name`);
    const hash = sourceHash(files);
    if (existing?.current === hash && existing.status === 'DEPLOYED')
      return { ...statusOf(name, existing), unchanged: true };

    const logs: PackageLogEntry[] = [entry('info', `deploying ${Object.keys(files).length} file(s), ${hash}`)];
    const base: PackageRecord = existing ?? {
      name,
      tenant: principal.tenant,
      status: 'UNDEPLOYED',
      current: null,
      versions: [],
      logs: [],
    };
    this.store.save({ ...base, status: 'DEPLOYING', logs: withLogs(base, ...logs) });

    const answer = await this.compile(name, files).catch(
      (err: unknown): CompileAnswer => ({
        ok: false,
        problems: [{ file: '', line: null, message: `the compiler failed: ${messageOf(err)}` }],
      }),
    );
    const problems = answer.ok ? claimedTypes(this.store, name, answer.types) : answer.problems;
    if (!answer.ok || problems.length) {
      logs.push(...problems.map((p) => entry('error', `${where(p)}${p.message}`)));
      this.store.save({ ...base, status: 'DEPLOYMENT_FAILED', logs: withLogs(base, ...logs) });
      throw new PackageInvalidError(name, problems);
    }

    this.store.writeVersion({ name, hash, modules: answer.modules });
    await storeStep(this.sync, () => this.sync.publishVersion(hash));
    const known = base.versions.find((v) => v.hash === hash);
    const version = known ?? {
      version: Math.max(0, ...base.versions.map((v) => v.version)) + 1,
      hash,
      deployed_at: at(),
      types: answer.types,
    };
    logs.push(entry('info', `deployed version ${version.version}: ${answer.types.join(', ')}`));
    const record: PackageRecord = {
      ...base,
      status: 'DEPLOYED',
      current: hash,
      versions: known ? base.versions : [...base.versions, version],
      logs: withLogs(base, ...logs),
    };
    this.store.save(record);
    packagedTypes(true);
    return { ...statusOf(name, record), unchanged: false };
  }

  /** Its status, with the workers that have loaded a version of it (as they last reported). */
  async status(principal: Principal, name: string): Promise<PackageStatusBody> {
    const record = this.own(principal, name);
    const since = Date.now() - WORKER_SEEN_MS;
    const reports = record ? await this.sync.workerReports().catch(() => []) : [];
    const workers = reports
      .filter((report) => Date.parse(report.seen_at) >= since)
      .flatMap((report) =>
        report.loaded
          .filter((loaded) => loaded.name === name)
          .map(({ version, hash, loaded_at }) => ({
            worker: report.worker,
            version,
            hash,
            loaded_at,
            seen_at: report.seen_at,
          })),
      );
    return { ...statusOf(name, record), workers };
  }

  list(principal: Principal): z.output<typeof packageListSchema> {
    const own = [...this.store.records().values()].filter((r) => r.tenant === principal.tenant);
    return {
      workflows: own.map((r) => r.name),
      count: own.length,
      packages: own.map((r) => {
        const { versions: _versions, ...summary } = statusOf(r.name, r);
        return summary;
      }),
    };
  }

  logs(principal: Principal, name: string): z.output<typeof packageLogsSchema> {
    const record = this.own(principal, name);
    if (!record) throw new NotFoundError(`package "${name}"`);
    return { name, logs: [...record.logs] };
  }
}
