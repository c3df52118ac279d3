/**
 * `aws:lambda:function`: a Lambda function in each target region, its code from S3
 * (`code_s3_bucket`/`code_s3_key`), an inline base64 zip (`zip_file`), or the `code` reference to
 * an aws:s3:object resource (its ARN, from the object node of the function's own region, so each
 * region's function takes its code from a bucket of that region, as Lambda requires); its
 * execution role by reference (`references: { role: "<aws:iam:role resource>" }`, i.e. the
 * role's ARN) or `role_arn`; its layers, at most 5 version ARNs in this order: `layers`, then the
 * references whose names start with `layer` (`layer`, `layer_2`, … to an aws:lambda:layer's
 * `version_arn`), by name, numbers compared as numbers.
 * A role just created may not be assumable by Lambda for a few seconds: that refusal is retried.
 * After each create or update the function is waited on until it is Active and its last update
 * Successful, briefly and abortably. The code's source is kept in the `mgraph:code` tag, so a new
 * S3 key (given or referenced) is an update; inline code is compared by its SHA-256.
 * A plan (or verify) of a node whose declared references have no value yet (a live plan before
 * the referenced resources' first apply, a dry run) shows those values as pending, so their
 * fields plan as an update; an apply needs them (lambda-references.ts resolves them).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  type FunctionConfiguration,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  type Runtime,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { z } from 'zod';
import type { DriftItem } from '../../model/run-types';
import { OperationError } from '../../providers/operation-error';
import type { FoundResource, NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { fieldDrift, MISSING, sameValue, updatePlan } from './drift';
import { applyOwned, compensateOwned, destroyOwned, planOwned, type Update } from './owned';
import { aws, awsError, awsOrNull } from './errors';
import {
  checkCode,
  codeFields,
  codeOf,
  type CodeProperties,
  codeSource,
  foundCode,
  runtimeSchema,
  s3Location,
} from './lambda-code';
import {
  codeFrom,
  functionLabel as label,
  LAYER_ARN,
  LAYER_ARN_FORM,
  layersOf,
  MAX_LAYERS,
  type Mode,
  Pending,
  ROLE_ARN,
  roleOf,
  sourceOf,
} from './lambda-references';
import { awsClients, regionOf } from './session';
import { taggedArns } from './tagged';
import { creationTags, previousTagValues, restoreTags, tagDrift, tagsToSet, type Tags } from './tags';

/** Where the deployed code came from: `s3://bucket/key` or `sha256:<base64>`. */
export const CODE_TAG = 'mgraph:code';
const WAIT_POLLS = 60;
const WAIT_INTERVAL_MS = 1_000;

const properties = z
  .object({
    function_name: z.string().regex(/^[\w-]{1,64}$/, 'must be 1-64 letters, digits, - or _'),
    runtime: runtimeSchema,
    handler: z.string().min(1).max(128),
    description: z.string().max(256).default(''),
    ...codeFields,
    /** The execution role; else the `role` reference. */
    role_arn: z.string().regex(ROLE_ARN, 'must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)').optional(),
    memory_size: z.number().int().min(128).max(10_240).default(128),
    timeout: z.number().int().min(1).max(900).default(3),
    environment: z
      .record(z.string().regex(/^[a-zA-Z]\w*$/, 'environment variable names are letters, digits and _'), z.string())
      .default({}),
    /** Layer version ARNs, before those of the `layer…` references; order matters to Lambda. */
    layers: z
      .array(z.string().regex(LAYER_ARN, `must be a layer version ARN (${LAYER_ARN_FORM})`))
      .max(MAX_LAYERS)
      .default([]),
  })
  .strict()
  .superRefine((p, ctx) => checkCode(p, ctx, { orReference: true }));

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
  readonly layers: string[];
}

const call = (target: Target, action: string) => ({ action, target: label(target) });

/** Inline code is compared with what Lambda reports; S3 code (given or referenced) with the source it was deployed from. */
const actualCode = (state: FunctionState, code: CodeProperties | Pending): string | null =>
  code instanceof Pending || code.zip_file === undefined
    ? (state.tags[CODE_TAG] ?? null)
    : `sha256:${state.code_sha256}`;

const configOf = (c: FunctionConfiguration) => ({
  runtime: c.Runtime ?? null,
  handler: c.Handler ?? '',
  description: c.Description ?? '',
  role: c.Role ?? '',
  memory_size: c.MemorySize ?? 128,
  timeout: c.Timeout ?? 3,
  environment: c.Environment?.Variables ?? {},
  layers: (c.Layers ?? []).flatMap((layer) => (layer.Arn === undefined ? [] : [layer.Arn])),
});

async function readFunction(lambda: LambdaClient, target: Target): Promise<FunctionState | null> {
  const got = await awsOrNull(call(target, 'read the function'), () =>
    lambda.send(new GetFunctionCommand({ FunctionName: target.properties.function_name })),
  );
  const c = got?.Configuration;
  if (!got || !c) return null;
  return {
    arn: c.FunctionArn ?? '',
    version: c.Version ?? '$LATEST',
    tags: got.Tags ?? {},
    code_sha256: c.CodeSha256 ?? '',
    ...configOf(c),
  };
}

const desiredConfig = (target: Target, mode: Mode) => {
  const p = target.properties;
  return {
    runtime: p.runtime,
    handler: p.handler,
    description: p.description,
    role: roleOf(target, mode),
    memory_size: p.memory_size,
    timeout: p.timeout,
    environment: p.environment,
    layers: layersOf(target, mode),
  };
};
type Config = ReturnType<typeof desiredConfig>;

/** What a read compares: the configuration and the code (its reference's value may be pending). */
const desiredOf = (target: Target) => ({ config: desiredConfig(target, 'read'), code: codeFrom(target, 'read') });

function functionDrift(state: FunctionState, target: Target, desired = desiredOf(target)): DriftItem[] {
  const drift = fieldDrift(
    { ...desired.config, code: sourceOf(desired.code) },
    { ...state, code: actualCode(state, desired.code) },
  );
  return [...drift, ...tagDrift(state.tags, target)];
}

const outputsOf = (state: { arn: string; version: string }, target: Target): Record<string, unknown> => ({
  arn: state.arn,
  function_name: target.properties.function_name,
  version: state.version,
});

/** Waits (bounded, abortably) until the function is Active and not mid-update; a failed state is an error. */
async function waitReady(ctx: OperationContext, lambda: LambdaClient, target: Target): Promise<void> {
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

/** Creates the function; false when one of that name appeared meanwhile (adopt or refuse it). */
async function create(ctx: OperationContext, lambda: LambdaClient, target: Target): Promise<boolean> {
  const config = desiredConfig(target, 'write');
  const code = codeFrom(target, 'write');
  try {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: target.properties.function_name,
        Runtime: config.runtime as Runtime,
        Handler: config.handler,
        Description: config.description,
        Role: config.role,
        MemorySize: config.memory_size,
        Timeout: config.timeout,
        Environment: { Variables: config.environment },
        Layers: config.layers,
        Code: codeOf(code),
        Tags: { ...creationTags(target), [CODE_TAG]: codeSource(code) },
      }),
      { abortSignal: ctx.signal },
    );
  } catch (err) {
    if ((err as { name?: unknown }).name === 'ResourceConflictException') return false;
    throw awsError(err, call(target, 'create the function'));
  }
  await waitReady(ctx, lambda, target);
  return true;
}

/** `config.layers` is missing from an undo recorded before functions had layers: they are left as they are. */
async function putConfig(lambda: LambdaClient, target: Target, action: string, config: Config): Promise<void> {
  await aws(call(target, action), () =>
    lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: target.properties.function_name,
        Runtime: config.runtime as Runtime,
        Handler: config.handler,
        Description: config.description,
        Role: config.role,
        MemorySize: config.memory_size,
        Timeout: config.timeout,
        Environment: { Variables: config.environment },
        Layers: config.layers,
      }),
    ),
  );
}

async function putTags(lambda: LambdaClient, target: Target, arn: string, tags: Tags): Promise<void> {
  if (Object.keys(tags).length > 0)
    await aws(call(target, 'tag the function'), () =>
      lambda.send(new TagResourceCommand({ Resource: arn, Tags: tags })),
    );
}

/**
 * Brings a function of ours to the desired state; its undo, what it changes, is computed from
 * `state` and recorded before the change (owned.ts). Its waits heartbeat through the journal, so
 * their heartbeats carry the undo too.
 */
function update(lambda: LambdaClient, target: Target, state: FunctionState): Update {
  const desired = desiredConfig(target, 'write');
  const code = codeFrom(target, 'write');
  const source = codeSource(code);
  const { runtime, handler, description, role, memory_size, timeout, environment, layers } = state;
  const previous = { runtime, handler, description, role, memory_size, timeout, environment, layers };
  const newConfig = !sameValue(desired, previous);
  const newCode = actualCode(state, code) !== source;
  const tags = { ...tagsToSet(state.tags, target), ...(state.tags[CODE_TAG] === source ? {} : { [CODE_TAG]: source }) };
  const undo = {
    ...(newConfig ? { config_previous: previous } : {}),
    ...(newCode ? { code_previous: state.tags[CODE_TAG] ?? null } : {}),
    tags_previous: previousTagValues(state.tags, tags),
  };
  return {
    undo,
    async change(journal) {
      await waitReady(journal.ctx, lambda, target);
      if (newConfig) {
        await putConfig(lambda, target, 'update the configuration', desired);
        await waitReady(journal.ctx, lambda, target);
      }
      if (newCode) {
        await aws(call(target, 'update the code'), () =>
          lambda.send(
            new UpdateFunctionCodeCommand({ FunctionName: target.properties.function_name, ...codeOf(code) }),
          ),
        );
        await waitReady(journal.ctx, lambda, target);
      }
      await putTags(lambda, target, state.arn, tags);
      return { outputs: outputsOf(state, target) };
    },
  };
}

/** Restores what `update` changed. Code returns to a previous S3 source; a previous inline zip cannot be fetched back. */
async function restore(
  ctx: OperationContext,
  lambda: LambdaClient,
  target: Target,
  state: FunctionState,
  undo: Record<string, unknown>,
): Promise<string> {
  const FunctionName = target.properties.function_name;
  const config = undo['config_previous'] as Config | undefined;
  if (config) {
    await putConfig(lambda, target, 'restore the configuration', config);
    await waitReady(ctx, lambda, target);
  }
  let outcome = 'compensated';
  if (undo['code_previous'] !== undefined) {
    const previous = s3Location(undo['code_previous']);
    if (previous) {
      await aws(call(target, 'restore the code'), () =>
        lambda.send(new UpdateFunctionCodeCommand({ FunctionName, S3Bucket: previous.bucket, S3Key: previous.key })),
      );
      await waitReady(ctx, lambda, target);
    } else {
      outcome =
        'compensated (configuration and tags only: the previous code was an inline zip, which cannot be fetched back)';
    }
  }
  const tags = restoreTags(undo['tags_previous']);
  await putTags(lambda, target, state.arn, tags.set);
  if (tags.remove.length > 0)
    await aws(call(target, 'remove added tags'), () =>
      lambda.send(new UntagResourceCommand({ Resource: state.arn, TagKeys: tags.remove })),
    );
  return outcome;
}

async function deleteFunction(lambda: LambdaClient, target: Target): Promise<void> {
  await awsOrNull(call(target, 'delete the function'), () =>
    lambda.send(new DeleteFunctionCommand({ FunctionName: target.properties.function_name })),
  );
}

/** A tag scan's find, described from the function itself (the tagging API's tags may lag behind a tag change). */
async function describeFound(lambda: LambdaClient, arn: string, region: string): Promise<FoundResource | null> {
  const got = await awsOrNull({ action: 'read a tagged function', target: arn }, () =>
    lambda.send(new GetFunctionCommand({ FunctionName: arn })),
  );
  const c = got?.Configuration;
  if (!got || !c) return null;
  const tags = got.Tags ?? {};
  const properties = {
    function_name: c.FunctionName,
    runtime: c.Runtime,
    handler: c.Handler,
    role_arn: c.Role,
    ...foundCode(tags[CODE_TAG]),
  };
  return { type: 'aws:lambda:function', arn, region, tags, properties };
}

const lambdaOf = async (ctx: OperationContext, target: Target): Promise<LambdaClient> =>
  (await awsClients(ctx, regionOf(ctx, target))).lambda;

export const awsLambdaFunction: ResourceType<LambdaFunctionProperties> = {
  type: 'aws:lambda:function',
  provider: 'aws',
  description:
    'A Lambda function per region: code from S3, an inline zip or an aws:s3:object by reference, runtime, handler, memory, timeout, environment, layers, role by reference; tagged, adopted by tag',
  regional: true,
  properties,
  physicalName: (p, region) => `lambda:${region ?? ''}:${p.function_name}`,

  async plan(ctx, target) {
    const desired = desiredOf(target); // a config error fails the plan as it would fail the apply
    const state = await readFunction(await lambdaOf(ctx, target), target);
    return planOwned({ state, target, label: label(target) }, (s) => updatePlan(functionDrift(s, target, desired)));
  },

  async apply(ctx, target) {
    const lambda = await lambdaOf(ctx, target);
    return applyOwned(
      ctx,
      { target, label: label(target) },
      {
        read: () => readFunction(lambda, target),
        create: async (readBack) =>
          (await create(ctx, lambda, target)) ? { outputs: outputsOf(await readBack(), target) } : null,
        update: (state) => update(lambda, target, state),
      },
    );
  },

  async verify(ctx, target) {
    const state = await readFunction(await lambdaOf(ctx, target), target);
    return { drift: state ? functionDrift(state, target) : [MISSING] };
  },

  async compensate(ctx, target, undo) {
    const lambda = await lambdaOf(ctx, target);
    const state = await readFunction(lambda, target);
    return compensateOwned(
      { state, target, label: label(target), what: 'function', undo },
      () => deleteFunction(lambda, target),
      (s, u) => restore(ctx, lambda, target, s, u),
    );
  },

  async destroy(ctx, target) {
    const lambda = await lambdaOf(ctx, target);
    await destroyOwned({ state: await readFunction(lambda, target), target, label: label(target) }, () =>
      deleteFunction(lambda, target),
    );
  },

  async findTagged(ctx, deploymentId, region) {
    const where = region ?? regionOf(ctx, null);
    const { lambda } = await awsClients(ctx, where);
    const found = await Promise.all(
      (await taggedArns(ctx, where, deploymentId, 'lambda:function')).map((t) => describeFound(lambda, t.arn, where)),
    );
    return found.filter((f): f is FoundResource => f !== null);
  },
};
