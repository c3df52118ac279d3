/**
 * Saved plans (seed 001: `POST /deploy/plan` with `validate_only: false`): the config a client
 * reviewed, kept under its graph id so that `POST /deploy/apply {graph_id}` runs exactly that
 * (Terraform's `plan -out`, then `apply <planfile>`). Temporal holds each one as a small workflow
 * that waits out its lifetime (`plan-<tenant>.<graph_id>`): every API instance reads the same, no
 * database of its own. Pure: ids, the record, and what differs between two graphs.
 */
import type { DeploymentConfig } from './config-schema';
import type { SpecGraph, SpecNode } from './graph-types';
import { canonicalJson } from './hash';
import type { RunMode } from './run-types';
import { scopedId } from './scoped-id';

export const SAVED_PLAN_WORKFLOW = 'savedPlanWorkflow';
export const planIdFor = (graphId: string, tenant: string | null): string => `plan-${scopedId(graphId, tenant)}`;

/** How long a saved plan can be applied. */
export const SAVED_PLAN_LIFETIME_MS = 7 * 86_400_000;

export interface SavedPlan {
  readonly graph_id: string;
  readonly deployment_id: string;
  readonly tenant: string | null;
  /** The validated config, credentials still sealed. */
  readonly config: DeploymentConfig;
  readonly mode: RunMode;
  readonly saved_at: string;
  readonly expires_at: string;
}

const label = (node: SpecNode): string =>
  node.region === null ? node.resource_id : `${node.resource_id}[${node.region}]`;

/** What a graph changes of a saved one, one line per difference (empty when they are the same). */
export function graphDifferences(saved: SpecGraph, offered: SpecGraph): string[] {
  const before = new Map(saved.nodes.map((node) => [node.node_id, node]));
  const after = new Map(offered.nodes.map((node) => [node.node_id, node]));
  const lines: string[] = [];
  if (saved.version !== offered.version) lines.push(`version ${saved.version} → ${offered.version}`);
  for (const [id, node] of after) {
    const was = before.get(id);
    if (!was) lines.push(`added ${label(node)}`);
    else if (canonicalJson(was) !== canonicalJson(node)) lines.push(`changed ${label(node)}`);
  }
  for (const [id, node] of before) if (!after.has(id)) lines.push(`removed ${label(node)}`);
  const edges = (graph: SpecGraph): string => canonicalJson(graph.edges);
  if (lines.length === 0 && edges(saved) !== edges(offered)) lines.push('dependencies changed');
  return lines;
}
