/** Entry point of the workflow bundle: every workflow the worker runs. */
export { deploymentWorkflow } from './deployment';
export { scheduledRunWorkflow } from './scheduled-run';
export { deploymentRecordWorkflow } from './deployment-record';
export { savedPlanWorkflow } from './saved-plan';
