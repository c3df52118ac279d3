/**
 * The input of a region move: the last apply's stored input, its graph turned into a move graph
 * (src/model/move-graph.ts), with that apply's outputs (the deletes use them) and the run's
 * credentials, mode and failure policy.
 */
import { moveGraph } from '../../model/move-graph';
import type { DeploymentInput, SealedCredentials } from '../../model/run-types';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { ValidationError } from '../errors/api-errors';
import type { MoveRequest } from '../schemas/move';
import { requireDeployedGraph, storedApply } from './run-input';

export async function moveInput(ctx: ApiContext, principal: Principal, request: MoveRequest): Promise<DeploymentInput> {
  const { outputs, input: stored } = await storedApply(
    ctx,
    principal,
    request.deployment_id,
    `an apply of deployment "${request.deployment_id}" to move`,
  );
  requireDeployedGraph(request.deployment_id, stored, request.graph_id);
  const moved = moveGraph(
    stored.graph,
    {
      from_region: request.from_region,
      to_region: request.to_region,
      delete_old: request.delete_after_verify,
    },
    principal.tenant,
  );
  if (!moved.ok) throw new ValidationError([...moved.problems]);
  return {
    action: 'apply',
    graph: moved.graph,
    settings: { ...stored.settings, on_failure: request.on_failure, mode: request.mode ?? 'FULL' },
    credentials: (request.credentials ?? stored.credentials) as SealedCredentials | null,
    tenant: principal.tenant,
    previous_outputs: outputs,
    move: moved.move,
  };
}
