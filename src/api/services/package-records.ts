/**
 * What a step package's record answers (its status) and how a change to it is logged or refused
 * (services/packages.ts makes the changes).
 */
import type { z } from 'zod';
import type { PackageLogEntry, PackageRecord, PackageStore } from '../../resources/packages/package-store';
import { builtInTypes } from '../../resources/registry';
import type { Principal } from '../auth/principal';
import { ApiError, ConflictError } from '../errors/api-errors';
import type { packageStatusSchema } from '../schemas/packages';
import type { PackageProblem } from './package-compile';
import type { PackageUse } from './package-use';

/** The log keeps this many entries: every deploy, redeploy, rollback and undeploy until then. */
const LOG_ENTRIES = 500;

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

export const where = (p: PackageProblem): string => (p.file ? `${p.file}${p.line === null ? '' : `:${p.line}`}: ` : '');

export function statusOf(
  name: string,
  record: PackageRecord | null,
): Omit<z.output<typeof packageStatusSchema>, 'workers'> {
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
export function claimedTypes(store: PackageStore, name: string, types: readonly string[]): PackageProblem[] {
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

export const at = (): string => new Date().toISOString();
export const entry = (level: PackageLogEntry['level'], message: string): PackageLogEntry => ({
  at: at(),
  level,
  message,
});
export const withLogs = (record: PackageRecord, ...entries: PackageLogEntry[]): readonly PackageLogEntry[] =>
  [...record.logs, ...entries].slice(-LOG_ENTRIES);

/** 409 in_use: names the caller's deployments and counts other tenants' runs. */
export function inUse(principal: Principal, name: string, uses: readonly PackageUse[]): ConflictError {
  const own = uses.filter((use) => principal.tenant === null || use.tenant === principal.tenant);
  const others = uses.length - own.length;
  const named = own.map((use) => `${use.deployment_id} (${use.status})`);
  if (others) named.push(`${others} run${others === 1 ? '' : 's'} of other tenants`);
  return new ConflictError(
    'in_use',
    `package "${name}" is in use by ${named.join(', ')}: let ${uses.length === 1 ? 'it' : 'them'} finish (or roll back or abort), then undeploy`,
    { deployments: own.map(({ deployment_id, status }) => ({ deployment_id, status })), other_tenant_runs: others },
  );
}
