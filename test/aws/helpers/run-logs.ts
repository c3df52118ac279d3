/** A run's log entries through the workflow's `logs` query (finished runs answer it too while a worker runs). */
import type { WorkflowHandle } from '@temporalio/client';
import type { LogEntry } from '../../../src/model/run-types';
import { logsQuery } from '../../../src/workflows/messages';

export const runLogs = (handle: WorkflowHandle): Promise<LogEntry[]> => handle.query(logsQuery, { since: 0 });
