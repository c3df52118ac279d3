/** A run of this deployment is active: the lock refused a second one. */
export class DeploymentAlreadyRunning extends Error {
  override readonly name = 'DeploymentAlreadyRunning';
  constructor(
    readonly workflowId: string,
    readonly runId: string,
  ) {
    super(`deployment is already running as ${workflowId} (run ${runId})`);
  }
}
