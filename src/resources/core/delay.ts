/**
 * `core:delay`: waits `duration_ms`, optionally failing its first `fail_times` attempts, and echoes
 * `outputs`. Used by tests, benchmarks and chaos runs as a stand-in for a real provider call.
 * When the worker has a ledger folder, every real effect appends a line to
 * `<ledger>/<run_key>/<node_id>.jsonl`; apply adopts an earlier apply of the same run instead of
 * repeating it, so a second `apply` line for one node means a duplicated side effect.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget, OperationContext, ResourceType } from '../resource-type';

const properties = z.object({
  duration_ms: z.number().int().nonnegative().max(86_400_000).default(0),
  fail_times: z.number().int().nonnegative().default(0),
  fail_message: z.string().max(1_000).default('core:delay failed as configured'),
  non_retryable: z.boolean().default(false),
  outputs: z.record(z.string(), z.unknown()).default({}),
}).strict();

export type DelayProperties = z.output<typeof properties>;

type LedgerEvent = 'apply' | 'compensate' | 'destroy';

function ledgerFile(ctx: OperationContext, target: NodeTarget<DelayProperties>, runKey: string): string | null {
  return ctx.clients.ledgerPath ? join(ctx.clients.ledgerPath, runKey, `${target.node.node_id}.jsonl`) : null;
}

async function ledgerEvents(file: string | null): Promise<LedgerEvent[]> {
  if (!file) return [];
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { event: LedgerEvent }).event);
}

async function record(file: string | null, event: LedgerEvent, attempt: number): Promise<void> {
  if (!file) return;
  await mkdir(join(file, '..'), { recursive: true });
  await appendFile(file, `${JSON.stringify({ event, attempt, at: new Date().toISOString() })}\n`);
}

/** Sleeps in slices so the worker heartbeats and a cancellation stops the wait. */
async function wait(ctx: OperationContext, ms: number): Promise<void> {
  let left = ms;
  while (left > 0) {
    const slice = Math.min(left, 1_000);
    await sleep(slice, undefined, { signal: ctx.signal });
    left -= slice;
    ctx.heartbeat({ remaining_ms: left });
  }
}

/** The run a ledger line belongs to: the workflow passes it as the `run_key` reference. */
const runKeyOf = (target: NodeTarget<DelayProperties>): string => {
  const key = target.refs['$run_key'];
  return typeof key === 'string' ? key : 'default';
};

export const coreDelay: ResourceType<DelayProperties> = {
  type: 'core:delay',
  provider: 'core',
  description: 'Waits, optionally fails its first attempts, and echoes outputs. For tests, benchmarks and drills.',
  regional: false,
  properties,

  async plan(ctx, target) {
    const applied = (await ledgerEvents(ledgerFile(ctx, target, runKeyOf(target)))).includes('apply');
    return { action: applied ? 'no-op' : 'create', diff: [], warnings: [] };
  },

  async apply(ctx, target) {
    const { properties: p } = target;
    const file = ledgerFile(ctx, target, runKeyOf(target));
    if ((await ledgerEvents(file)).includes('apply')) {
      ctx.log('adopted the earlier apply of this run');
      return { outputs: { ...p.outputs, adopted: true }, undo: { created: false } };
    }
    await wait(ctx, p.duration_ms);
    if (ctx.attempt <= p.fail_times) {
      throw new OperationError('operation_failed', `${p.fail_message} (attempt ${ctx.attempt} of ${p.fail_times} failing)`, { retryable: !p.non_retryable });
    }
    await record(file, 'apply', ctx.attempt);
    return { outputs: { ...p.outputs }, undo: { created: true } };
  },

  async verify(ctx, target) {
    const file = ledgerFile(ctx, target, runKeyOf(target));
    if (!file) return { drift: [] };
    const events = await ledgerEvents(file);
    const exists = events.lastIndexOf('apply') > Math.max(events.lastIndexOf('compensate'), events.lastIndexOf('destroy'));
    return { drift: exists ? [] : [{ property: 'exists', desired: true, actual: false }] };
  },

  async compensate(ctx, target, undo) {
    if (undo?.['created'] !== true) return { outcome: 'nothing to undo (adopted)' };
    await wait(ctx, Math.min(target.properties.duration_ms, 1_000));
    await record(ledgerFile(ctx, target, runKeyOf(target)), 'compensate', ctx.attempt);
    return { outcome: 'compensated' };
  },

  async destroy(ctx, target) {
    await record(ledgerFile(ctx, target, runKeyOf(target)), 'destroy', ctx.attempt);
  },
};
