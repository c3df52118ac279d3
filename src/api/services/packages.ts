/**
 * Step packages' lifecycle (seed 002): deploy checks and compiles the sources on the offload pool
 * (package-compile.ts), stores the result by content hash as a new version and makes it the one
 * new runs use; status, list and logs read the store. A package belongs to the tenant that first
 * deployed it. Deploys in this process run one at a time (the store's index is read, changed and
 * written whole).
 */
import type { z } from 'zod';
import { messageOf } from '../../resources/packages/package-loader';
import { packagedTypes } from '../../resources/packages/packaged-types';
import {
  packageStore,
  sourceHash,
  type PackageLogEntry,
  type PackageRecord,
  type PackageStore,
} from '../../resources/packages/package-store';
import { builtInTypes } from '../../resources/registry';
import type { Principal } from '../auth/principal';
import { ApiError, ConflictError, NotFoundError } from '../errors/api-errors';
import { offloadPool } from '../offload/pool';
import type {
  deployAnswerSchema,
  packageListSchema,
  packageLogsSchema,
  packageStatusSchema,
} from '../schemas/packages';
import type { CompileAnswer, PackageProblem } from './package-compile';

type PackageStatusBody = z.output<typeof packageStatusSchema>;

export type Compile = (name: string, files: Readonly<Record<string, string>>) => Promise<CompileAnswer>;

/** 400: the sources did not become a version (DEPLOYMENT_FAILED), with every problem found. */
export class PackageInvalidError extends ApiError {
  override readonly name = 'PackageInvalidError';
  constructor(name: string, problems: readonly PackageProblem[]) {
    super(
      400,
      'invalid_package',
      `package "${name}" did not deploy (DEPLOYMENT_FAILED): ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      { deploymentStatus: 'DEPLOYMENT_FAILED', problems },
    );
  }
}

const where = (p: PackageProblem): string => (p.file ? `${p.file}${p.line === null ? '' : `:${p.line}`}: ` : '');

function statusOf(name: string, record: PackageRecord | null): PackageStatusBody {
  const current = record?.versions.find((v) => v.hash === record.current) ?? null;
  return {
    name,
    exists: record !== null,
    isDeployed: current !== null,
    deploymentStatus: record?.status ?? 'UNDEPLOYED',
    version: current?.version ?? null,
    hash: current?.hash ?? null,
    types: [...(current?.types ?? [])],
    versions: (record?.versions ?? []).map((v) => ({ ...v, types: [...v.types] })),
  };
}

/** Types another package (or the service itself) defines already, as problems. */
function claimedTypes(store: PackageStore, name: string, types: readonly string[]): PackageProblem[] {
  const owners = new Map<string, string>();
  for (const record of store.records().values())
    if (record.name !== name)
      for (const type of record.versions.find((v) => v.hash === record.current)?.types ?? [])
        owners.set(type, `package "${record.name}"`);
  return types.flatMap((type) => {
    const owner = builtInTypes.has(type) ? 'this service' : owners.get(type);
    return owner ? [{ file: 'index.ts', line: null, message: `type "${type}" is defined by ${owner} already` }] : [];
  });
}

export class Packages {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: PackageStore = packageStore(),
    private readonly compile: Compile = (name, files) => offloadPool().run('compile', { name, files }),
  ) {}

  /** The record of a package this principal's tenant owns; another tenant's is not revealed. */
  private own(principal: Principal, name: string): PackageRecord | null {
    const record = this.store.record(name);
    return record && record.tenant === principal.tenant ? record : null;
  }

  deploy(
    principal: Principal,
    name: string,
    files: Readonly<Record<string, string>>,
  ): Promise<z.output<typeof deployAnswerSchema>> {
    const next = this.queue.then(() => this.deployNow(principal, name, files));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async deployNow(
    principal: Principal,
    name: string,
    files: Readonly<Record<string, string>>,
  ): Promise<z.output<typeof deployAnswerSchema>> {
    const existing = this.store.record(name);
    if (existing && existing.tenant !== principal.tenant)
      throw new ConflictError('already_exists', `package "${name}" belongs to another tenant: choose another name`);
    const hash = sourceHash(files);
    if (existing?.current === hash && existing.status === 'DEPLOYED')
      return { ...statusOf(name, existing), unchanged: true };

    const at = (): string => new Date().toISOString();
    const logs: PackageLogEntry[] = [
      { at: at(), level: 'info', message: `deploying ${Object.keys(files).length} file(s), ${hash}` },
    ];
    const base: PackageRecord = existing ?? {
      name,
      tenant: principal.tenant,
      status: 'UNDEPLOYED',
      current: null,
      versions: [],
      logs: [],
    };
    this.store.save({ ...base, status: 'DEPLOYING', logs });

    const answer = await this.compile(name, files).catch(
      (err: unknown): CompileAnswer => ({
        ok: false,
        problems: [{ file: '', line: null, message: `the compiler failed: ${messageOf(err)}` }],
      }),
    );
    const problems = answer.ok ? claimedTypes(this.store, name, answer.types) : answer.problems;
    if (!answer.ok || problems.length) {
      logs.push(...problems.map((p) => ({ at: at(), level: 'error' as const, message: `${where(p)}${p.message}` })));
      this.store.save({ ...base, status: 'DEPLOYMENT_FAILED', logs });
      throw new PackageInvalidError(name, problems);
    }

    this.store.writeVersion({ name, hash, modules: answer.modules });
    const known = base.versions.find((v) => v.hash === hash);
    const version = known ?? {
      version: Math.max(0, ...base.versions.map((v) => v.version)) + 1,
      hash,
      deployed_at: at(),
      types: answer.types,
    };
    logs.push({ at: at(), level: 'info', message: `deployed version ${version.version}: ${answer.types.join(', ')}` });
    const record: PackageRecord = {
      ...base,
      status: 'DEPLOYED',
      current: hash,
      versions: known ? base.versions : [...base.versions, version],
      logs,
    };
    this.store.save(record);
    packagedTypes(true);
    return { ...statusOf(name, record), unchanged: false };
  }

  status(principal: Principal, name: string): PackageStatusBody {
    return statusOf(name, this.own(principal, name));
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
