/**
 * How operators name nodes: by node id, by the resource's id in the config (`approve`), or by
 * `resource[region]` for a resource deployed to several regions (`api[eu-west-1]`). A name that
 * fits several nodes, or none, is refused with the names that would fit.
 */
interface Named {
  readonly node_id: string;
  readonly resource_id: string;
  readonly region: string | null;
}

export const nodeLabel = (node: Named): string =>
  node.region === null ? node.resource_id : `${node.resource_id}[${node.region}]`;

const REGIONAL = /^(.+)\[([a-z0-9-]+)\]$/;

/** The node id `name` names among `nodes`; throws saying why not (unknown, or which nodes it could mean). */
export function resolveNodeName(nodes: Iterable<Named>, name: string): string {
  const all = [...nodes];
  if (all.some((node) => node.node_id === name)) return name;
  const regional = REGIONAL.exec(name);
  const matches = regional
    ? all.filter((node) => node.resource_id === regional[1] && node.region === regional[2])
    : all.filter((node) => node.resource_id === name);
  const [only, ...more] = matches;
  if (only && more.length === 0) return only.node_id;
  if (only)
    throw new Error(
      `"${name}" names ${matches.length} nodes: say which, e.g. ${matches.map((node) => `"${nodeLabel(node)}"`).join(', ')}`,
    );
  throw new Error(`no node "${name}" in this deployment: name one by its resource id (or resource[region]) or node id`);
}

/** How many nodes a log line names before it counts the rest. */
const NAMES_IN_A_LINE = 5;

/** Nodes as the config names them, for a log line: the first few, then how many more. */
export function namesInLine(nodes: ReadonlyMap<string, Named>, ids: readonly string[]): string {
  if (ids.length === 0) return 'no node';
  const shown = ids.slice(0, NAMES_IN_A_LINE).map((id) => {
    const node = nodes.get(id);
    return node ? nodeLabel(node) : id;
  });
  const more = ids.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}
