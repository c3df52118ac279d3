/**
 * The SDK a step package imports as `mgraph/sdk` (docs/how-to/step-packages.md): what a resource
 * type written outside this repository defines, with the contract the built-in types follow
 * (src/resources/resource-type.ts): an idempotent `apply` that finds its own earlier effect and
 * returns the undo its `compensate` needs, a `plan` that changes nothing, errors classified by
 * `OperationError`. The worker adapts it to its own contract (src/resources/packages/packaged-type.ts).
 */
import { z } from 'zod';
import { OperationError, type ErrorType } from '../providers/operation-error';

export { z, OperationError, type ErrorType };

/** What an operation of a packaged type gets besides its target. */
export interface PackageContext {
  /** A line in the node's log (never a secret). */
  log(message: string): void;
  /** Keeps a long operation alive; a worker that dies stops heartbeating and the node is retried. */
  heartbeat(details?: unknown): void;
  /** Aborted when the run cancels the operation (a timeout, an operator's cancel). */
  readonly signal: AbortSignal;
  /** 1 on the first try of this operation. */
  readonly attempt: number;
}

/** The node an operation acts on. */
export interface PackageTarget<P> {
  /** The deployment, as resources are tagged with it (`<tenant>.<deployment_id>` for a tenant's run). */
  readonly deployment_id: string;
  /** The resource's id in the config. */
  readonly resource_id: string;
  /** A short hash of deployment, resource and region, the same in every run: a name for idempotency. */
  readonly node_id: string;
  /** Its properties, parsed by the type's `properties` schema. */
  readonly properties: P;
  /** Its references, resolved: reference name → an output of a completed node. */
  readonly refs: Readonly<Record<string, unknown>>;
}

export interface PackagePlan {
  readonly action: 'create' | 'update' | 'no-op';
  /** What differs, property by property. */
  readonly diff?: readonly { readonly property: string; readonly desired: unknown; readonly actual: unknown }[];
  readonly warnings?: readonly string[];
}

export interface PackageApply {
  /** What references to this node read (`"node.output"`). */
  readonly outputs: Record<string, unknown>;
  /** What `compensate` needs to reverse this apply (null: nothing to undo). JSON; kept in the run's history. */
  readonly undo: Record<string, unknown> | null;
}

export interface ResourceTypeDefinition<P> {
  /** `namespace:kind[:more]`, lowercase; not a built-in provider's namespace (core, aws, github, slack). */
  readonly type: string;
  readonly description: string;
  /** Its properties in a config; the API validates configs against it and publishes it as JSON Schema. */
  readonly properties: z.ZodType<P>;
  /** What its apply outputs, for references and the published schemas. */
  readonly outputs?: z.ZodObject;
  plan(ctx: PackageContext, target: PackageTarget<P>): Promise<PackagePlan>;
  /** Runs at least once: must find and adopt its own earlier effect rather than make it twice. */
  apply(ctx: PackageContext, target: PackageTarget<P>): Promise<PackageApply>;
  /** Undoes this run's apply from the undo it returned; answers what it did, in words. */
  compensate(ctx: PackageContext, target: PackageTarget<P>, undo: Record<string, unknown> | null): Promise<string>;
  /** What differs from what the last apply made (none when omitted). */
  verify?(
    ctx: PackageContext,
    target: PackageTarget<P>,
    outputs: Record<string, unknown> | null,
  ): Promise<PackagePlan['diff']>;
  /** Deletes the resource whatever run made it (`destroy` of a deployment); without it, destroy fails the node. */
  destroy?(ctx: PackageContext, target: PackageTarget<P>, outputs: Record<string, unknown> | null): Promise<void>;
}

/** Marks what `defineResourceType` made, so the loader finds a package's types among its exports. */
export const DEFINED_TYPE = Symbol.for('mgraph.sdk.resource-type');

export type DefinedResourceType<P = unknown> = ResourceTypeDefinition<P> & { readonly [DEFINED_TYPE]: true };

/** A resource type of a step package: export it (named or default) from the package's `index.ts`. */
export function defineResourceType<P>(definition: ResourceTypeDefinition<P>): DefinedResourceType<P> {
  return { ...definition, [DEFINED_TYPE]: true };
}
