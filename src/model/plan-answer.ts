/**
 * POST /deploy/plan's answer as its clients read it (the dashboard, deployctl): the API's `Plan`
 * schema (src/api/schemas/plan.ts) is checked against it at compile time, so the clients follow
 * the contract.
 */
export type Action = 'create' | 'update' | 'no-op' | 'delete';

/** One difference from the last apply; before or after absent when that side has none. */
export interface ConfigChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface PlanNode {
  readonly node_id: string;
  readonly resource_id: string;
  readonly type: string;
  readonly region: string | null;
  readonly action: Action;
  readonly live: boolean;
  readonly diff: readonly { readonly property: string; readonly desired: unknown; readonly actual: unknown }[];
  readonly warnings: readonly string[];
  readonly live_error: { readonly type: string; readonly message: string } | null;
  /** How the node differs from the last apply (`compared_with`). */
  readonly changes: readonly ConfigChange[];
  readonly group: number;
  readonly pauses_before: boolean;
  readonly irreversible: string | null;
}

export interface Plan {
  readonly deployment_id: string;
  readonly version: string;
  readonly graph_id: string;
  readonly mode: 'FULL' | 'STEP' | 'DRY_RUN';
  readonly live: boolean;
  readonly nodes: readonly PlanNode[];
  readonly parallel_groups: readonly (readonly string[])[];
  readonly irreversible: readonly { readonly node_id: string; readonly resource_id: string; readonly reason: string }[];
  readonly warnings: readonly string[];
  /** settings.max_parallel, and settings.limits each with the number of nodes it bounds. */
  readonly concurrency: {
    readonly max_parallel: number;
    readonly limits: readonly { readonly key: string; readonly limit: number; readonly nodes: number }[];
  };
  readonly estimated_time: number;
  /** With validate_only false: the saved plan, applied by its graph_id. */
  readonly saved_plan: { readonly graph_id: string; readonly expires_at: string } | null;
  /** The last apply the actions and changes are compared with; null when never applied. */
  readonly compared_with: {
    readonly run_id: string;
    readonly version: string;
    readonly applied_at: string | null;
  } | null;
  /** Applied nodes the config no longer has: an apply leaves them in place. */
  readonly removed: readonly {
    readonly node_id: string;
    readonly resource_id: string;
    readonly type: string;
    readonly region: string | null;
  }[];
}
