/**
 * The workflows' patch markers (`wf.patched`): each names a change of behaviour that
 * recorded histories predate, so they replay the way they ran.
 */

/**
 * Patch marker: a cancel of the workflow itself (Web UI "Cancel", `temporal workflow cancel`, a
 * cancelled schedule trigger) ends the run as `aborted`, like the abort decision. Histories
 * recorded before it ended as cancelled; without the marker they replay that way.
 */
export const CANCEL_AS_ABORT_PATCH = 'cancel-as-abort';

/**
 * Patch marker: a delete node (`operation: "delete"`) of an apply run resolves its references
 * from this run's outputs or else the last apply's, and never fails on one it cannot resolve
 * (deleting needs what the resource is, not what it was given; in a region move the nodes it
 * referenced are themselves being deleted). Before, such a reference failed the node.
 */
export const LENIENT_DELETE_REFS_PATCH = 'lenient-delete-refs';

/**
 * Patch marker: a dry run hands each node the references that resolve from the last apply's
 * outputs (`previous_outputs`, which the API now sends with a DRY_RUN), as a live plan does, so a
 * deployed resource plans as it really is. Before, a dry run planned without any reference.
 */
export const DRY_RUN_REFS_PATCH = 'dry-run-previous-refs';

/**
 * Patch marker: a run reports its start and its end to its deployment's record (the `recordRun`
 * activity; deployment-record.ts), which keeps what is deployed after retention deletes the run's
 * history. Runs recorded before it sent no reports; the API imports their deployments' records
 * from their histories instead.
 */
export const DEPLOYMENT_RECORD_PATCH = 'deployment-record';

/**
 * Patch marker: a schedule's trigger starts its run under the tenant's own id
 * (`deploy-<tenant>.<deployment_id>`, workflowIdFor). Triggers recorded before it started
 * `deploy-<deployment_id>`; without the marker they replay that way.
 */
export const TENANT_WORKFLOW_IDS_PATCH = 'tenant-workflow-ids';

/**
 * Patch marker: decision signals (continue, retry, skip) name nodes by resource id or
 * resource[region] too (updates always do: a refused update leaves no history). Signals recorded
 * before it were ignored when they named a node so; without the marker they replay ignored.
 */
export const NODE_NAMES_PATCH = 'node-names';

/**
 * Patch marker: a halted run's decision timeout counts from when its failed nodes halted it; a
 * control that decides nothing about them (a continue of another node, a breakpoint) no longer
 * restarts it, a retry or skip starts a new one, and another node failing meanwhile (a gate's
 * timeout) ends the wait so the next names it. Before it, every accepted control restarted the
 * wait with a full timeout and a new failure went unseen until then; histories replay that way.
 */
export const DECISION_DEADLINE_PATCH = 'decision-deadline';

/**
 * Patch marker: before the apply of a node whose type reads its undo first
 * (`settings.reads_before_change`), the run reads it in an activity of its own (`prepareNode`), so
 * its history holds the pre-run state before the first change. Needed beside the input's field: a
 * run whose input asked for it but that an older worker began without the read replays without it.
 */
export const UNDO_READ_PATCH = 'undo-read-first';

/**
 * Patch marker: a node's apply makes fewer promises, each of which the SDK's promise hook pays for (about half of the
 * workflow thread's time per node, docs/measurement.md): the activity scope is entered once per batch of starts
 * instead of once per node, and an apply that needs no undo read first and answers done at once skips those two waits.
 * Nodes that finish in the same workflow task are settled in the order their promises resolve, so histories recorded
 * before it replay with the hops they had.
 */
export const FEWER_HOPS_PATCH = 'fewer-hops';

/**
 * Patch marker: a plain apply (no undo read first) is awaited by the walk itself, its answer settled without
 * further waits when it is done: two promises fewer a node than FEWER_HOPS_PATCH, each paid for in the SDK's promise
 * hook. Nodes that finish in the same workflow task settle in the order their promises resolve, so histories
 * recorded before it replay with the hops they had.
 */
export const DIRECT_APPLY_PATCH = 'direct-apply';

/**
 * Patch marker: a plain apply's answer is followed with `then` instead of awaited in an async function, and the walk
 * waits for its next change on the condition's own promise: a promise fewer each node and two each turn of the walk,
 * each paid for in the SDK's promise hook (docs/measurement.md). A node settles in the same turn as when awaited; the walk
 * wakes a turn sooner, so histories recorded before it replay with the turn they had.
 */
export const CHAINED_APPLY_PATCH = 'chained-apply';
