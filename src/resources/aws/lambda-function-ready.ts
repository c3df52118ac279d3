/**
 * Waiting for an `aws:lambda:function` to be ready after a create or an update: polled (bounded,
 * heartbeating, abortably) until it is Active and its last update is no longer in progress; a
 * failed state is an invalid input, one still not ready after the last poll is retried.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget, OperationContext } from '../resource-type';
import { aws } from './errors';
import { call, type LambdaFunctionProperties } from './lambda-function-state';
import { functionLabel as label } from './lambda-references';

type Target = NodeTarget<LambdaFunctionProperties>;

const WAIT_POLLS = 60;
const WAIT_INTERVAL_MS = 1_000;

/** Waits (bounded, abortably) until the function is Active and not mid-update; a failed state is an error. */
export async function waitReady(ctx: OperationContext, lambda: LambdaClient, target: Target): Promise<void> {
  for (let poll = 0; poll < WAIT_POLLS; poll += 1) {
    const c = await aws(call(target, 'wait for the function'), () =>
      lambda.send(new GetFunctionConfigurationCommand({ FunctionName: target.properties.function_name })),
    );
    if (c.State === 'Failed' || c.LastUpdateStatus === 'Failed') {
      throw new OperationError(
        'invalid_input',
        `${label(target)} failed to become ready: ${c.StateReason ?? c.LastUpdateStatusReason ?? 'no reason given'}`,
        { retryable: false },
      );
    }
    if ((c.State === undefined || c.State === 'Active') && c.LastUpdateStatus !== 'InProgress') return;
    ctx.heartbeat({ waiting: label(target), state: c.State, last_update: c.LastUpdateStatus });
    await sleep(WAIT_INTERVAL_MS, undefined, { signal: ctx.signal });
  }
  throw new OperationError(
    'unavailable',
    `${label(target)} is still not Active with its last update Successful after ${WAIT_POLLS} checks: retrying`,
  );
}
