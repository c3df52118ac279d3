/**
 * What each type's apply returns as outputs: the names a `"resource.output"` reference can use.
 * The types build their outputs as plain records in their own files (`outputsOf`, or inline in
 * `apply`) and declare no schema of them, so these schemas describe them, written from that code;
 * test/resources/outputs.test.ts checks them against the `outputsOf` functions the types export
 * and the core types' applies. A node with `"operation": "delete"` outputs `{ "deleted": true }`
 * instead (GitHub secrets: `secret_name`, `location`, `deleted`).
 *
 * `documentedTypes()` is the registry with these outputs: what GET /resource-types and
 * GET /schemas/deployment.json describe.
 */
import { z } from 'zod';
import type { ResourceType } from './resource-type';
import { registry } from './registry';
import { leftOutSchema, pullSummarySchema } from './github/pull-summary';

const text = (description: string) => z.string().meta({ description });
const arn = text('Its ARN');

const secret = z
  .object({
    secret_name: text("The secret's name"),
    location: text('Where it is: owner/repo, owner/repo environment …, or org …'),
    created: z.boolean().optional().meta({ description: 'Whether this apply created it (false: it existed)' }),
    updated_at: z.string().nullable().optional().meta({ description: "GitHub's last update time of the secret" }),
    deleted: z.boolean().optional().meta({ description: 'With operation delete: whether it was there to delete' }),
  })
  .strict();

const secretMetadata = {
  name: text("The secret's name"),
  created_at: text('When GitHub created it'),
  updated_at: text('When GitHub last updated it'),
};

/** A repository secret node also reads (seed 000, secret-reads.ts): then it outputs only what it read, never a value. */
const repoSecret = secret
  .partial({ secret_name: true, location: true })
  .extend({
    exists: z.boolean().optional().meta({ description: 'read "exists": whether the secret is there' }),
    name: secretMetadata.name.optional().meta({ description: 'read "get": the secret\'s name' }),
    created_at: secretMetadata.created_at.optional().meta({ description: 'read "get": when GitHub created it' }),
    secrets: z
      .array(z.object(secretMetadata).strict())
      .optional()
      .meta({ description: 'read "list": every secret of the location, with its dates' }),
  })
  .meta({ description: 'Writes output secret_name and location; a node with read outputs what it read' });

const bucket = text("The bucket's name");

export const OUTPUTS: Readonly<Record<string, z.ZodObject>> = {
  'core:delay': z
    .object({
      adopted: z.literal(true).optional().meta({ description: "A retried apply adopted this run's earlier one" }),
    })
    .catchall(z.unknown())
    .meta({ description: 'Also every key of its `outputs` property, as given' }),
  'core:approval': z
    .object({ passed_by: z.enum(['continue', 'timeout']).meta({ description: 'How the gate was passed' }) })
    .strict(),
  'core:wait': z
    .object({ waited_ms: z.number().int().meta({ description: 'How long it waited (its duration)' }) })
    .strict(),
  'github:secret:repo': repoSecret,
  'github:secret:env': secret,
  'github:secret:org': secret,
  'github:branch': z
    .object({
      branch: z.string().meta({ description: 'The branch’s name (with a suffix when the plain one was taken)' }),
      sha: z.string().meta({ description: 'Its first commit (the one naming the run)' }),
      base_sha: z.string().meta({ description: 'The head of `from` it started from' }),
      created: z.boolean().meta({ description: 'false when a retry found the branch its run had made' }),
    })
    .strict(),
  'github:pulls:gather': z
    .object({
      pulls: z
        .array(pullSummarySchema)
        .meta({ description: 'The pull requests to merge, retargeted to branch, by number' }),
      left_out: z.array(leftOutSchema).meta({ description: 'Approved ones that conflict, retargeted back to base' }),
      base: text('The branch they targeted'),
      branch: text('The deploy branch they now target'),
    })
    .strict(),
  'github:pulls:merge': z
    .object({
      merged: z.array(pullSummarySchema).meta({ description: 'The pull requests merged into branch, in order' }),
      left_out: z.array(leftOutSchema).meta({
        description:
          'Ones that could not merge, retargeted back to base (and, with a left_out reference, those the gather left out)',
      }),
      head_sha: text('The branch’s head after the merges'),
    })
    .strict(),
  'github:version:bump': z
    .object({
      version: text('The version now in every file'),
      previous: text('The version they agreed on before'),
      commit_sha: text('The commit that bumped it (message `Bump version to X`, trailer `Deployment-Run`)'),
      files: z.array(z.string()).meta({ description: 'The paths of the files it changed' }),
    })
    .strict(),
  'github:pull:open': z
    .object({
      number: z.number().int().meta({ description: 'The deploy pull request’s number' }),
      url: text('Its page on GitHub'),
      head_sha: text('Its head commit when opened or adopted (what checks run on)'),
    })
    .strict(),
  'github:action:trigger': z
    .object({
      run_id: z.number().int().nullable().meta({ description: 'The workflow run, null when it cannot be identified' }),
      run_url: text("The run's page (the repository's Actions page when the run is not identified)"),
      status: text("The run's status when the apply ended (`dispatched` when not identified)"),
      conclusion: z.string().nullable().meta({ description: "The run's conclusion, null while it runs" }),
    })
    .strict(),
  'github:file:check': z
    .object({
      path: text('The path checked'),
      exists: z
        .boolean()
        .meta({ description: 'Whether it exists (false in mode new, true in mode edit; otherwise the node failed)' }),
      sha: text('The commit of `ref` it looked at'),
    })
    .strict(),
  'github:checks:wait': z
    .object({
      sha: text('The commit whose checks passed'),
      checks: z
        .array(
          z
            .object({
              name: text('The check run’s name, or the status’s context'),
              kind: z.enum(['check_run', 'status']),
              conclusion: text('success, neutral or skipped (a status: success)'),
              url: z.string().nullable().meta({ description: 'Its details link' }),
            })
            .strict(),
        )
        .meta({ description: 'Every check run and commit status of the commit' }),
    })
    .strict(),
  'github:pull:approval': z
    .object({
      approved_by: z
        .union([z.literal('operator'), z.array(z.string())])
        .meta({ description: 'The approving reviewers’ logins, or "operator" when a continue approved it by hand' }),
    })
    .strict(),
  'github:pull:merge': z
    .object({
      merge_sha: text('The merge commit on the base'),
      run_id: z.number().int().meta({ description: 'The Actions run the merge started (a push run)' }),
      run_url: text("The run's page"),
    })
    .strict(),
  'github:actions:run': z
    .object({
      run_id: z.number().int().meta({ description: 'The workflow run' }),
      run_url: text("The run's page"),
      conclusion: z.literal('success').meta({ description: 'Its conclusion (the node fails on any other)' }),
    })
    .strict(),
  'github:release:notes': z
    .object({
      release_id: z.number().int().meta({ description: "GitHub's release id" }),
      url: text("The release's page"),
      tag: text('Its tag'),
      notes: text('The same notes as Slack text (pull requests, resolved issues, checklist), for a thread reply'),
    })
    .strict(),
  'github:repo': z
    .object({
      id: z.number().int().meta({ description: "GitHub's repository id" }),
      node_id: text("GitHub's GraphQL node id"),
      name: text("The repository's name"),
      full_name: text('owner/name'),
      html_url: text("The repository's page"),
      default_branch: text('Its default branch'),
      created: z.boolean().meta({ description: 'Whether this apply created it (false: adopted)' }),
    })
    .strict(),
  'slack:message': z
    .object({
      posted: z.literal(true),
      text: text('The text posted, its {{reference}} placeholders filled'),
    })
    .strict(),
  'aws:iam:role': z
    .object({ arn, name: text("The role's name"), role_id: text("IAM's unique id"), path: text("The role's path") })
    .strict(),
  'aws:iam:policy': z
    .object({
      arn,
      name: text("The policy's name"),
      policy_id: text("IAM's unique id"),
      default_version: text('The default version, e.g. v2'),
    })
    .strict(),
  'aws:iam:policy:attach': z
    .object({ role_name: text('The role it is attached to'), policy_arn: text('The attached policy') })
    .strict(),
  'aws:lambda:function': z
    .object({ arn, function_name: text("The function's name"), version: text('Its version ($LATEST unpublished)') })
    .strict(),
  'aws:lambda:layer': z
    .object({
      arn: text("The layer's ARN, without a version"),
      version_arn: text("The ARN of the version this node published (what a function's `layer` reference takes)"),
      version: z.number().int().meta({ description: "That version's number" }),
      layer_name: text("The layer's name"),
    })
    .strict(),
  'aws:s3:bucket': z
    .object({ arn, bucket, name: text('The same as bucket'), region: text("The bucket's region") })
    .strict(),
  'aws:s3:object': z
    .object({
      arn,
      bucket,
      key: text("The object's key"),
      etag: text('Its ETag, without quotes'),
      sha256: text('The SHA-256 of its content, hex'),
      s3_uri: text('s3://bucket/key'),
      version_id: text('The version written, in a versioned bucket only').optional(),
    })
    .strict(),
};

/** A type of the registry with the outputs it is documented with (null: none declared). */
export type DocumentedType = ResourceType & { readonly outputs: z.ZodObject | null };

const packagedOutputs = (type: ResourceType): z.ZodObject | null =>
  'outputs' in type ? ((type as DocumentedType).outputs ?? null) : null;

/** The types of the registry now (step packages' included, with the outputs they declare). */
export function documentedTypes(): ReadonlyMap<string, DocumentedType> {
  return new Map(
    [...registry].map(([name, type]) => [name, { ...type, outputs: OUTPUTS[name] ?? packagedOutputs(type) }]),
  );
}

/**
 * Changes whenever the documented types do (a step package deployed or undeployed): what is
 * computed from them (JSON Schemas) is kept until it changes.
 */
export { packagedTypesGeneration as documentedTypesGeneration } from './packages/packaged-types';
