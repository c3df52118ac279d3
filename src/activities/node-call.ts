/** What the workflow sends to a node activity, and what comes back. JSON-safe. */
import type { SpecNode } from '../model/graph-types';
import type { SealedCredentials } from '../model/run-types';
import type { PendingWait } from '../resources/resource-type';

export interface NodeCall {
  /** The deployment as its resources are tagged: `<tenant>.<deployment_id>` for a tenant's run (scoped-id.ts). */
  readonly deployment_id: string;
  readonly graph_id: string;
  /** Identifies the run across continue-as-new (its first run id); idempotency keys derive from it. */
  readonly run_key: string;
  /** When the run started (ISO; the same across continue-as-new): names made from a date (a branch deploy-YYYYMMDD) stay stable on retry. */
  readonly run_started_at?: string | undefined;
  readonly node: SpecNode;
  /** Resolved references (and `$`-prefixed engine values such as `$run_key`). */
  readonly refs: Record<string, unknown>;
  readonly credentials: SealedCredentials | null;
  /** Attempts this node already used in this run (before this activity), so `attempt` counts across operator retries. */
  readonly attempts_before: number;
  /** Outputs of the node's last apply (verify/destroy), or null. */
  readonly outputs: Record<string, unknown> | null;
  /** The undo data its apply returned (compensate), or null. */
  readonly undo: Record<string, unknown> | null;
}

export interface AppliedNode {
  readonly outputs: Record<string, unknown>;
  readonly undo: Record<string, unknown> | null;
  readonly attempt: number;
  /** The AWS account the apply acted in (AWS types only). */
  readonly aws_account?: string | undefined;
  /** The apply is under way, not done: the workflow waits and polls (resource-type.ts PendingWait). */
  readonly pending?: PendingWait | undefined;
}
