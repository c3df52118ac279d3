/**
 * A step package's resource type (src/sdk) as the worker's contract (../resource-type.ts): its
 * operations run on the version's own thread with the context the SDK promises and the node as a
 * PackageTarget, and what a package cannot give is filled in (no drift without `verify`; destroy
 * refused without `destroy`).
 */
import { z } from 'zod';
import type { DefinedResourceType, PackageApply, PackagePlan, PackageTarget } from '../../sdk';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget, OperationContext, ResourceType } from '../resource-type';
import type { PackageOperation } from './package-thread-messages';
import { runOnThread } from './package-threads';

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

const target = <P>(node: NodeTarget<P>): PackageTarget<P> => ({
  deployment_id: node.deployment_id,
  resource_id: node.node.resource_id,
  node_id: node.node.node_id,
  properties: node.properties,
  refs: node.refs,
});

/**
 * The type as the worker uses it: its schemas from this process's copy of the package, its
 * operations run on the version's own thread (package-threads.ts).
 */
export function packagedType(defined: DefinedResourceType, origin: PackageOrigin): PackagedResourceType {
  const run = (operation: PackageOperation, ctx: OperationContext, node: NodeTarget<unknown>, extra?: unknown) =>
    runOnThread(origin, defined.type, operation, ctx, target(node), extra);
  return {
    type: defined.type,
    provider: 'package',
    description: defined.description,
    regional: false,
    properties: defined.properties,
    outputs: defined.outputs ?? null,
    package: origin,
    async plan(ctx, node) {
      const plan = (await run('plan', ctx, node)) as PackagePlan;
      return { action: plan.action, diff: [...(plan.diff ?? [])], warnings: [...(plan.warnings ?? [])] };
    },
    apply: async (ctx, node) => (await run('apply', ctx, node)) as PackageApply,
    async compensate(ctx, node, undo) {
      return { outcome: (await run('compensate', ctx, node, undo)) as string };
    },
    async verify(ctx, node, outputs) {
      if (!defined.verify) return { drift: [] };
      return { drift: [...(((await run('verify', ctx, node, outputs)) as PackagePlan['diff']) ?? [])] };
    },
    async destroy(ctx, node, outputs) {
      if (!defined.destroy)
        throw new OperationError(
          'invalid_input',
          `${defined.type} (package ${origin.name} version ${origin.version}) defines no destroy`,
          { retryable: false },
        );
      await run('destroy', ctx, node, outputs);
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
