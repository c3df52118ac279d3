/**
 * A deployment's state (UNDEPLOYED, DEPLOYING, DEPLOYED, DEPLOYMENT_FAILED, UNDEPLOYING), derived
 * from its latest apply or destroy run (dry runs and verifies change nothing, so they do not
 * count). There is no second store: the state is read from Temporal every time.
 */
import { ACTIVE_PHASES } from './run-types';

export const DEPLOYMENT_STATES = ['UNDEPLOYED', 'DEPLOYING', 'DEPLOYED', 'DEPLOYMENT_FAILED', 'UNDEPLOYING'] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

const ACTIVE: ReadonlySet<string> = new Set(ACTIVE_PHASES);

/**
 * `action` and `runStatus` of the latest apply/destroy run (runStatus as the list shows it: the
 * workflow's phase, or how Temporal ended it), or null when the deployment never ran.
 * A destroy that did not complete leaves resources behind: DEPLOYMENT_FAILED, like a failed apply.
 * An apply that `ended` stopped where an `end` edge told it to: DEPLOYED, as far as asked.
 */
export function deploymentStateOf(
  latest: { readonly action: string | null; readonly runStatus: string } | null,
): DeploymentState {
  if (latest === null) return 'UNDEPLOYED';
  const undeploy = latest.action === 'destroy';
  if (ACTIVE.has(latest.runStatus)) return undeploy ? 'UNDEPLOYING' : 'DEPLOYING';
  if (latest.runStatus === 'completed') return undeploy ? 'UNDEPLOYED' : 'DEPLOYED';
  if (latest.runStatus === 'ended' && !undeploy) return 'DEPLOYED';
  return 'DEPLOYMENT_FAILED';
}
