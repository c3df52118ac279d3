/**
 * A saved plan (src/model/saved-plan.ts): its input is the plan, read by the API from the start
 * event; the workflow only waits out the plan's lifetime, after which the plan has expired.
 */
import * as wf from '@temporalio/workflow';
import type { SavedPlan } from '../model/saved-plan';

export async function savedPlanWorkflow(plan: SavedPlan): Promise<void> {
  await wf.sleep(Math.max(0, Date.parse(plan.expires_at) - Date.parse(plan.saved_at)));
}
