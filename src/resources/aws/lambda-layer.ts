/**
 * `aws:lambda:layer`: a Lambda layer in each target region, as the versions this node publishes:
 * code from S3 or an inline base64 zip (see lambda-code.ts), compatible runtimes and
 * architectures, license and description.
 *
 * Layer versions are immutable and take no tags (Lambda tags functions, event source mappings and
 * code signing configs only), so ownership and idempotency come from a marker that ends each
 * version's description: `<description> [mgraph node=<node-id> deploy=<deployment-id>
 * run=<hash of the run key> code=<s3://bucket/key | sha256:…>]`. Apply adopts the latest version
 * when it carries this node's marker with the same code and settings, and publishes a new version
 * otherwise; a layer whose latest version carries no marker, or another node's, is a conflict.
 * Compensate deletes exactly the version this run published (the one before is the latest again);
 * destroy deletes every version that carries this node's marker and leaves any other alone.
 * Not managed: layer version permissions, S3 object versions. A tag scan finds layers by marker.
 * Without tags it does not fit owned.ts's skeleton of a tagged type (read, create, check the
 * owner's tag, update in place with a journaled undo): its owner is the latest version's marker,
 * a change is a new version rather than an update, and its undo is that version's number.
 */
import {
  Architecture,
  DeleteLayerVersionCommand,
  GetLayerVersionCommand,
  type LambdaClient,
  PublishLayerVersionCommand,
} from '@aws-sdk/client-lambda';
import { z } from 'zod';
import type { DriftItem } from '../../model/run-types';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { createPlan, fieldDrift, MISSING, takenPlan, updatePlan } from './drift';
import { aws, awsOrNull, type AwsCall } from './errors';
import { checkCode, codeFields, codeOf, codeSource, runtimeSchema } from './lambda-code';
import { findLayers } from './lambda-layer-scan';
import {
  DESCRIPTION_MAX,
  descriptionOf,
  listVersions,
  MARKER_MAX,
  MARKER_START,
  runOf,
  sorted,
  stateOf,
  type VersionState,
} from './lambda-layer-versions';
import { awsClients, regionOf } from './session';

const unique = (list: readonly string[]): boolean => new Set(list).size === list.length;

const properties = z
  .object({
    layer_name: z.string().regex(/^[\w-]{1,140}$/, 'must be 1-140 letters, digits, - or _'),
    description: z
      .string()
      .refine(
        (d) => !d.includes(MARKER_START),
        `must not contain "${MARKER_START}": the service ends each version's description with that marker`,
      )
      .default(''),
    compatible_runtimes: z.array(runtimeSchema).min(1).max(15).refine(unique, 'must not repeat a runtime'),
    compatible_architectures: z
      .array(z.enum(Architecture, { error: 'must be x86_64 or arm64' }))
      .max(2)
      .refine(unique, 'must not repeat an architecture')
      .optional(),
    license_info: z.string().min(1).max(512).optional(),
    ...codeFields,
  })
  .strict()
  .superRefine((p, ctx) => {
    checkCode(p, ctx);
    const code = codeSource(p);
    const room = DESCRIPTION_MAX - MARKER_MAX - code.length;
    const why = `a version's description (${DESCRIPTION_MAX} characters) ends with the service's marker: up to ${MARKER_MAX} characters and the code's source`;
    if (room < 0)
      ctx.addIssue({
        code: 'custom',
        path: ['code_s3_key'],
        message: `${code} is ${-room} characters too long: ${why}`,
      });
    else if (p.description.length > room)
      ctx.addIssue({
        code: 'custom',
        path: ['description'],
        message: `must be at most ${room} characters with this code: ${why}`,
      });
  });

export type LambdaLayerProperties = z.output<typeof properties>;
type Target = NodeTarget<LambdaLayerProperties>;

const label = (target: Target): string =>
  `Lambda layer ${target.properties.layer_name} (${target.node.region ?? 'default region'})`;
const call = (target: Target, action: string): AwsCall => ({ action, target: label(target) });

const latestOf = async (lambda: LambdaClient, target: Target): Promise<VersionState | undefined> =>
  (await listVersions(lambda, target.properties.layer_name, call(target, 'list the layer versions')))[0];

const desiredSettings = (p: LambdaLayerProperties) => ({
  description: p.description,
  code: codeSource(p),
  compatible_runtimes: sorted(p.compatible_runtimes),
  compatible_architectures: sorted(p.compatible_architectures),
  license_info: p.license_info ?? '',
});

/** Desired vs the latest version; `owner` is the node its marker names. */
function layerDrift(latest: VersionState, target: Target): DriftItem[] {
  const { description, compatible_runtimes, compatible_architectures, license_info } = latest;
  const actual = {
    description,
    code: latest.marker?.code ?? null,
    compatible_runtimes,
    compatible_architectures,
    license_info,
    owner: latest.marker?.node ?? null,
  };
  return fieldDrift({ ...desiredSettings(target.properties), owner: target.node.node_id }, actual);
}

/** Why the latest version is not ours to build on, or null. */
function foreignProblem(latest: VersionState, target: Target): string | null {
  const m = latest.marker;
  if (m?.node === target.node.node_id) return null;
  const whose = m
    ? `belongs to node ${m.node} of deployment ${m.deploy}`
    : `has no ${MARKER_START}…] marker in its description`;
  return `${label(target)} already exists and is not managed by this node (its latest version ${latest.version} ${whose}): choose another layer_name, or delete that layer's versions`;
}

const outputsOf = (v: VersionState, target: Target): Record<string, unknown> => ({
  arn: v.version_arn.replace(/:\d+$/, ''),
  version_arn: v.version_arn,
  version: v.version,
  layer_name: target.properties.layer_name,
});

async function publish(ctx: OperationContext, lambda: LambdaClient, target: Target): Promise<VersionState> {
  const p = target.properties;
  const got = await aws(call(target, 'publish a layer version'), () =>
    lambda.send(
      new PublishLayerVersionCommand({
        LayerName: p.layer_name,
        Description: descriptionOf(target, codeSource(p)),
        Content: codeOf(p),
        CompatibleRuntimes: p.compatible_runtimes,
        CompatibleArchitectures: p.compatible_architectures,
        LicenseInfo: p.license_info,
      }),
      { abortSignal: ctx.signal },
    ),
  );
  return stateOf(got);
}

async function deleteVersion(lambda: LambdaClient, target: Target, version: number): Promise<void> {
  const at = call(target, `delete version ${version}`);
  await awsOrNull(at, () =>
    lambda.send(new DeleteLayerVersionCommand({ LayerName: target.properties.layer_name, VersionNumber: version })),
  );
}

const lambdaOf = async (ctx: OperationContext, target: Target): Promise<LambdaClient> =>
  (await awsClients(ctx, regionOf(ctx, target))).lambda;

export const awsLambdaLayer: ResourceType<LambdaLayerProperties> = {
  type: 'aws:lambda:layer',
  provider: 'aws',
  description:
    'A Lambda layer per region: code from S3 or an inline zip, compatible runtimes and architectures, license; versions owned by a marker in their description',
  regional: true,
  properties,
  physicalName: (p, region) => `lambda-layer:${region ?? ''}:${p.layer_name}`,

  async plan(ctx, target) {
    const latest = await latestOf(await lambdaOf(ctx, target), target);
    if (!latest) return createPlan();
    const problem = foreignProblem(latest, target);
    if (problem) return takenPlan([`${problem}; apply will fail`]);
    return updatePlan(layerDrift(latest, target));
  },

  async apply(ctx, target) {
    const lambda = await lambdaOf(ctx, target);
    const latest = await latestOf(lambda, target);
    if (latest) {
      const problem = foreignProblem(latest, target);
      if (problem) throw new OperationError('conflict', problem, { retryable: false });
      if (layerDrift(latest, target).length === 0) {
        const run = runOf(target);
        return {
          outputs: outputsOf(latest, target),
          undo: { published_version: run !== null && latest.marker?.run === run ? latest.version : null },
        };
      }
    }
    const published = await publish(ctx, lambda, target);
    return { outputs: outputsOf(published, target), undo: { published_version: published.version } };
  },

  async verify(ctx, target) {
    const latest = await latestOf(await lambdaOf(ctx, target), target);
    return { drift: latest ? layerDrift(latest, target) : [MISSING] };
  },

  /** Version numbers are never reused: the version this run published is its own to delete. */
  async compensate(ctx, target, undo) {
    const version = undo?.['published_version'];
    if (typeof version !== 'number') return { outcome: 'nothing to undo (this run published no version)' };
    const lambda = await lambdaOf(ctx, target);
    const LayerName = target.properties.layer_name;
    const got = await awsOrNull(call(target, `read version ${version}`), () =>
      lambda.send(new GetLayerVersionCommand({ LayerName, VersionNumber: version })),
    );
    if (!got) return { outcome: 'compensated (already gone)' };
    await deleteVersion(lambda, target, version);
    return { outcome: 'compensated' };
  },

  async destroy(ctx, target) {
    const lambda = await lambdaOf(ctx, target);
    const versions = await listVersions(lambda, target.properties.layer_name, call(target, 'list the layer versions'));
    for (const v of versions.filter((each) => each.marker?.node === target.node.node_id)) {
      ctx.heartbeat({ deleting: label(target), version: v.version });
      await deleteVersion(lambda, target, v.version);
    }
  },

  async findTagged(ctx, deploymentId, region) {
    const where = region ?? regionOf(ctx, null);
    return findLayers((await awsClients(ctx, where)).lambda, deploymentId, where);
  },
};
