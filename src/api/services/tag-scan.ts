/**
 * Destroy by tag scan (no run history needed): asks every registered type that can be found by a
 * scan (`findTagged`) for its resources tagged `mgraph:deploy-id = <deployment>`, regional types
 * once per requested region and global ones (IAM) once, adds the untaggable GitHub resources its
 * last apply recorded, if its record still tells of one (recorded-scan.ts), and returns a destroy
 * run's input whose graph is made of them (`scanGraph`). The scan runs in the API process with the
 * worker's kind of clients and the request's sealed credentials (opened for the caller's tenant),
 * as live plans do; the deletes run in the workflow, through each type's own `destroy`.
 */
import { buildOperationContext, type OperationDeps } from '../../activities/operation-context';
import { scanGraph, scanProblems } from '../../resources/scan-graph';
import { DEPLOY_ID_TAG } from '../../resources/aws/tags';
import { registry } from '../../resources/registry';
import type { FoundResource } from '../../resources/resource-type';
import { resolveSettings } from '../../model/config-schema';
import { scopedId } from '../../model/scoped-id';
import type { DeploymentInput, SealedCredentials } from '../../model/run-types';
import { requireOwnAwsCredentials } from '../auth/aws-identity';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { ApiError, NotFoundError, ValidationError } from '../errors/api-errors';
import { recordedFinds, withRecordedGitHub } from './recorded-scan';
import { lastApply, type StoredApply } from './run-input';

export interface ScanRequest {
  readonly deploymentId: string;
  readonly regions: readonly string[];
  readonly credentials: SealedCredentials | null;
}

/** Everything tagged with the deployment id in `regions` (and IAM) or recorded by `applied`, or the problems that stop a destroy. */
async function scanDeployment(
  deps: OperationDeps,
  tenant: string | null,
  request: ScanRequest,
  applied: StoredApply | null,
): Promise<FoundResource[]> {
  const ctx = buildOperationContext(deps, {
    credentials: request.credentials,
    signal: new AbortController().signal,
    attempt: 1,
    tenant: () => Promise.resolve(tenant),
    heartbeat: () => undefined,
    log: () => undefined,
  });
  // Resources are tagged with their tenant's deployment (`<tenant>.<deployment_id>`): a scan finds the caller's only.
  const tagged = scopedId(request.deploymentId, tenant);
  const scans = [...registry.values()].flatMap((type) => {
    const find = type.findTagged?.bind(type);
    if (!find) return [];
    return type.regional ? request.regions.map((region) => find(ctx, tagged, region)) : [find(ctx, tagged, null)];
  });
  scans.push(recordedFinds(ctx, tagged, applied));
  let found: FoundResource[];
  try {
    found = [...new Map((await Promise.all(scans)).flat().map((r) => [r.arn, r])).values()];
  } catch (err) {
    throw new ApiError(502, 'scan_failed', `the tag scan of ${request.deploymentId} failed: ${(err as Error).message}`);
  }
  const problems = scanProblems(found);
  if (problems.length > 0) throw new ValidationError(problems.map((message) => ({ path: 'scan', message })));
  return found;
}

/** A destroy run of what the scan found; 404 when it found nothing. */
export async function scanDestroyInput(
  ctx: ApiContext,
  deps: OperationDeps,
  principal: Principal,
  request: ScanRequest,
): Promise<DeploymentInput> {
  requireOwnAwsCredentials(ctx.serviceAwsTenants, { tenant: principal.tenant, ...request }, 'the tag scan calls AWS');
  const applied = await lastApply(ctx, principal, request.deploymentId);
  const credentials = withRecordedGitHub(request.credentials, applied);
  const found = await scanDeployment(deps, principal.tenant, { ...request, credentials }, applied);
  if (found.length === 0)
    throw new NotFoundError(
      `resources tagged ${DEPLOY_ID_TAG}=${scopedId(request.deploymentId, principal.tenant)} in ${request.regions.join(', ')} and IAM (or GitHub resources its last apply recorded)`,
    );
  return {
    action: 'destroy',
    graph: scanGraph(request.deploymentId, found),
    settings: resolveSettings(undefined),
    credentials,
    tenant: principal.tenant,
    previous_outputs: {},
  };
}
