/**
 * What an `aws:lambda:function` is declared as and read as: its property schema, the function's
 * state as Lambda reports it (its code's identity from the `mgraph:code` tag, lambda-code-identity.ts),
 * its configuration desired (with the role and layers its references resolve to) and as Lambda
 * takes it, the drift a plan or verify shows between them, and the outputs an apply returns.
 */
import {
  type FunctionConfiguration,
  GetFunctionCommand,
  type LambdaClient,
  type Runtime,
} from '@aws-sdk/client-lambda';
import { z } from 'zod';
import type { DriftItem } from '../../model/run-types';
import type { NodeTarget } from '../resource-type';
import { fieldDrift } from './drift';
import { awsOrNull } from './errors';
import { checkCode, codeFields, runtimeSchema, ZIP_SOURCE } from './lambda-code';
import { deployedIdentity } from './lambda-code-identity';
import {
  codeFrom,
  functionLabel as label,
  LAYER_ARN,
  LAYER_ARN_FORM,
  layersOf,
  MAX_LAYERS,
  type Mode,
  ROLE_ARN,
  roleOf,
} from './lambda-references';
import { tagDrift, type Tags } from './tags';

/** The deployed code's identity (lambda-code-identity.ts): `sha256:<base64>` of an inline zip, or its S3 object's, maybe hashed. */
export const CODE_TAG = 'mgraph:code';

export const lambdaFunctionProperties = z
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

export type LambdaFunctionProperties = z.output<typeof lambdaFunctionProperties>;
type Target = NodeTarget<LambdaFunctionProperties>;

export interface FunctionState {
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

export const call = (target: Target, action: string) => ({ action, target: label(target) });

/**
 * The deployed code's identity, compared with `wanted`: for an inline zip, what Lambda reports
 * (CodeSha256); for S3 code (given or referenced), what the tag recorded at its deploy.
 */
export const actualCode = (state: FunctionState, wanted: string): string | null =>
  wanted.startsWith(ZIP_SOURCE) ? `${ZIP_SOURCE}${state.code_sha256}` : deployedIdentity(state.tags[CODE_TAG], wanted);

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

export async function readFunction(lambda: LambdaClient, target: Target): Promise<FunctionState | null> {
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

export const desiredConfig = (target: Target, mode: Mode) => {
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
export type Config = ReturnType<typeof desiredConfig>;

/** A configuration as Lambda's create and update take it. */
export const configInput = (config: Config) => ({
  Runtime: config.runtime as Runtime,
  Handler: config.handler,
  Description: config.description,
  Role: config.role,
  MemorySize: config.memory_size,
  Timeout: config.timeout,
  Environment: { Variables: config.environment },
  Layers: config.layers,
});

/** What a read compares: the configuration and the code (its reference's value may be pending), checked before any call. */
export const desiredOf = (target: Target) => ({
  config: desiredConfig(target, 'read'),
  code: codeFrom(target, 'read'),
});

/** Drift from the desired configuration and the code's identity wanted now (lambda-function-code.ts). */
export function functionDrift(state: FunctionState, target: Target, config: Config, code: string): DriftItem[] {
  const drift = fieldDrift({ ...config, code }, { ...state, code: actualCode(state, code) });
  return [...drift, ...tagDrift(state.tags, target)];
}

export const outputsOf = (state: { arn: string; version: string }, target: Target): Record<string, unknown> => ({
  arn: state.arn,
  function_name: target.properties.function_name,
  version: state.version,
});
