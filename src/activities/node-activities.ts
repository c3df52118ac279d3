/**
 * The activities of a deployment run: one per operation of the resource-type contract. Each looks
 * the node's type up in the registry, parses its properties with the type's schema, and calls it.
 * Clients and the secret opener are injected once, in the worker.
 */
import { Context } from '@temporalio/activity';
import { packageSync } from '../resources/packages/package-sync';
import { resourceType } from '../resources/registry';
import type {
  CompensateResult,
  NodeTarget,
  OperationContext,
  PlanResult,
  ResourceType,
  VerifyResult,
} from '../resources/resource-type';
import type { AppliedNode, NodeCall } from './node-call';
import { loggedAttempt, nodeLog, type NodeOperation } from './node-log';
import { operationContext, type OperationDeps } from './operation-context';

export type ActivityDeps = OperationDeps;

/** Where an operation acted, as it noted: the applied node carries it. */
interface ActedIn {
  aws_account?: string;
}

interface ApplyExtras {
  /** Filled with where the operation acted. */
  readonly acted?: ActedIn;
  /** An apply's: the undo the node's prepare recorded (its call carries it as `undo`), for types with `prepare`. */
  readonly prepared?: Record<string, unknown> | null;
}

/** Runs `operation` for the node of `call` with its type, context and target: one logged attempt (node-log.ts). */
async function withOperation<R>(
  deps: ActivityDeps,
  call: NodeCall,
  operation: NodeOperation,
  run: (type: ResourceType, ctx: OperationContext, target: NodeTarget<unknown>) => Promise<R>,
  { acted = {}, prepared }: ApplyExtras = {},
): Promise<R> {
  const activity = Context.current();
  const log = nodeLog(call, activity);
  return loggedAttempt(log, operation, call.attempts_before + activity.info.attempt, async () => {
    // A packaged node's version comes from the fleet's store the first time this worker needs it.
    if (call.node.package) await packageSync().ensureVersion(call.node.package.hash);
    const type = resourceType(call.node.type, call.node.package);
    const ctx: OperationContext = {
      ...operationContext(call, deps, log),
      ...(prepared === undefined || !type.prepare ? {} : { prepared }),
      noteAwsAccount: (account) => {
        acted.aws_account = account;
      },
    };
    const target: NodeTarget<unknown> = {
      deployment_id: call.deployment_id,
      graph_id: call.graph_id,
      node: call.node,
      properties: type.properties.parse(call.node.properties),
      refs: {
        ...call.refs,
        $run_key: call.run_key,
        ...(call.run_started_at === undefined ? {} : { $run_started_at: call.run_started_at }),
      },
    };
    return run(type, ctx, target);
  });
}

export function createNodeActivities(deps: ActivityDeps) {
  return {
    async applyNode(call: NodeCall): Promise<AppliedNode> {
      const attempt = call.attempts_before + Context.current().info.attempt;
      const acted: ActedIn = {};
      const result = await withOperation(deps, call, 'apply', (type, ctx, target) => type.apply(ctx, target), {
        acted,
        prepared: call.undo,
      });
      return { outputs: result.outputs, undo: result.undo, attempt, pending: result.pending, ...acted };
    },
    /** What an apply of the node would overwrite, read before it changes anything (its type's `prepare`): history keeps it. */
    prepareNode(call: NodeCall): Promise<Record<string, unknown> | null> {
      return withOperation(
        deps,
        call,
        'prepare',
        (type, ctx, target) => type.prepare?.(ctx, target) ?? Promise.resolve(null),
      );
    },
    /** A look again at an apply that answered pending (the workflow slept on a timer in between). */
    async pollNode(call: NodeCall, state: Record<string, unknown>): Promise<AppliedNode> {
      const attempt = call.attempts_before + Context.current().info.attempt;
      const acted: ActedIn = {};
      const result = await withOperation(
        deps,
        call,
        'poll',
        (type, ctx, target) => {
          if (!type.poll) throw new Error(`${call.node.type} answered pending but cannot be polled`);
          return type.poll(ctx, target, state);
        },
        { acted },
      );
      return { outputs: result.outputs, undo: result.undo, attempt, pending: result.pending, ...acted };
    },
    planNode(call: NodeCall): Promise<PlanResult> {
      return withOperation(deps, call, 'plan', (type, ctx, target) => type.plan(ctx, target));
    },
    verifyNode(call: NodeCall): Promise<VerifyResult> {
      return withOperation(deps, call, 'verify', (type, ctx, target) => type.verify(ctx, target, call.outputs));
    },
    compensateNode(call: NodeCall): Promise<CompensateResult> {
      return withOperation(deps, call, 'compensate', (type, ctx, target) => type.compensate(ctx, target, call.undo));
    },
    async destroyNode(call: NodeCall): Promise<void> {
      await withOperation(deps, call, 'destroy', (type, ctx, target) => type.destroy(ctx, target, call.outputs));
    },
  };
}

export type NodeActivities = ReturnType<typeof createNodeActivities>;
