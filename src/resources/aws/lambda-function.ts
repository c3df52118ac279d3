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
 * Successful, briefly and abortably. Code is compared by content (lambda-code-identity.ts): inline
 * code by its SHA-256 against Lambda's CodeSha256; S3 code (given or referenced) by the object's
 * version or ETag, read now, against the `mgraph:code` tag its deploy recorded, so a new key or new
 * content under the same key is an update, deployed pinned to the version read and undone by
 * putting the previous version's package back (lambda-function-code.ts).
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
import type { S3Client } from '@aws-sdk/client-s3';
import type { FoundResource, NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { MISSING, sameValue, updatePlan } from './drift';
import { applyOwned, compensateOwned, destroyOwned, planOwned, prepareOwned, type Update } from './owned';
import { aws, awsError } from './errors';
import { codeTag, deployedIdentity } from './lambda-code-identity';
import { codeToDeploy, restoreCode, wantedIdentity, type WantedCode } from './lambda-function-code';
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
import { functionLabel as label } from './lambda-references';
import { awsClients, regionOf } from './session';
import { taggedArns } from './tagged';
import { creationTags, previousTagValues, restoreTags, tagsToSet, type Tags } from './tags';

export type { LambdaFunctionProperties };
type Target = NodeTarget<LambdaFunctionProperties>;

/** What an apply deploys: the configuration, and the code pinned to what S3 holds now. */
interface Wanted {
  readonly config: Config;
  readonly code: WantedCode;
}

/** Creates the function; false when one of that name appeared meanwhile (adopt or refuse it). */
async function create(ctx: OperationContext, lambda: LambdaClient, target: Target, wanted: Wanted): Promise<boolean> {
  const { config, code } = wanted;
  try {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: target.properties.function_name,
        ...configInput(config),
        Code: code.input,
        Tags: { ...creationTags(target), [CODE_TAG]: codeTag(code.identity) },
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
function update(lambda: LambdaClient, target: Target, state: FunctionState, wanted: Wanted): Update {
  const { config: desired, code } = wanted;
  const { runtime, handler, description, role, memory_size, timeout, environment, layers } = state;
  const previous = { runtime, handler, description, role, memory_size, timeout, environment, layers };
  const newConfig = !sameValue(desired, previous);
  const newCode = actualCode(state, code.identity) !== code.identity;
  const tag = codeTag(code.identity);
  const tags = { ...tagsToSet(state.tags, target), ...(state.tags[CODE_TAG] === tag ? {} : { [CODE_TAG]: tag }) };
  const undo = {
    ...(newConfig ? { config_previous: previous } : {}),
    ...(newCode ? { code_previous: deployedIdentity(state.tags[CODE_TAG], code.identity) } : {}),
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
          lambda.send(new UpdateFunctionCodeCommand({ FunctionName: target.properties.function_name, ...code.input })),
        );
        await waitReady(journal.ctx, lambda, target);
      }
      await putTags(lambda, target, state.arn, tags);
      return { outputs: outputsOf(state, target) };
    },
  };
}

/** Restores what `update` changed; the code as restoreCode can (lambda-function-code.ts), the outcome saying when it cannot. */
async function restore(
  ctx: OperationContext,
  { lambda, s3 }: Clients,
  target: Target,
  state: FunctionState,
  undo: Record<string, unknown>,
): Promise<string> {
  const config = undo['config_previous'] as Config | undefined;
  if (config) {
    await putConfig(lambda, target, 'restore the configuration', config);
    await waitReady(ctx, lambda, target);
  }
  let outcome = 'compensated';
  if (undo['code_previous'] !== undefined) {
    const unrestored = await restoreCode(lambda, s3, target, undo['code_previous']);
    if (unrestored === null) await waitReady(ctx, lambda, target);
    else outcome = `compensated (configuration and tags only: ${unrestored})`;
  }
  const tags = restoreTags(undo['tags_previous']);
  await putTags(lambda, target, state.arn, tags.set);
  if (tags.remove.length > 0)
    await aws(call(target, 'remove added tags'), () =>
      lambda.send(new UntagResourceCommand({ Resource: state.arn, TagKeys: tags.remove })),
    );
  return outcome;
}

interface Clients {
  readonly lambda: LambdaClient;
  readonly s3: S3Client;
}

const clientsOf = (ctx: OperationContext, target: Target): Promise<Clients> => awsClients(ctx, regionOf(ctx, target));

/** Drift from the configuration and the code's identity now; its config errors before any call. */
async function readDrift(clients: Clients, state: FunctionState, target: Target, desired = desiredOf(target)) {
  return functionDrift(state, target, desired.config, await wantedIdentity(clients.s3, target, desired.code));
}

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
    const clients = await clientsOf(ctx, target);
    const state = await readFunction(clients.lambda, target);
    return planOwned({ state, target, label: label(target) }, async (s) =>
      updatePlan(await readDrift(clients, s, target, desired)),
    );
  },

  async prepare(ctx, target) {
    const { lambda, s3 } = await clientsOf(ctx, target);
    const wanted = { config: desiredConfig(target, 'write'), code: await codeToDeploy(s3, target) };
    return prepareOwned(target, {
      read: () => readFunction(lambda, target),
      update: (state) => update(lambda, target, state, wanted),
    });
  },

  async apply(ctx, target) {
    const { lambda, s3 } = await clientsOf(ctx, target);
    const config = desiredConfig(target, 'write'); // its errors first, as a plan reports them
    const wanted = { config, code: await codeToDeploy(s3, target) };
    return applyOwned(
      ctx,
      { target, label: label(target) },
      {
        read: () => readFunction(lambda, target),
        create: async (readBack) =>
          (await create(ctx, lambda, target, wanted)) ? { outputs: outputsOf(await readBack(), target) } : null,
        update: (state) => update(lambda, target, state, wanted),
      },
    );
  },

  async verify(ctx, target) {
    const clients = await clientsOf(ctx, target);
    const state = await readFunction(clients.lambda, target);
    return { drift: state ? await readDrift(clients, state, target) : [MISSING] };
  },

  async compensate(ctx, target, undo) {
    const clients = await clientsOf(ctx, target);
    const state = await readFunction(clients.lambda, target);
    return compensateOwned(
      { state, target, label: label(target), what: 'function', undo },
      () => deleteFunction(clients.lambda, target),
      (s, u) => restore(ctx, clients, target, s, u),
    );
  },

  async destroy(ctx, target) {
    const { lambda } = await clientsOf(ctx, target);
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
