/**
 * A validated config → the spec graph. Node ids are stable hashes of (deployment, resource,
 * region), so redeploying the same config addresses the same physical resources; the graph id is
 * a hash of the normalized spec without credentials and settings. Regional resources expand to
 * one node per region; edges between regional resources stay within a region; a reference implies
 * a dependency edge. When depends_on and references name the same resource, the strongest edge
 * kind wins (end > pause > dependency).
 */
import type { ResourceCatalog } from './catalog';
import type { DeploymentConfig } from './config-schema';
import type { EdgeKind, NodeReference, SpecEdge, SpecGraph, SpecNode } from './graph-types';
import { canonicalJson, shortHash } from './hash';
import { parseReference } from './references';
import { regionsOf } from './regions';

const STRENGTH: Readonly<Record<EdgeKind, number>> = { dependency: 0, pause: 1, end: 2 };

export const nodeIdOf = (deploymentId: string, resourceId: string, region: string | null): string =>
  shortHash(`${deploymentId}\u0000${resourceId}\u0000${region ?? ''}`, 12);

export function buildSpecGraph(config: DeploymentConfig, catalog: ResourceCatalog): SpecGraph {
  const ids = Object.keys(config.resources).sort();
  const nodesOf = new Map<string, Map<string | null, string>>();
  for (const id of ids) {
    const resource = config.resources[id];
    const entry = resource ? catalog.get(resource.type) : undefined;
    if (!resource || !entry) throw new Error(`buildSpecGraph: resource "${id}" has an unknown type (validate the config first)`);
    nodesOf.set(id, new Map(regionsOf(entry, resource.region, config).map((region) => [region, nodeIdOf(config.deployment_id, id, region)])));
  }

  /** The node of `target` that a node in `region` depends on; all of them when there is no match. */
  const counterparts = (target: string, region: string | null, selector: string | null): string[] => {
    const nodes = nodesOf.get(target) as Map<string | null, string>;
    if (selector !== null) return [nodes.get(selector) as string];
    if (nodes.has(null)) return [nodes.get(null) as string];
    const same = region === null ? undefined : nodes.get(region);
    return same ? [same] : [...nodes.values()];
  };

  const edges = new Map<string, SpecEdge>();
  const addEdge = (from: string, to: string, kind: EdgeKind): void => {
    const key = `${from}>${to}`;
    const existing = edges.get(key);
    if (!existing || STRENGTH[kind] > STRENGTH[existing.kind]) edges.set(key, { from, to, kind });
  };

  const nodes: SpecNode[] = [];
  for (const id of ids) {
    const resource = config.resources[id];
    if (!resource) continue;
    for (const [region, nodeId] of nodesOf.get(id) as Map<string | null, string>) {
      const references: Record<string, NodeReference> = {};
      for (const [name, raw] of Object.entries(resource.references)) {
        const ref = parseReference(raw);
        if (!ref) continue;
        const [target] = counterparts(ref.resource, region, ref.region);
        references[name] = { raw, node_id: target as string, output: ref.output };
        for (const from of counterparts(ref.resource, region, ref.region)) addEdge(from, nodeId, 'dependency');
      }
      for (const dep of resource.depends_on) {
        const [target, kind] = typeof dep === 'string' ? [dep, 'dependency' as const] : [dep.resource, dep.edge];
        for (const from of counterparts(target, region, null)) addEdge(from, nodeId, kind);
      }
      nodes.push({ node_id: nodeId, resource_id: id, type: resource.type, operation: resource.operation, region, properties: resource.properties, references, tags: resource.tags });
    }
  }

  const normalized = { deployment_id: config.deployment_id, version: config.version, targets: config.targets, resources: config.resources };
  return {
    graph_id: shortHash(canonicalJson(normalized), 16),
    deployment_id: config.deployment_id,
    version: config.version,
    nodes,
    edges: [...edges.values()].sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1)),
  };
}
