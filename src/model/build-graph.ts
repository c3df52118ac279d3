/**
 * A validated config → the spec graph.
 *
 * - Node id: the first 12 hex digits of sha256(deployment_id ␀ resource_id ␀ region), so
 *   redeploying the same config addresses the same physical resources.
 * - Regional types get one node per AWS target region (or only their pinned `region`);
 *   other types one region-less node.
 * - Edges come from `depends_on` (its edge kind) and from `references` (a reference implies a
 *   dependency). Between two regional resources they stay within a region (A[r] → B[r]); a node
 *   depends on every node of a regional predecessor that has no node in its own region (a
 *   region-less node, or a predecessor pinned elsewhere); a region selector `[r]` picks one node.
 *   Duplicate edges collapse into one with the strongest kind (end > pause > dependency).
 * - A reference reads the node its selector picks, else the resource's only node or its node in
 *   the referencing node's region, else (from a region-less node) its node in the first region
 *   listed: regionChoiceWarnings says so in a plan.
 * - Graph id: 16 hex digits of sha256 over the normalized nodes and edges: credentials and
 *   settings are not part of it, key order does not change it, and target order only where a
 *   reference reads the first region listed.
 */
import type { CatalogEntry, ResourceCatalog } from './catalog';
import type { DeploymentConfig } from './config-schema';
import { UnvalidatedConfigError } from './errors';
import type { EdgeKind, NodeReference, SpecEdge, SpecGraph, SpecNode } from './graph-types';
import { canonicalJson, shortHash } from './hash';
import { scopedId } from './scoped-id';
import { parseReference } from './references';
import { indexRegions, predecessorsIn, regionsOf, resolvedRegions, type RegionIndex } from './regions';

const STRENGTH: Readonly<Record<EdgeKind, number>> = { dependency: 0, pause: 1, end: 2 };

/**
 * A node's id: a hash of its tenant's deployment (scoped-id.ts: `<tenant>.<deployment_id>`, the
 * deployment id alone without a tenant), resource id and region. Resources carry it as their
 * `mgraph:node-id` and ownership goes by it, so one tenant's config can never name another
 * tenant's resources, whatever ids it uses.
 */
export const nodeIdOf = (
  deploymentId: string,
  tenant: string | null,
  resourceId: string,
  region: string | null,
): string => shortHash(`${scopedId(deploymentId, tenant)}\u0000${resourceId}\u0000${region ?? ''}`, 12);

type Placement = { readonly node_id: string; readonly region: string | null };

/** A step package's type pins its version on the node; a built-in type adds nothing. */
const packageOf = (entry: CatalogEntry | undefined): Pick<SpecNode, 'package'> =>
  entry?.package
    ? { package: { name: entry.package.name, version: entry.package.version, hash: entry.package.hash } }
    : {};

/** The spec graph of a validated config, for a tenant's runs (null: runs without a tenant). */
export function buildSpecGraph(config: DeploymentConfig, catalog: ResourceCatalog, tenant: string | null): SpecGraph {
  const ids = Object.keys(config.resources).sort();
  const regions = resolvedRegions(config);
  const placements = new Map<string, RegionIndex<Placement>>();
  for (const id of ids) {
    const resource = config.resources[id];
    const entry = resource ? catalog.get(resource.type) : undefined;
    if (!resource || !entry)
      throw new UnvalidatedConfigError(`resource "${id}" has an unknown type (validate the config first)`);
    const placed = regionsOf(entry, resource.region, regions).map((region) => ({
      node_id: nodeIdOf(config.deployment_id, tenant, id, region),
      region,
    }));
    placements.set(
      id,
      indexRegions(placed, (p) => p.region),
    );
  }

  /** The nodes of `target` that a node in `region` depends on (see the header). */
  const predecessors = (target: string, region: string | null, selector: string | null): readonly Placement[] => {
    const placed = placements.get(target);
    const chosen = placed ? predecessorsIn(placed, region, selector) : [];
    if (chosen.length === 0)
      throw new UnvalidatedConfigError(
        `no node of "${target}"${selector === null ? '' : ` in ${selector}`} (validate the config first)`,
      );
    return chosen;
  };

  const edges = new Map<string, SpecEdge>();
  const addEdge = (from: string, to: string, kind: EdgeKind): void => {
    const key = `${from}>${to}`;
    const existing = edges.get(key);
    if (!existing || STRENGTH[kind] > STRENGTH[existing.kind]) edges.set(key, { from, to, kind });
  };

  const nodes: SpecNode[] = [];
  for (const id of ids) {
    const resource = config.resources[id] as DeploymentConfig['resources'][string];
    for (const { node_id, region } of placements.get(id)?.all ?? []) {
      const references: Record<string, NodeReference> = {};
      for (const [name, raw] of Object.entries(resource.references)) {
        const ref = parseReference(raw);
        if (!ref)
          throw new UnvalidatedConfigError(
            `resources.${id}.references.${name}: "${raw}" is not a reference (validate the config first)`,
          );
        const from = predecessors(ref.resource, region, ref.region);
        // predecessorsIn picks the node in its own region alone; else they come in the order listed.
        const target = from[0] as Placement;
        references[name] = {
          raw,
          node_id: target.node_id,
          resource_id: ref.resource,
          region: target.region,
          output: ref.output,
        };
        for (const predecessor of from) addEdge(predecessor.node_id, node_id, 'dependency');
      }
      for (const dep of resource.depends_on) {
        const [target, kind] = typeof dep === 'string' ? [dep, 'dependency' as const] : [dep.resource, dep.edge];
        for (const predecessor of predecessors(target, region, null)) addEdge(predecessor.node_id, node_id, kind);
      }
      nodes.push({
        node_id,
        resource_id: id,
        type: resource.type,
        operation: resource.operation,
        region,
        properties: resource.properties,
        references,
        tags: resource.tags,
        ...(resource.point_of_no_return ? { point_of_no_return: true as const } : {}),
        ...packageOf(catalog.get(resource.type)),
      });
    }
  }

  const sortedEdges = sortEdges([...edges.values()]);
  return {
    graph_id: graphIdOf(config.deployment_id, config.version, nodes, sortedEdges),
    deployment_id: config.deployment_id,
    version: config.version,
    nodes,
    edges: sortedEdges,
  };
}

/** Edges in their canonical order (by from, then to), in place. */
export const sortEdges = (edges: SpecEdge[]): SpecEdge[] =>
  edges.sort((a, b) => (a.from !== b.from ? (a.from < b.from ? -1 : 1) : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));

/** Keys of a spec node, sorted as canonicalJson sorts them. */
const NODE_KEYS = ['node_id', 'operation', 'properties', 'references', 'region', 'resource_id', 'tags', 'type'];

/** canonicalJson(node), written key by key when it has exactly the keys of a spec node, all defined: the same text. */
function nodeJson(node: SpecNode): string {
  const fields = node as unknown as Record<string, unknown>;
  const exact =
    typeof node === 'object' &&
    node !== null &&
    Object.keys(node).length === NODE_KEYS.length &&
    NODE_KEYS.every((key) => Object.prototype.propertyIsEnumerable.call(node, key) && fields[key] !== undefined);
  if (!exact) return canonicalJson(node);
  return `{${NODE_KEYS.map((key) => `"${key}":${canonicalJson(fields[key])}`).join(',')}}`;
}

/** An edge of string fields only: JSON.stringify writes it as canonicalJson does once its keys are in order. */
const plainEdge = (edge: SpecEdge): boolean =>
  typeof edge === 'object' &&
  edge !== null &&
  typeof edge.from === 'string' &&
  typeof edge.kind === 'string' &&
  typeof edge.to === 'string' &&
  Object.keys(edge).length === 3 &&
  Object.hasOwn(edge, 'from') &&
  Object.hasOwn(edge, 'kind') &&
  Object.hasOwn(edge, 'to');

/** The content hash of a graph (same deployment, version, nodes and edges → same id); edges come sorted. */
export function graphIdOf(
  deploymentId: string,
  version: string,
  nodes: readonly SpecNode[],
  sortedEdges: readonly SpecEdge[],
): string {
  // canonicalJson({ deployment_id, edges, nodes (by node_id), version }), written faster: the same text.
  const sorted = [...nodes].sort((a, b) => (a.node_id < b.node_id ? -1 : 1));
  const edges = sortedEdges.every(plainEdge)
    ? JSON.stringify(sortedEdges.map(({ from, kind, to }) => ({ from, kind, to })))
    : canonicalJson(sortedEdges);
  const fields = [
    ['deployment_id', deploymentId === undefined ? undefined : canonicalJson(deploymentId)],
    ['edges', edges],
    ['nodes', `[${sorted.map(nodeJson).join(',')}]`],
    ['version', version === undefined ? undefined : canonicalJson(version)],
  ];
  const json = fields.flatMap(([key, value]) => (value === undefined ? [] : [`"${key}":${value}`])).join(',');
  return shortHash(`{${json}}`, 16);
}
