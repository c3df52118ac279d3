/**
 * Which runs use a step package now: the open deployment runs (any tenant's: a package's types
 * serve every tenant) whose graph has a node of one of its versions. An undeploy refuses while
 * there are any (seed 002's CONFLICT). Each run's graph is read from its first history event, so
 * no worker is asked.
 */
import { DEPLOYMENT_WORKFLOW } from '../../workflows/messages';
import { deploymentIdKey } from '../../workflows/search-attributes';
import type { ApiContext } from '../context';
import { runStatusOf, tenantOf } from './run-lookup';
import { startInput } from './start-input';
import { listAll } from './visibility';

/** More open runs than this are not looked at (the answer says so). */
const RUNS_CAP = 2_000;
/** Inputs read at once. */
const READS_AT_ONCE = 16;

export interface PackageUse {
  readonly deployment_id: string;
  readonly tenant: string | null;
  /** The run's phase (`running`, `paused`, …). */
  readonly status: string;
}

export type RunsUsingPackage = (name: string) => Promise<readonly PackageUse[]>;

export const runsUsingPackage =
  (ctx: ApiContext): RunsUsingPackage =>
  async (name) => {
    const open = await listAll(
      ctx,
      `WorkflowType = "${DEPLOYMENT_WORKFLOW}" AND ExecutionStatus = "Running"`,
      RUNS_CAP,
    );
    const uses: PackageUse[] = [];
    for (let i = 0; i < open.length; i += READS_AT_ONCE)
      await Promise.all(
        open.slice(i, i + READS_AT_ONCE).map(async (info) => {
          const { graph } = await startInput(ctx, info);
          if (graph.nodes.some((node) => node.package?.name === name))
            uses.push({
              deployment_id: info.typedSearchAttributes.get(deploymentIdKey) ?? graph.deployment_id,
              tenant: tenantOf(info),
              status: runStatusOf(info),
            });
        }),
      );
    return uses;
  };
