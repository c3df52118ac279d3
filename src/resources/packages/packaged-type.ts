/**
 * A step package's resource type (src/sdk) as the worker's contract (../resource-type.ts): the
 * operation context narrowed to what the SDK promises, the node as a PackageTarget, and what a
 * package cannot give filled in (no drift without `verify`; destroy refused without `destroy`).
 */
import { z } from 'zod';
import type { DefinedResourceType, PackageContext, PackageTarget } from '../../sdk';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget, OperationContext, ResourceType } from '../resource-type';

/** Where a packaged type comes from: shown by GET /resource-types and in its errors. */
export interface PackageOrigin {
  readonly name: string;
  readonly version: number;
  readonly hash: string;
}

export type PackagedResourceType = ResourceType & {
  readonly outputs: z.ZodObject | null;
  readonly package: PackageOrigin;
};

const context = (ctx: OperationContext): PackageContext => ({
  log: (message) => ctx.log(message),
  heartbeat: (details) => ctx.heartbeat(details),
  signal: ctx.signal,
  attempt: ctx.attempt,
});

const target = <P>(node: NodeTarget<P>): PackageTarget<P> => ({
  deployment_id: node.deployment_id,
  resource_id: node.node.resource_id,
  node_id: node.node.node_id,
  properties: node.properties,
  refs: node.refs,
});

export function packagedType(defined: DefinedResourceType, origin: PackageOrigin): PackagedResourceType {
  return {
    type: defined.type,
    provider: 'package',
    description: defined.description,
    regional: false,
    properties: defined.properties,
    outputs: defined.outputs ?? null,
    package: origin,
    async plan(ctx, node) {
      const plan = await defined.plan(context(ctx), target(node));
      return { action: plan.action, diff: plan.diff ?? [], warnings: plan.warnings ?? [] };
    },
    apply: (ctx, node) => defined.apply(context(ctx), target(node)),
    async compensate(ctx, node, undo) {
      return { outcome: await defined.compensate(context(ctx), target(node), undo) };
    },
    async verify(ctx, node, outputs) {
      return { drift: (await defined.verify?.(context(ctx), target(node), outputs)) ?? [] };
    },
    async destroy(ctx, node, outputs) {
      if (!defined.destroy)
        throw new OperationError(
          'invalid_input',
          `${defined.type} (package ${origin.name} version ${origin.version}) defines no destroy`,
          { retryable: false },
        );
      await defined.destroy(context(ctx), target(node), outputs);
    },
  };
}

/** A type of a package that failed to load in this process: every operation fails its node, saying why. */
export function unloadableType(type: string, origin: PackageOrigin, why: string): PackagedResourceType {
  const fail = (): Promise<never> =>
    Promise.reject(new OperationError('operation_failed', `${type}: ${why}`, { retryable: false }));
  return {
    type,
    provider: 'package',
    description: `(failed to load: ${why})`,
    regional: false,
    properties: z.record(z.string(), z.unknown()),
    outputs: null,
    package: origin,
    plan: fail,
    apply: fail,
    compensate: fail,
    verify: fail,
    destroy: fail,
  };
}
