/**
 * The operation contract every resource type implements (DESIGN.md §5), one type per file,
 * all listed in `registry.ts`. `properties` is the type's own zod schema: the validator checks a
 * config against it, and the OpenAPI/JSON Schema documents are generated from it.
 *
 * `apply` runs at least once: it must be idempotent (create-or-adopt by tag or name, never a
 * duplicate). `compensate` undoes *this run's* apply from the `undo` data that apply returned;
 * `destroy` deletes the resource whatever run created it.
 */
import type { z } from 'zod';
import type { SealedField } from '../credentials/sealed-envelope';
import type { DriftItem, SealedCredentials } from '../model/run-types';
import type { SpecNode } from '../model/graph-types';
import type { Clients } from '../providers/clients';

export type Provider = 'core' | 'aws' | 'github' | 'slack' | 'package';

/** What a node's operation gets: the node, its parsed properties and its resolved references. */
export interface NodeTarget<P> {
  /**
   * The deployment as its resources are tagged (`mgraph:deploy-id`, layer markers): its tenant's
   * (`<tenant>.<deployment_id>`, src/model/scoped-id.ts), the deployment id alone without a tenant.
   */
  readonly deployment_id: string;
  readonly graph_id: string;
  readonly node: SpecNode;
  readonly properties: P;
  /** Reference name → resolved value (an output of a completed node). */
  readonly refs: Readonly<Record<string, unknown>>;
}

export interface OperationContext {
  readonly credentials: SealedCredentials | null;
  /**
   * Opens a sealed value in memory, at the moment of use, if it was sealed for the run's tenant and
   * `use.purpose`. Never log or return the result. `use.field` names it in an error (e.g.
   * `credentials.github.encrypted_pat`); the value never is.
   */
  open(sealed: string, use: SealedField): Promise<string>;
  /** Provider clients, injected once in the worker. */
  readonly clients: Clients;
  /**
   * The run's tenant (the API key's that started it), null for a run without one (no API_KEYS);
   * looked up on first use. Absent where the caller does not know it: taken as no tenant.
   */
  readonly tenant?: (() => Promise<string | null>) | undefined;
  /** Keeps a long operation alive; a worker that dies stops heartbeating and the node is retried. */
  heartbeat(details?: unknown): void;
  /** Aborted when the activity is cancelled. */
  readonly signal: AbortSignal;
  /** 1 on the first try. */
  readonly attempt: number;
  /** The details of the last heartbeat an earlier attempt of this activity recorded (Temporal keeps them across retries), or undefined. */
  readonly lastHeartbeat: unknown;
  log(message: string): void;
  /**
   * Notes the AWS account the operation acts in (STS names it; asked once per access key per
   * process): the node's status shows it. Absent where nobody reads it (live plans).
   */
  noteAwsAccount?(account: string): void;
  /**
   * In an apply: the undo this node's `prepare` read before the apply's first attempt, which the
   * workflow keeps in its history (null: it found nothing to record). Every attempt gets it, an
   * operator's retry included, so the undo an apply returns describes the resource before this
   * run touched it however often the apply crashed after changing it. Absent for types without `prepare`.
   */
  readonly prepared?: Record<string, unknown> | null | undefined;
}

export type PlanAction = 'create' | 'update' | 'no-op' | 'delete';

export interface PlanResult {
  readonly action: PlanAction;
  readonly diff: readonly DriftItem[];
  readonly warnings: readonly string[];
  /** A resource of the wanted name exists but is not this node's (the plan is a create whose apply will refuse it). */
  readonly taken?: boolean;
}

export interface ApplyResult {
  readonly outputs: Record<string, unknown>;
  /** Whatever compensate needs to reverse this apply (what was created, the previous values). */
  readonly undo: Record<string, unknown> | null;
  /**
   * Set when the effect is under way but not done (checks running, a release not made yet): the
   * run waits on a durable timer, holding no worker, then calls the type's `poll` with `state`,
   * until an answer without `pending` (its outputs are the node's) or the wait's timeout.
   */
  readonly pending?: PendingWait;
}

/** What an unfinished apply waits for, and how often to look again. */
export interface PendingWait {
  /** What `poll` needs to look again (ids, SHAs); JSON, kept in the run's history. */
  readonly state: Record<string, unknown>;
  /** In words, for the run's log and the node's `waiting_on` ("checks on 1a2b3c4: 2 of 5 pending"). */
  readonly waiting_on: string;
  /** The first look again comes after about this long; each next one after twice as long, up to max_interval_ms (±20%). */
  readonly interval_ms: number;
  readonly max_interval_ms: number;
  /** The node fails (error_type `timeout`) when still pending this long after the apply first answered pending. */
  readonly timeout_ms: number;
  /** false: look again exactly on time (a wait that must end when it says); default: ±20%, so many nodes do not poll at once. */
  readonly jitter?: boolean;
  /**
   * Set when an operator's continue naming the node may end the wait (an approval given by hand):
   * what that continue means, in words. `poll` is then called at once with `{ ...state, $override: true }`.
   * Unset: a continue of the waiting node is refused.
   */
  readonly overridable?: string;
}

export interface VerifyResult {
  readonly drift: readonly DriftItem[];
}

export interface CompensateResult {
  /** `compensated`, or `irreversible: <why>` when the effect cannot be undone. */
  readonly outcome: string;
}

/** A resource a tag scan found (destroy without run history), described so its type's `destroy` can address it. */
export interface FoundResource {
  readonly type: string;
  /** Its ARN (or another id unique in the account): deduplicates what several scans found. */
  readonly arn: string;
  /** The region it was found in; null for global ones (IAM). */
  readonly region: string | null;
  /** All its tags, ours (`mgraph:node-id`, …) included. */
  readonly tags: Readonly<Record<string, string>>;
  /** Properties its type's schema accepts, enough to address it for a delete. */
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface ResourceType<P = unknown> {
  readonly type: string;
  readonly provider: Provider;
  readonly description: string;
  /** Regional types become one node per target region. */
  readonly regional: boolean;
  readonly properties: z.ZodType<P>;
  /** Name that must be unique within a deployment (duplicate physical names are rejected). */
  physicalName?(properties: P, region: string | null): string | null;
  /**
   * Its own operations read `node.operation` and handle `delete`; otherwise the registry gives it
   * the generic delete behaviour (delete-operation.ts).
   */
  readonly handlesDelete?: boolean;
  /** Why an apply of this resource cannot be undone, or null. Shown in plans. */
  irreversible?(properties: P): string | null;
  /** How long one attempt of its apply may take (a wait it makes inside the attempt): the node's timeout unless the config sets one. */
  attemptTimeoutMs?(properties: P): number;
  plan(ctx: OperationContext, target: NodeTarget<P>): Promise<PlanResult>;
  /**
   * Reads, before an apply changes anything, what it would overwrite, and answers the undo that
   * restores it (null: nothing to record, e.g. the resource is absent): the workflow records it in
   * history before the apply and hands it to every attempt as `ctx.prepared`. Changes nothing.
   * For types that update in place, so a crash or a retry never loses the pre-run state.
   */
  prepare?(ctx: OperationContext, target: NodeTarget<P>): Promise<Record<string, unknown> | null>;
  apply(ctx: OperationContext, target: NodeTarget<P>): Promise<ApplyResult>;
  /** Looks again at an apply that answered `pending` (required of a type whose apply may). */
  poll?(ctx: OperationContext, target: NodeTarget<P>, state: Record<string, unknown>): Promise<ApplyResult>;
  verify(ctx: OperationContext, target: NodeTarget<P>, outputs: Record<string, unknown> | null): Promise<VerifyResult>;
  compensate(
    ctx: OperationContext,
    target: NodeTarget<P>,
    undo: Record<string, unknown> | null,
  ): Promise<CompensateResult>;
  destroy(ctx: OperationContext, target: NodeTarget<P>, outputs: Record<string, unknown> | null): Promise<void>;
  /**
   * Destroy by tag scan: this type's resources tagged `mgraph:deploy-id = deploymentId`. A regional
   * type is asked once per scanned region, a global one once with `region` null. Types without it
   * are not found by a scan (say so in their file's header).
   */
  findTagged?(ctx: OperationContext, deploymentId: string, region: string | null): Promise<FoundResource[]>;
  /**
   * Destroy by scan, for a type whose resources carry no tags (GitHub): what a node of the
   * deployment's last apply addresses, by the names that apply recorded (`outputs`: its outputs
   * there), when it is still there and the deployment's own. Answers an id unique among the
   * type's resources (e.g. `owner/repo/SECRET`), or null: absent, or not this deployment's to delete.
   */
  findRecorded?(
    ctx: OperationContext,
    target: NodeTarget<P>,
    outputs: Readonly<Record<string, unknown>> | null,
  ): Promise<string | null>;
}
