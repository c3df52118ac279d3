/**
 * Test fixture hooks of `core:delay`, kept apart from what the type does for users (wait, echo):
 *
 * - fault injection: `fail_times` failing attempts (retryable unless `non_retryable`), so tests,
 *   benchmarks and operators' drills can make a node fail on purpose;
 * - the effect ledger: when the worker has LEDGER_DIR, every real effect appends a line to
 *   `<ledger>/<run_key>/<node_id>.jsonl`, and an apply adopts an earlier apply of the same run, so
 *   a second `apply` line for one node means a duplicated side effect (chaos runs count them).
 *
 * Neither does anything unless a config asks for failures or the worker is given a ledger folder.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget, OperationContext } from '../resource-type';

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
};

interface Faults {
  readonly fail_times: number;
  readonly fail_message: string;
  readonly non_retryable: boolean;
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

export async function ledgerEvents(file: string | null): Promise<LedgerEvent[]> {
  if (!file) return [];
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { event: LedgerEvent }).event);
}

export async function recordEffect(file: string | null, event: LedgerEvent, attempt: number): Promise<void> {
  if (!file) return;
  await mkdir(join(file, '..'), { recursive: true });
  await appendFile(file, `${JSON.stringify({ event, attempt, at: new Date().toISOString() })}\n`);
}
