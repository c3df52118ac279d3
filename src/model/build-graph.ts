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
 * - Graph id: 16 hex digits of sha256 over the normalized nodes and edges: credentials and
 *   settings are not part of it, key order and target order do not change it.
 */
import type { ResourceCatalog } from './catalog';
import type { DeploymentConfig } from './config-schema';
import { UnvalidatedConfigError } from './errors';
import type { EdgeKind, NodeReference, SpecEdge, SpecGraph, SpecNode } from './graph-types';
import { canonicalJson, shortHash } from './hash';
import { parseReference } from './references';
import { regionsOf } from './regions';

const STRENGTH: Readonly<Record<EdgeKind, number>> = { dependency: 0, pause: 1, end: 2 };

export const nodeIdOf = (deploymentId: string, resourceId: string, region: string | null): string =>
  shortHash(`${deploymentId}\u0000${resourceId}\u0000${region ?? ''}`, 12);

type Placement = { readonly node_id: string; readonly region: string | null };

export function buildSpecGraph(config: DeploymentConfig, catalog: ResourceCatalog): SpecGraph {
  const ids = Object.keys(config.resources).sort();
  const placements = new Map<string, Placement[]>();
  for (const id of ids) {
    const resource = config.resources[id];
    const entry = resource ? catalog.get(resource.type) : undefined;
    if (!resource || !entry)
      throw new UnvalidatedConfigError(`resource "${id}" has an unknown type (validate the config first)`);
    placements.set(
      id,
      regionsOf(entry, resource.region, config).map((region) => ({
        node_id: nodeIdOf(config.deployment_id, id, region),
        region,
      })),
    );
  }

  /** The nodes of `target` that a node in `region` depends on (see the header). */
  const predecessors = (target: string, region: string | null, selector: string | null): Placement[] => {
    const nodes = placements.get(target) ?? [];
    const chosen =
      selector !== null
        ? nodes.filter((n) => n.region === selector)
        : nodes.length === 1
          ? nodes
          : nodes.some((n) => n.region === region)
            ? nodes.filter((n) => n.region === region)
            : nodes;
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
    for (const { node_id, region } of placements.get(id) ?? []) {
      const references: Record<string, NodeReference> = {};
      for (const [name, raw] of Object.entries(resource.references)) {
        const ref = parseReference(raw);
        if (!ref)
          throw new UnvalidatedConfigError(
            `resources.${id}.references.${name}: "${raw}" is not a reference (validate the config first)`,
          );
        const from = predecessors(ref.resource, region, ref.region);
        const target = from.find((n) => n.region === region) ?? (from[0] as Placement);
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

/** The content hash of a graph (same deployment, version, nodes and edges → same id); edges come sorted. */
export function graphIdOf(
  deploymentId: string,
  version: string,
  nodes: readonly SpecNode[],
  sortedEdges: readonly SpecEdge[],
): string {
  const normalized = {
    deployment_id: deploymentId,
    version,
    nodes: [...nodes].sort((a, b) => (a.node_id < b.node_id ? -1 : 1)),
    edges: sortedEdges,
  };
  return shortHash(canonicalJson(normalized), 16);
}
