/**
 * References between resources. Written in a config as `execution-role` (the whole resource: its
 * identity, i.e. the `arn`, else `id`, else `name` output), `api-lambda.arn` (one output), or
 * `api-lambda[us-east-1].arn` (one output of the resource's node in that region). Without a
 * `[region]`, a reference to a resource deployed to several regions reads its node in the
 * referencing node's own region; from a node without a region (a GitHub secret), its node in the
 * first region listed, which the plan warns about (regionChoiceWarnings). Resolved from the
 * outputs of completed nodes at the moment a node starts.
 */
import { RESOURCE_ID_BODY } from './resource-id';
import type { NodeReference, SpecGraph, SpecNode } from './graph-types';

export interface ParsedReference {
  readonly resource: string;
  /** The `[region]` selector, if any. */
  readonly region: string | null;
  readonly output: string | null;
}

const PATTERN = new RegExp(`^(${RESOURCE_ID_BODY})(?:\\[([a-z0-9-]+)\\])?(?:\\.([A-Za-z0-9_]+))?$`);

export function parseReference(raw: string): ParsedReference | null {
  const match = PATTERN.exec(raw);
  if (!match) return null;
  return { resource: match[1] as string, region: match[2] ?? null, output: match[3] ?? null };
}

/** Outputs of a node by id: null or undefined while it has none (not completed). */
export type OutputsOf = (nodeId: string) => Readonly<Record<string, unknown>> | null | undefined;
export type Resolution =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string };

/** How many output names a message lists before it says "…". */
const LISTED_OUTPUTS = 20;

function outputNames(outputs: Readonly<Record<string, unknown>>): string {
  const names = Object.keys(outputs);
  if (names.length === 0) return 'it has no outputs';
  const listed = names.slice(0, LISTED_OUTPUTS).join(', ');
  return `its outputs: ${listed}${names.length > LISTED_OUTPUTS ? ', …' : ''}`;
}

export function resolveReference(ref: NodeReference, outputsOf: OutputsOf): Resolution {
  const node = `node ${ref.resource_id}${ref.region === null ? '' : ` (${ref.region})`}`;
  const outputs = outputsOf(ref.node_id);
  if (!outputs)
    return { ok: false, message: `reference "${ref.raw}": ${node} has not completed, so it has no outputs` };
  const value = ref.output === null ? (outputs['arn'] ?? outputs['id'] ?? outputs['name']) : outputs[ref.output];
  if (value === undefined || value === null) {
    const wanted = ref.output === null ? 'identity output (arn, id or name)' : `output "${ref.output}"`;
    return { ok: false, message: `reference "${ref.raw}": ${node} has no ${wanted}; ${outputNames(outputs)}` };
  }
  return { ok: true, value };
}

/** Every reference of `node`, by name; the first that cannot be resolved fails them all. */
export function resolveReferences(
  node: SpecNode,
  outputsOf: OutputsOf,
): { readonly ok: true; readonly values: Record<string, unknown> } | { readonly ok: false; readonly message: string } {
  const values: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(node.references)) {
    const resolved = resolveReference(ref, outputsOf);
    if (!resolved.ok) return { ok: false, message: `${node.resource_id}.references.${name}: ${resolved.message}` };
    values[name] = resolved.value;
  }
  return { ok: true, values };
}

/** The references of `node` that resolve, by name; the others are left out (a plan shows them as pending). */
export function resolvableReferences(node: SpecNode, outputsOf: OutputsOf): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(node.references)) {
    const resolved = resolveReference(ref, outputsOf);
    if (resolved.ok) values[name] = resolved.value;
  }
  return values;
}

/**
 * One plan warning per reference that names no region, made by a node without one, to a resource
 * with nodes in several regions: the region it reads (buildSpecGraph picked the first listed) and
 * how to select another.
 */
export function regionChoiceWarnings(graph: Pick<SpecGraph, 'nodes'>): string[] {
  const regions = new Map<string, string[]>();
  for (const { resource_id, region } of graph.nodes) {
    if (region === null) continue;
    const listed = regions.get(resource_id);
    if (listed) listed.push(region);
    else regions.set(resource_id, [region]);
  }
  const warnings: string[] = [];
  for (const node of graph.nodes) {
    if (node.region !== null) continue;
    for (const [name, ref] of Object.entries(node.references)) {
      const listed = regions.get(ref.resource_id) ?? [];
      const other = listed.find((region) => region !== ref.region);
      if (other === undefined || parseReference(ref.raw)?.region !== null) continue;
      const selected = `${ref.resource_id}[${other}]${ref.output === null ? '' : `.${ref.output}`}`;
      warnings.push(
        `${node.resource_id}.references.${name}: "${ref.raw}" reads ${ref.resource_id} in ${String(ref.region)}, the first of its regions (${listed.join(', ')}); to read another region, select it: "${selected}"`,
      );
    }
  }
  return warnings;
}
