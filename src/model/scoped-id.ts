/**
 * The per-deployment part of workflow ids: `<tenant>.<deployment_id>`, so that each tenant has its
 * own deployment ids (one tenant's run or record can never take another's id); the deployment id
 * alone for deployments without a tenant (no API_KEYS). Neither a tenant nor a deployment id can
 * hold a `.`, so the two forms never collide.
 */
export const scopedId = (deploymentId: string, tenant: string | null): string =>
  tenant === null ? deploymentId : `${tenant}.${deploymentId}`;

/** The deployment id and tenant a scoped id was made of (`scopedId` reversed: the first `.` parts them). */
export function unscopedId(scoped: string): { readonly deploymentId: string; readonly tenant: string | null } {
  const dot = scoped.indexOf('.');
  return dot < 0
    ? { deploymentId: scoped, tenant: null }
    : { deploymentId: scoped.slice(dot + 1), tenant: scoped.slice(0, dot) };
}
