/**
 * What every start of a deployment run carries, whoever starts it (the API's client start or a
 * schedule's trigger workflow starting it as a child): the memo, search attributes and summary
 * the Web UI shows. Pure, so the workflow bundle can use it.
 */
import type { SearchAttributePair } from '@temporalio/common';
import type { DeploymentInput } from '../model/run-types';
import { deploymentGraphIdKey, deploymentIdKey, deploymentStatusKey, deploymentTenantKey } from './search-attributes';

/** What the Web UI shows beside a run: a summary of its config, never its credentials. */
export function runMemo(input: DeploymentInput): Record<string, unknown> {
  const types: Record<string, number> = {};
  for (const node of input.graph.nodes) types[node.type] = (types[node.type] ?? 0) + 1;
  const regions = [
    ...new Set(input.graph.nodes.map((node) => node.region).filter((r): r is string => r !== null)),
  ].sort();
  return {
    deployment_id: input.graph.deployment_id,
    version: input.graph.version,
    graph_id: input.graph.graph_id,
    action: input.action,
    mode: input.settings.mode,
    on_failure: input.settings.on_failure,
    resources: new Set(input.graph.nodes.map((node) => node.resource_id)).size,
    nodes: input.graph.nodes.length,
    types,
    regions,
    ...(input.move ? { move: { from_region: input.move.from_region, to_region: input.move.to_region } } : {}),
  };
}

/** The deployment's id, graph id and tenant (when set), with the run marked running until the workflow says otherwise. */
export function runSearchAttributes(input: DeploymentInput): SearchAttributePair[] {
  return [
    { key: deploymentIdKey, value: input.graph.deployment_id },
    { key: deploymentGraphIdKey, value: input.graph.graph_id },
    { key: deploymentStatusKey, value: 'running' },
    ...(input.tenant === null ? [] : [{ key: deploymentTenantKey, value: input.tenant }]),
  ];
}

/** The one-line static summary of a run in the Web UI's list. */
export const runSummary = (input: DeploymentInput): string =>
  `${input.move ? `move ${input.move.from_region} → ${input.move.to_region} of` : input.action} ${input.graph.deployment_id} ${input.graph.version} (${input.settings.mode})`;
