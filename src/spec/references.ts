/**
 * References between resources. Written in a config as `execution-role` (the whole resource: its
 * identity, i.e. the `arn`, else `id`, else `name` output), `api-lambda.arn` (one output), or
 * `api-lambda[us-east-1].arn` (one output of the resource's node in that region). Resolved from the
 * outputs of completed nodes at the moment a node starts.
 */
import type { NodeReference, SpecNode } from './graph-types';

export interface ParsedReference {
  readonly resource: string;
  readonly region: string | null;
  readonly output: string | null;
}

const PATTERN = /^([a-z0-9][a-z0-9_-]{0,62})(?:\[([a-z0-9-]+)\])?(?:\.([A-Za-z0-9_]+))?$/;

export function parseReference(raw: string): ParsedReference | null {
  const match = PATTERN.exec(raw);
  if (!match) return null;
  return { resource: match[1] as string, region: match[2] ?? null, output: match[3] ?? null };
}

type Outputs = (nodeId: string) => Readonly<Record<string, unknown>> | null | undefined;
export type Resolution = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

export function resolveReference(ref: NodeReference, outputsOf: Outputs): Resolution {
  const outputs = outputsOf(ref.node_id);
  if (!outputs) return { ok: false, message: `reference "${ref.raw}": ${ref.node_id} has not completed, so it has no outputs` };
  const value = ref.output === null ? (outputs['arn'] ?? outputs['id'] ?? outputs['name']) : outputs[ref.output];
  if (value === undefined || value === null) {
    const wanted = ref.output === null ? 'identity (arn, id or name)' : `output "${ref.output}"`;
    return { ok: false, message: `reference "${ref.raw}": node ${ref.node_id} has no ${wanted}; it has ${Object.keys(outputs).join(', ') || 'no outputs'}` };
  }
  return { ok: true, value };
}

export function resolveReferences(node: SpecNode, outputsOf: Outputs): { readonly ok: true; readonly values: Record<string, unknown> } | { readonly ok: false; readonly message: string } {
  const values: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(node.references)) {
    const resolved = resolveReference(ref, outputsOf);
    if (!resolved.ok) return { ok: false, message: `${node.resource_id}.references.${name}: ${resolved.message}` };
    values[name] = resolved.value;
  }
  return { ok: true, values };
}
