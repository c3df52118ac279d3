/**
 * The spec graph: what to deploy, built from a validated config by `buildSpecGraph`.
 * Pure data (JSON-safe): it travels from the API into the workflow as its input.
 * Field names are snake_case because these records are also what the API returns.
 */

/** `dependency`: wait. `pause`: wait, then wait for a continue. `end`: stop the run after `from`. */
export type EdgeKind = 'dependency' | 'pause' | 'end';

export type ResourceOperation = 'create' | 'update' | 'delete';

export interface SpecEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

/** A `references` entry resolved to the node it points at. */
export interface NodeReference {
  /** As written in the config: `execution-role` or `api-lambda[us-east-1].arn`. */
  readonly raw: string;
  readonly node_id: string;
  /** Resource and region of that node, to name it in messages. */
  readonly resource_id: string;
  readonly region: string | null;
  /** Output key to read; null means the whole resource, i.e. its identity (`arn`, else `id`, else `name`). */
  readonly output: string | null;
}

export interface SpecNode {
  /** Short stable hash of (deployment_id, resource_id, region). */
  readonly node_id: string;
  readonly resource_id: string;
  readonly type: string;
  readonly operation: ResourceOperation;
  /** Target region of a regional (AWS) resource; null for region-less ones (GitHub, Slack, core). */
  readonly region: string | null;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly references: Readonly<Record<string, NodeReference>>;
  readonly tags: Readonly<Record<string, string>>;
  /** Set (true) on a node the config marks as its point of no return; absent otherwise (graph ids unchanged). */
  readonly point_of_no_return?: true;
  /**
   * A step package's type: the version current when the graph was built, which every operation of
   * the run uses whatever is deployed later. Absent for built-in types (graph ids unchanged).
   */
  readonly package?: PackageVersionRef;
}

/** A version of a step package, by name and content hash. */
export interface PackageVersionRef {
  readonly name: string;
  readonly version: number;
  readonly hash: string;
}

export interface SpecGraph {
  /** Content hash of the normalized spec: same config → same graph id. */
  readonly graph_id: string;
  readonly deployment_id: string;
  readonly version: string;
  readonly nodes: readonly SpecNode[];
  readonly edges: readonly SpecEdge[];
}

/** Ordering facts for plans and for the run-time walk. */
export interface GraphOrder {
  /** Node ids in a topological order. */
  readonly order: readonly string[];
  /** Nodes grouped by level: every node of group k depends only on nodes of groups < k. */
  readonly parallel_groups: readonly (readonly string[])[];
  /** Longest remaining path to a sink (in nodes, counting the node itself); higher runs first. */
  readonly priority: Readonly<Record<string, number>>;
}
