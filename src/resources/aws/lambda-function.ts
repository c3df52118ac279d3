/**
 * `aws:lambda:function`: a Lambda function in each target region, its code from S3
 * (`code_s3_bucket`/`code_s3_key`) or an inline base64 zip (`zip_file`), its execution role by
 * reference (`references: { role: "<aws:iam:role resource>" }`, i.e. the role's ARN) or `role_arn`.
 * A role just created may not be assumable by Lambda for a few seconds: that refusal is retried.
 * After each create or update the function is waited on until it is Active and its last update
 * Successful, briefly and abortably. The code's source is kept in the `mgraph:code` tag, so a new
 * S3 key is an update; inline code is compared by its SHA-256.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateFunctionCommand, DeleteFunctionCommand, type FunctionConfiguration, GetFunctionCommand,
  GetFunctionConfigurationCommand, type LambdaClient, type Runtime, TagResourceCommand, UntagResourceCommand, UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { z } from 'zod';
import type { DriftItem } from '../../spec/run-types';
import { OperationError } from '../errors';
import type { FoundResource, NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { createPlan, fieldDrift, MISSING, sameValue, takenPlan, updatePlan } from './drift';
import { aws, awsError, awsOrNull } from './errors';
import { checkCode, codeFields, codeOf, codeSource, foundCode, runtimeSchema, s3Location } from './lambda-code';
import { awsClients, regionOf } from './session';
import { taggedArns } from './tagged';
import {
  assertOurs, creationTags, createdByThisRun, foreignWarning, previousTagValues, restoreTags, tagDrift, tagsToSet, type Tags,
} from './tags';

/** Where the deployed code came from: `s3://bucket/key` or `sha256:<base64>`. */
export const CODE_TAG = 'mgraph:code';
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\x21-\x7e]+$/;
const WAIT_POLLS = 60;
const WAIT_INTERVAL_MS = 1_000;

const properties = z.object({
  function_name: z.string().regex(/^[\w-]{1,64}$/, 'must be 1-64 letters, digits, - or _'),
  runtime: runtimeSchema,
  handler: z.string().min(1).max(128),
  description: z.string().max(256).default(''),
  ...codeFields,
  /** The execution role; else the `role` reference. */
  role_arn: z.string().regex(ROLE_ARN, 'must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)').optional(),
  memory_size: z.number().int().min(128).max(10_240).default(128),
  timeout: z.number().int().min(1).max(900).default(3),
  environment: z.record(z.string().regex(/^[a-zA-Z]\w*$/, 'environment variable names are letters, digits and _'), z.string()).default({}),
}).strict().superRefine(checkCode);

export type LambdaFunctionProperties = z.output<typeof properties>;
type Target = NodeTarget<LambdaFunctionProperties>;

interface FunctionState {
  readonly arn: string;
  readonly version: string;
  readonly tags: Tags;
  readonly code_sha256: string;
  readonly runtime: Runtime | null;
  readonly handler: string;
  readonly description: string;
  readonly role: string;
  readonly memory_size: number;
  readonly timeout: number;
  readonly environment: Record<string, string>;
}

const label = (target: Target): string => `Lambda function ${target.properties.function_name} (${target.node.region ?? 'default region'})`;
const call = (target: Target, action: string) => ({ action, target: label(target) });

function roleOf(target: Target): string {
  const ref = target.refs['role'];
  const role = target.properties.role_arn ?? ref;
  if (typeof role === 'string' && ROLE_ARN.test(role)) return role;
  const why = role === undefined ? 'neither role_arn nor a "role" reference is given' : `the role ${JSON.stringify(role)} is not an IAM role ARN`;
  throw new OperationError('invalid_input', `${label(target)}: ${why}; set properties.role_arn or references.role to an aws:iam:role resource`, { retryable: false });
}

/** Inline code is compared with what Lambda reports; S3 code with the source it was deployed from. */
const actualCode = (state: FunctionState, p: LambdaFunctionProperties): string | null =>
  (p.zip_file === undefined ? state.tags[CODE_TAG] ?? null : `sha256:${state.code_sha256}`);

const configOf = (c: FunctionConfiguration) => ({
  runtime: c.Runtime ?? null,
  handler: c.Handler ?? '',
  description: c.Description ?? '',
  role: c.Role ?? '',
  memory_size: c.MemorySize ?? 128,
  timeout: c.Timeout ?? 3,
  environment: c.Environment?.Variables ?? {},
});

async function readFunction(lambda: LambdaClient, target: Target): Promise<FunctionState | null> {
  const got = await awsOrNull(call(target, 'read the function'), () => lambda.send(new GetFunctionCommand({ FunctionName: target.properties.function_name })));
  const c = got?.Configuration;
  if (!got || !c) return null;
  return { arn: c.FunctionArn ?? '', version: c.Version ?? '$LATEST', tags: got.Tags ?? {}, code_sha256: c.CodeSha256 ?? '', ...configOf(c) };
}

const desiredConfig = (target: Target) => {
  const p = target.properties;
  return { runtime: p.runtime, handler: p.handler, description: p.description, role: roleOf(target), memory_size: p.memory_size, timeout: p.timeout, environment: p.environment };
};

function functionDrift(state: FunctionState, target: Target): DriftItem[] {
  const drift = fieldDrift({ ...desiredConfig(target), code: codeSource(target.properties) }, { ...state, code: actualCode(state, target.properties) });
  return [...drift, ...tagDrift(state.tags, target)];
}

const outputsOf = (state: { arn: string; version: string }, target: Target): Record<string, unknown> =>
  ({ arn: state.arn, function_name: target.properties.function_name, version: state.version });

/** Waits (bounded, abortably) until the function is Active and not mid-update; a failed state is an error. */
async function waitReady(ctx: OperationContext, lambda: LambdaClient, target: Target): Promise<void> {
  for (let poll = 0; poll < WAIT_POLLS; poll += 1) {
    const c = await aws(call(target, 'wait for the function'), () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: target.properties.function_name })));
    if (c.State === 'Failed' || c.LastUpdateStatus === 'Failed') {
      throw new OperationError('invalid_input', `${label(target)} failed to become ready: ${c.StateReason ?? c.LastUpdateStatusReason ?? 'no reason given'}`, { retryable: false });
    }
    if ((c.State === undefined || c.State === 'Active') && c.LastUpdateStatus !== 'InProgress') return;
    ctx.heartbeat({ waiting: label(target), state: c.State, last_update: c.LastUpdateStatus });
    await sleep(WAIT_INTERVAL_MS, undefined, { signal: ctx.signal });
  }
  throw new OperationError('unavailable', `${label(target)} is still not Active with its last update Successful after ${WAIT_POLLS} checks: retrying`);
}

/** Creates the function; false when one of that name appeared meanwhile (adopt or refuse it). */
async function create(ctx: OperationContext, lambda: LambdaClient, target: Target): Promise<boolean> {
  const p = target.properties;
  const config = desiredConfig(target);
  try {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: p.function_name, Runtime: config.runtime as Runtime, Handler: config.handler, Description: config.description, Role: config.role,
      MemorySize: config.memory_size, Timeout: config.timeout, Environment: { Variables: config.environment }, Code: codeOf(p),
      Tags: { ...creationTags(target), [CODE_TAG]: codeSource(p) },
    }), { abortSignal: ctx.signal });
  } catch (err) {
    if ((err as { name?: unknown }).name === 'ResourceConflictException') return false;
    throw awsError(err, call(target, 'create the function'));
  }
  await waitReady(ctx, lambda, target);
  return true;
}

async function mustRead(lambda: LambdaClient, target: Target): Promise<FunctionState> {
  const state = await readFunction(lambda, target);
  if (!state) throw new OperationError('unavailable', `${label(target)} cannot be read back yet: retrying`);
  return state;
}

async function putConfig(lambda: LambdaClient, target: Target, action: string, config: ReturnType<typeof desiredConfig>): Promise<void> {
  await aws(call(target, action), () => lambda.send(new UpdateFunctionConfigurationCommand({
    FunctionName: target.properties.function_name, Runtime: config.runtime as Runtime, Handler: config.handler, Description: config.description,
    Role: config.role, MemorySize: config.memory_size, Timeout: config.timeout, Environment: { Variables: config.environment },
  })));
}

async function putTags(lambda: LambdaClient, target: Target, arn: string, tags: Tags): Promise<void> {
  if (Object.keys(tags).length > 0) await aws(call(target, 'tag the function'), () => lambda.send(new TagResourceCommand({ Resource: arn, Tags: tags })));
}

/** Brings a function of ours to the desired state; returns what it changed, for undo. */
async function update(ctx: OperationContext, lambda: LambdaClient, target: Target, state: FunctionState): Promise<Record<string, unknown>> {
  const p = target.properties;
  const undo: Record<string, unknown> = {};
  await waitReady(ctx, lambda, target);
  const desired = desiredConfig(target);
  const { runtime, handler, description, role, memory_size, timeout, environment } = state;
  const previous = { runtime, handler, description, role, memory_size, timeout, environment };
  if (!sameValue(desired, previous)) {
    undo['config_previous'] = previous;
    await putConfig(lambda, target, 'update the configuration', desired);
    await waitReady(ctx, lambda, target);
  }
  const code = codeSource(p);
  if (actualCode(state, p) !== code) {
    undo['code_previous'] = state.tags[CODE_TAG] ?? null;
    await aws(call(target, 'update the code'), () => lambda.send(new UpdateFunctionCodeCommand({ FunctionName: p.function_name, ...codeOf(p) })));
    await waitReady(ctx, lambda, target);
  }
  const tags = { ...tagsToSet(state.tags, target), ...(state.tags[CODE_TAG] === code ? {} : { [CODE_TAG]: code }) };
  await putTags(lambda, target, state.arn, tags);
  return { ...undo, tags_previous: previousTagValues(state.tags, tags) };
}

/** Restores what `update` changed. Code returns to a previous S3 source; a previous inline zip cannot be fetched back. */
async function restore(ctx: OperationContext, lambda: LambdaClient, target: Target, state: FunctionState, undo: Record<string, unknown>): Promise<string> {
  const FunctionName = target.properties.function_name;
  const config = undo['config_previous'] as ReturnType<typeof desiredConfig> | undefined;
  if (config) {
    await putConfig(lambda, target, 'restore the configuration', config);
    await waitReady(ctx, lambda, target);
  }
  let outcome = 'compensated';
  if (undo['code_previous'] !== undefined) {
    const previous = s3Location(undo['code_previous']);
    if (previous) {
      await aws(call(target, 'restore the code'), () => lambda.send(new UpdateFunctionCodeCommand({ FunctionName, S3Bucket: previous.bucket, S3Key: previous.key })));
      await waitReady(ctx, lambda, target);
    } else {
      outcome = 'compensated (configuration and tags only: the previous code was an inline zip, which cannot be fetched back)';
    }
  }
  const tags = restoreTags(undo['tags_previous']);
  await putTags(lambda, target, state.arn, tags.set);
  if (tags.remove.length > 0) await aws(call(target, 'remove added tags'), () => lambda.send(new UntagResourceCommand({ Resource: state.arn, TagKeys: tags.remove })));
  return outcome;
}

async function deleteFunction(lambda: LambdaClient, target: Target): Promise<void> {
  await awsOrNull(call(target, 'delete the function'), () => lambda.send(new DeleteFunctionCommand({ FunctionName: target.properties.function_name })));
}

/** A tag scan's find, described from the function itself (the tagging API's tags may lag behind a tag change). */
async function describeFound(lambda: LambdaClient, arn: string, region: string): Promise<FoundResource | null> {
  const got = await awsOrNull({ action: 'read a tagged function', target: arn }, () => lambda.send(new GetFunctionCommand({ FunctionName: arn })));
  const c = got?.Configuration;
  if (!got || !c) return null;
  const tags = got.Tags ?? {};
  const properties = {
    function_name: c.FunctionName, runtime: c.Runtime, handler: c.Handler, role_arn: c.Role,
    ...foundCode(tags[CODE_TAG]),
  };
  return { type: 'aws:lambda:function', arn, region, tags, properties };
}

const lambdaOf = async (ctx: OperationContext, target: Target): Promise<LambdaClient> => (await awsClients(ctx, regionOf(ctx, target))).lambda;

export const awsLambdaFunction: ResourceType<LambdaFunctionProperties> = {
  type: 'aws:lambda:function',
  provider: 'aws',
  description: 'A Lambda function per region: code from S3 or an inline zip, runtime, handler, memory, timeout, environment, role by reference; tagged, adopted by tag',
  regional: true,
  properties,
  physicalName: (p, region) => `lambda:${region ?? ''}:${p.function_name}`,

  async plan(ctx, target) {
    const state = await readFunction(await lambdaOf(ctx, target), target);
    if (!state) return createPlan();
    const foreign = foreignWarning(state.tags, target, label(target));
    if (foreign.length > 0) return takenPlan(foreign);
    return updatePlan(functionDrift(state, target));
  },

  async apply(ctx, target) {
    const lambda = await lambdaOf(ctx, target);
    const existing = await readFunction(lambda, target);
    if (!existing && (await create(ctx, lambda, target))) {
      return { outputs: outputsOf(await mustRead(lambda, target), target), undo: { created: true } };
    }
    const state = existing ?? (await mustRead(lambda, target));
    assertOurs(state.tags, target, label(target));
    const changed = await update(ctx, lambda, target, state);
    return { outputs: outputsOf(state, target), undo: createdByThisRun(state.tags, target) ? { created: true } : { created: false, ...changed } };
  },

  async verify(ctx, target) {
    const state = await readFunction(await lambdaOf(ctx, target), target);
    return { drift: state ? functionDrift(state, target) : [MISSING] };
  },

  async compensate(ctx, target, undo) {
    const lambda = await lambdaOf(ctx, target);
    const state = await readFunction(lambda, target);
    if (!state) return { outcome: undo?.['created'] === true ? 'compensated (already gone)' : 'nothing to undo (the function is gone)' };
    assertOurs(state.tags, target, label(target));
    if (undo?.['created'] === true) {
      await deleteFunction(lambda, target);
      return { outcome: 'compensated' };
    }
    if (!undo) return { outcome: 'nothing to undo' };
    return { outcome: await restore(ctx, lambda, target, state, undo) };
  },

  async destroy(ctx, target) {
    const lambda = await lambdaOf(ctx, target);
    const state = await readFunction(lambda, target);
    if (!state) return;
    assertOurs(state.tags, target, label(target));
    await deleteFunction(lambda, target);
  },

  async findTagged(ctx, deploymentId, region) {
    const where = region ?? regionOf(ctx, null);
    const { lambda } = await awsClients(ctx, where);
    const found = await Promise.all((await taggedArns(ctx, where, deploymentId, 'lambda:function')).map((t) => describeFound(lambda, t.arn, where)));
    return found.filter((f): f is FoundResource => f !== null);
  },
};
