/**
 * Which types of an apply's graph read their undo before changing anything (their `prepare`): the
 * workflow then runs that read as a step of its own, so its history holds each node's pre-run state
 * before the first change (src/workflows/node-calls.ts). Every apply the API starts or schedules gets it.
 */
import type { DeploymentInput } from '../../model/run-types';
import { registry } from '../../resources/registry';

export function withUndoReads(input: DeploymentInput): DeploymentInput {
  if (input.action !== 'apply') return input;
  const types = [...new Set(input.graph.nodes.map((node) => node.type))]
    .filter((type) => registry.get(type)?.prepare !== undefined)
    .sort();
  return types.length === 0 ? input : { ...input, settings: { ...input.settings, reads_before_change: types } };
}
