/**
 * Test fixture hooks of `core:delay`, kept apart from what the type does for users (wait, echo):
 *
 * - fault injection: `fail_times` failing attempts (retryable unless `non_retryable`), so tests,
 *   benchmarks and operators' drills can make a node fail on purpose;
 * - a pending effect: `pending_looks` answers of `pending` (src/workflows/pending-wait.ts) before
 *   the apply is done, looked at every `pending_interval_ms` doubling, failing past `pending_timeout_ms`;
 * - the effect ledger: when the worker has LEDGER_DIR, every real effect appends a line to
 *   `<ledger>/<run_key>/<node_id>.jsonl`, and an apply adopts an earlier apply of the same run, so
 *   a second `apply` line for one node means a duplicated side effect (chaos runs count them).
 *
 * Neither does anything unless a config asks for failures or the worker is given a ledger folder.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { OperationError } from '../../providers/operation-error';
import type { ApplyResult, NodeTarget, OperationContext } from '../resource-type';

/** The fault-injection properties, each described as a fixture in the published schema. */
export const faultProperties = {
  fail_times: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .meta({ description: 'Test fixture: fail this many attempts before succeeding' }),
  fail_message: z
    .string()
    .max(1_000)
    .default('core:delay failed as configured')
    .meta({ description: 'Test fixture: the injected failure message' }),
  non_retryable: z.boolean().default(false).meta({ description: 'Test fixture: the injected failure is not retried' }),
  pending_looks: z
    .number()
    .int()
    .nonnegative()
    .max(100)
    .default(0)
    .meta({ description: 'Test fixture: the apply answers pending this many times before it is done' }),
  pending_interval_ms: z.number().int().positive().default(100).meta({
    description: 'Test fixture: the first look again after this long, doubling up to 8 times as long',
  }),
  pending_overridable: z
    .boolean()
    .default(false)
    .meta({ description: "Test fixture: an operator's continue naming the node ends its pending wait" }),
  pending_timeout_ms: z
    .number()
    .int()
    .positive()
    .default(86_400_000)
    .meta({ description: 'Test fixture: the node fails with error_type timeout when still pending this long' }),
};

interface Faults {
  readonly fail_times: number;
  readonly fail_message: string;
  readonly non_retryable: boolean;
  readonly pending_looks: number;
  readonly pending_interval_ms: number;
  readonly pending_timeout_ms: number;
  readonly pending_overridable: boolean;
}

/** The fixture's answer after `looked` looks: pending while fewer than `pending_looks` (and not overridden), else `done`. */
export function pendingAnswer(faults: Faults, looked: number, done: ApplyResult, overridden = false): ApplyResult {
  if (overridden) return { ...done, outputs: { ...done.outputs, overridden: true } };
  if (looked >= faults.pending_looks) return done;
  return {
    ...done,
    pending: {
      state: { looked: looked + 1 },
      waiting_on: `look ${looked + 1} of ${faults.pending_looks}`,
      interval_ms: faults.pending_interval_ms,
      max_interval_ms: faults.pending_interval_ms * 8,
      timeout_ms: faults.pending_timeout_ms,
      ...(faults.pending_overridable ? { overridable: 'ends the wait by hand' } : {}),
    },
  };
}

/** Throws the configured failure while this attempt is one of the first `fail_times`. */
export function injectFault(attempt: number, faults: Faults): void {
  if (attempt > faults.fail_times) return;
  throw new OperationError(
    'operation_failed',
    `${faults.fail_message} (attempt ${attempt} of ${faults.fail_times} failing)`,
    { retryable: !faults.non_retryable },
  );
}

export type LedgerEvent = 'apply' | 'compensate' | 'destroy';

/** The run a ledger line belongs to: the workflow passes it as the `$run_key` reference. */
function runKeyOf(target: NodeTarget<unknown>): string {
  const key = target.refs['$run_key'];
  return typeof key === 'string' ? key : 'default';
}

/** This node's ledger in this run, or null when the worker keeps none. */
export function ledgerFile(ctx: OperationContext, target: NodeTarget<unknown>): string | null {
  return ctx.clients.ledgerPath ? join(ctx.clients.ledgerPath, runKeyOf(target), `${target.node.node_id}.jsonl`) : null;
}

/*
 * The ledger is read and written synchronously: a line is a few dozen bytes on a local disk, and the promise-based
 * calls (a file handle and a thread-pool trip each, under the worker's async hooks) cost the worker thread about a
 * fifth of its CPU in the bench's throughput case, which a bare loop of activities (bench section 11) does not pay.
 */
export function ledgerEvents(file: string | null): LedgerEvent[] {
  if (!file || !existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { event: LedgerEvent }).event);
}

export function recordEffect(file: string | null, event: LedgerEvent, attempt: number): void {
  if (!file) return;
  mkdirSync(join(file, '..'), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ event, attempt, at: new Date().toISOString() })}\n`);
}
