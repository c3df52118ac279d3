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

/** What one attempt of this node needs, or null when its type says nothing. */
function needOf(node: SpecNode): number | null {
  const type = resourceType(node.type);
  if (!type.attemptTimeoutMs) return null;
  const parsed = type.properties.safeParse(node.properties);
  return parsed.success ? type.attemptTimeoutMs(parsed.data) : null;
}

/** The nodes (by id) whose attempts need longer than the default, when the config set no node_timeout. */
export function nodeTimeouts(
  graph: SpecGraph,
  settings: RunSettings,
  nodeTimeoutSet: boolean,
): RunSettings['node_timeouts_ms'] {
  if (nodeTimeoutSet) return undefined;
  const longer = graph.nodes.flatMap((node) => {
    const need = needOf(node);
    return need !== null && need > settings.node_timeout_ms ? [[node.node_id, need] as const] : [];
  });
  return longer.length > 0 ? Object.fromEntries(longer) : undefined;
}

/** The plan's warnings about nodes whose wait a set node_timeout cuts. */
export function nodeTimeoutWarnings(graph: SpecGraph, settings: RunSettings, nodeTimeoutSet: boolean): string[] {
  if (!nodeTimeoutSet) return [];
  return graph.nodes.flatMap((node) => {
    const need = needOf(node);
    return need !== null && need > settings.node_timeout_ms
      ? [
          `${node.resource_id} may need ${formatDuration(need)} in one attempt but settings.node_timeout is ${formatDuration(settings.node_timeout_ms)}: the attempt is cut there and retried; leave node_timeout unset to give it what it needs`,
        ]
      : [];
  });
}
