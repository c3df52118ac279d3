/**
 * Every resource type the service knows, by type name. The validator, the plan, the activities
 * and the generated schemas all read this one list. Each type comes wrapped with the generic
 * `operation: "delete"` behaviour unless it handles delete itself (delete-operation.ts).
 */
import { withDeleteOperation } from './delete-operation';
import type { ResourceType } from './resource-type';
import type { PackageVersionRef } from '../model/graph-types';
import { packagedTypeAt, packagedTypes } from './packages/packaged-types';
import { awsIamPolicy } from './aws/iam-policy';
import { awsIamPolicyAttach } from './aws/iam-policy-attach';
import { awsIamRole } from './aws/iam-role';
import { awsLambdaFunction } from './aws/lambda-function';
import { awsLambdaLayer } from './aws/lambda-layer';
import { awsS3Bucket } from './aws/s3-bucket';
import { awsS3Object } from './aws/s3-object';
import { coreApproval } from './core/approval';
import { coreDelay } from './core/delay';
import { coreWait } from './core/wait';
import { githubActionTrigger } from './github/action-trigger';
import { githubActionsRun } from './github/actions-run';
import { githubBranch } from './github/branch';
import { githubChecksWait } from './github/checks-wait';
import { githubPullApproval } from './github/pull-approval';
import { githubPullMerge } from './github/pull-merge';
import { githubReleaseNotes } from './github/release-notes';
import { githubEnvSecret } from './github/env-secret';
import { githubFileCheck } from './github/file-check';
import { githubOrgSecret } from './github/org-secret';
import { githubPullOpen } from './github/pull-open';
import { githubPullsGather } from './github/pulls-gather';
import { githubPullsMerge } from './github/pulls-merge';
import { githubRepoSecret } from './github/repo-secret';
import { githubRepository } from './github/repository';
import { githubVersionBump } from './github/version-bump';
import { slackMessage } from './slack/message';

const ALL: readonly ResourceType<never>[] = [
  coreDelay,
  coreApproval,
  coreWait,
  githubRepoSecret,
  githubEnvSecret,
  githubOrgSecret,
  githubActionTrigger,
  githubRepository,
  githubBranch,
  githubPullsGather,
  githubPullsMerge,
  githubChecksWait,
  githubPullApproval,
  githubPullMerge,
  githubActionsRun,
  githubReleaseNotes,
  githubVersionBump,
  githubPullOpen,
  githubFileCheck,
  slackMessage,
  awsIamRole,
  awsIamPolicy,
  awsIamPolicyAttach,
  awsLambdaFunction,
  awsLambdaLayer,
  awsS3Bucket,
  awsS3Object,
] as unknown as ResourceType<never>[];

/** The types this service is built with. */
export const builtInTypes: ReadonlyMap<string, ResourceType> = new Map(
  ALL.map((type) => [type.type, withDeleteOperation(type as unknown as ResourceType)]),
);

let combined: {
  readonly of: ReadonlyMap<string, ResourceType>;
  readonly all: ReadonlyMap<string, ResourceType>;
} | null = null;

/** The built-in types and the deployed step packages' (packages/packaged-types.ts), as of now. */
function current(fresh = false): ReadonlyMap<string, ResourceType> {
  const packaged = packagedTypes(fresh);
  if (combined?.of !== packaged)
    combined = {
      of: packaged,
      all: new Map([
        ...builtInTypes,
        ...[...packaged].map(([name, type]) => [name, withDeleteOperation(type)] as const),
      ]),
    };
  return combined.all;
}

/** Every type a config can use now: a live view, so a package deployed after start is seen. */
export const registry: ReadonlyMap<string, ResourceType> = {
  get: (name) => current().get(name),
  has: (name) => current().has(name),
  get size() {
    return current().size;
  },
  keys: () => current().keys(),
  values: () => current().values(),
  entries: () => current().entries(),
  forEach: (fn, thisArg?: unknown) => current().forEach(fn, thisArg),
  [Symbol.iterator]: () => current()[Symbol.iterator](),
};

/**
 * The type of that name; one not known yet is looked for in the package store at once (load on
 * first use). A node that pinned a step package's version (`pinned`) gets that version's type.
 */
export function resourceType(type: string, pinned?: PackageVersionRef): ResourceType {
  const at = pinned ? packagedTypeAt(pinned, type) : null;
  if (at) return withDeleteOperation(at);
  if (pinned) throw new Error(`${type}: version ${pinned.version} of package "${pinned.name}" is not in the store`);
  const found = registry.get(type) ?? current(true).get(type);
  if (!found) throw new Error(`unknown resource type "${type}"`);
  return found;
}
