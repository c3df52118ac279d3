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
import {
  CreateFunctionCommand,
  type LambdaClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import type { FoundResource, NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { MISSING, sameValue, updatePlan } from './drift';
import { applyOwned, compensateOwned, destroyOwned, planOwned, type Update } from './owned';
import { aws, awsError } from './errors';
import { codeOf, codeSource, s3Location } from './lambda-code';
import { deleteFunction, describeFound } from './lambda-function-destroy';
import { waitReady } from './lambda-function-ready';
import {
  actualCode,
  call,
  CODE_TAG,
  type Config,
  configInput,
  desiredConfig,
  desiredOf,
  type FunctionState,
  functionDrift,
  lambdaFunctionProperties,
  type LambdaFunctionProperties,
  outputsOf,
  readFunction,
} from './lambda-function-state';
import { codeFrom, functionLabel as label } from './lambda-references';
import { awsClients, regionOf } from './session';
import { taggedArns } from './tagged';
import { creationTags, previousTagValues, restoreTags, tagsToSet, type Tags } from './tags';

export type { LambdaFunctionProperties };
type Target = NodeTarget<LambdaFunctionProperties>;

/** Creates the function; false when one of that name appeared meanwhile (adopt or refuse it). */
async function create(ctx: OperationContext, lambda: LambdaClient, target: Target): Promise<boolean> {
  const config = desiredConfig(target, 'write');
  const code = codeFrom(target, 'write');
  try {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: target.properties.function_name,
        ...configInput(config),
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
      new UpdateFunctionConfigurationCommand({ FunctionName: target.properties.function_name, ...configInput(config) }),
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

const lambdaOf = async (ctx: OperationContext, target: Target): Promise<LambdaClient> =>
  (await awsClients(ctx, regionOf(ctx, target))).lambda;

export const awsLambdaFunction: ResourceType<LambdaFunctionProperties> = {
  type: 'aws:lambda:function',
  provider: 'aws',
  description:
    'A Lambda function per region: code from S3, an inline zip or an aws:s3:object by reference, runtime, handler, memory, timeout, environment, layers, role by reference; tagged, adopted by tag',
  regional: true,
  properties: lambdaFunctionProperties,
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
