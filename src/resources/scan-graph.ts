/**
 * Destroy without run history: the resources a tag scan found (`mgraph:deploy-id`) become a spec
 * graph that a normal destroy run walks backwards. Each resource is the node its
 * `mgraph:node-id` tag names (so the type's destroy recognizes it as its own). There is no config
 * to take edges from, so they come from what each type can depend on: every found resource of a
 * type a dependent type may use gets an edge to it (in the same region, or where either is global).
 * That over-approximates the config's edges and keeps the one order that matters for a delete:
 * dependents (secrets, Lambda functions, objects, attachments) before what they use (repositories,
 * roles, buckets).
 */
import { NODE_ID_TAG, RESOURCE_ID_TAG } from './aws/tags';
import type { FoundResource } from './resource-type';
import type { SpecEdge, SpecGraph, SpecNode } from '../model/graph-types';
import { canonicalJson, shortHash } from '../model/hash';

/** The version a graph built from a scan carries (there was no config). */
export const SCAN_VERSION = 'tag-scan';

/** Types a type may depend on (apply order: these first, so a destroy deletes them last). */
const AWS_TYPES = [
  'aws:iam:role',
  'aws:iam:policy',
  'aws:lambda:function',
  'aws:lambda:layer',
  'aws:s3:bucket',
  'aws:s3:object',
];
/** A secret may hold any AWS resource's output (a function's ARN), and lives in a repository. */
const SECRET_SOURCES = ['github:repo', ...AWS_TYPES];

export const MAY_DEPEND_ON: Readonly<Record<string, readonly string[]>> = {
  'github:secret:repo': SECRET_SOURCES,
  'github:secret:env': SECRET_SOURCES,
  'github:secret:org': AWS_TYPES,
  'aws:lambda:function': [
    'aws:iam:role',
    'aws:iam:policy',
    'aws:iam:policy:attach',
    'aws:lambda:layer',
    'aws:s3:bucket',
    'aws:s3:object',
  ],
  'aws:lambda:layer': ['aws:s3:bucket', 'aws:s3:object'],
  'aws:s3:object': ['aws:s3:bucket'],
  'aws:iam:policy:attach': ['aws:iam:role', 'aws:iam:policy'],
};

const isOurTag = (key: string): boolean => key.startsWith('mgraph:') || key.startsWith('aws:');

function nodeOf(found: FoundResource): SpecNode {
  const nodeId = found.tags[NODE_ID_TAG] ?? '';
  return {
    node_id: nodeId,
    resource_id: found.tags[RESOURCE_ID_TAG] ?? nodeId,
    type: found.type,
    operation: 'delete',
    region: found.region,
    properties: found.properties,
    references: {},
    tags: Object.fromEntries(Object.entries(found.tags).filter(([key]) => !isOurTag(key))),
  };
}

/** A global resource is used from every region, and a global user (a secret) may use any region's. */
const sameScope = (used: SpecNode, user: SpecNode): boolean =>
  used.region === null || user.region === null || used.region === user.region;

/**
 * The graph of a deployment's found resources. Callers check first that each carries a distinct
 * `mgraph:node-id` (see `scanProblems`).
 */
export function scanGraph(deploymentId: string, found: readonly FoundResource[]): SpecGraph {
  const nodes = found.map(nodeOf).sort((a, b) => (a.node_id < b.node_id ? -1 : 1));
  const edges: SpecEdge[] = [];
  for (const user of nodes) {
    for (const used of nodes) {
      if (used !== user && (MAY_DEPEND_ON[user.type] ?? []).includes(used.type) && sameScope(used, user)) {
        edges.push({ from: used.node_id, to: user.node_id, kind: 'dependency' });
      }
    }
  }
  const graphId = shortHash(canonicalJson({ deployment_id: deploymentId, version: SCAN_VERSION, nodes, edges }), 16);
  return { graph_id: graphId, deployment_id: deploymentId, version: SCAN_VERSION, nodes, edges };
}

/** Why the found resources cannot become one graph: a missing or shared `mgraph:node-id`. */
export function scanProblems(found: readonly FoundResource[]): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const resource of found) {
    const nodeId = resource.tags[NODE_ID_TAG];
    if (nodeId === undefined) problems.push(`${resource.arn} has no ${NODE_ID_TAG} tag`);
    else if (seen.has(nodeId))
      problems.push(`${resource.arn} and ${seen.get(nodeId) ?? ''} carry the same ${NODE_ID_TAG} ${nodeId}`);
    else seen.set(nodeId, resource.arn);
  }
  return problems;
}
