/**
 * How long one attempt of each node may take. A config without `settings.node_timeout` gives each
 * node the longer of DEFAULT_NODE_TIMEOUT_MS and what its type needs for a wait made inside the
 * attempt (github:action:trigger waiting for its run: its timeout_ms); a config that sets it gets
 * exactly that for every node, and its plan warns of each node whose wait is longer, since such
 * an attempt is cut at the limit and retried.
 */
import type { SpecGraph, SpecNode } from '../../model/graph-types';
import { formatDuration } from '../../model/duration';
import type { RunSettings } from '../../model/run-types';
import { resourceType } from '../../resources/registry';

interface MaySetTimeout {
  readonly node_timeout?: unknown;
}

/** Whether the config, or the request's settings overrides, set node_timeout. */
export const nodeTimeoutSet = (...settings: readonly (MaySetTimeout | undefined)[]): boolean =>
  settings.some((s) => s?.node_timeout !== undefined);

/** The nodes whose type needs longer than `settings.node_timeout_ms` for one attempt, with what they need. */
function longerNeeds(graph: SpecGraph, settings: RunSettings): [SpecNode, number][] {
  return graph.nodes.flatMap((node): [SpecNode, number][] => {
    const type = resourceType(node.type);
    const parsed = type.attemptTimeoutMs ? type.properties.safeParse(node.properties) : null;
    const need = parsed?.success ? type.attemptTimeoutMs?.(parsed.data) : undefined;
    return need !== undefined && need > settings.node_timeout_ms ? [[node, need]] : [];
  });
}

/** The nodes (by id) whose attempts need longer than the default, when the config set no node_timeout. */
export function nodeTimeouts(
  graph: SpecGraph,
  settings: RunSettings,
  nodeTimeoutSet: boolean,
): RunSettings['node_timeouts_ms'] {
  const longer = nodeTimeoutSet ? [] : longerNeeds(graph, settings);
  return longer.length > 0 ? Object.fromEntries(longer.map(([node, need]) => [node.node_id, need])) : undefined;
}

/** The plan's warnings about nodes whose wait a set node_timeout cuts. */
export function nodeTimeoutWarnings(graph: SpecGraph, settings: RunSettings, nodeTimeoutSet: boolean): string[] {
  if (!nodeTimeoutSet) return [];
  const limit = formatDuration(settings.node_timeout_ms);
  return longerNeeds(graph, settings).map(
    ([node, need]) =>
      `${node.resource_id} may need ${formatDuration(need)} in one attempt but settings.node_timeout is ${limit}: the attempt is cut there and retried; leave node_timeout unset to give it what it needs`,
  );
}
