/**
 * `core:delay`: waits `duration_ms` and echoes `outputs` (a soak time between steps, a stand-in
 * for a provider call in tests, benchmarks and drills). Its test fixture hooks, fault injection
 * (`fail_times`) and the effect ledger (LEDGER_DIR), live in fixture-hooks.ts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { OperationContext, ResourceType } from '../resource-type';
import { faultProperties, injectFault, ledgerEvents, ledgerFile, pendingAnswer, recordEffect } from './fixture-hooks';

const properties = z
  .object({
    duration_ms: z.number().int().nonnegative().max(86_400_000).default(0),
    outputs: z.record(z.string(), z.unknown()).default({}),
    ...faultProperties,
  })
  .strict();

export type DelayProperties = z.output<typeof properties>;

/**
 * Sleeps in slices so the worker heartbeats between them and a cancellation stops the wait. No heartbeat after the
 * last slice: the activity's completion follows, and each heartbeat is a call the server persists.
 */
async function wait(ctx: OperationContext, ms: number): Promise<void> {
  let left = ms;
  while (left > 0) {
    const slice = Math.min(left, 1_000);
    await sleep(slice, undefined, { signal: ctx.signal });
    left -= slice;
    if (left > 0) ctx.heartbeat({ remaining_ms: left });
  }
}

export const coreDelay: ResourceType<DelayProperties> = {
  type: 'core:delay',
  provider: 'core',
  description:
    'Waits and echoes outputs. Test fixture hooks: fail_times injects failures; pending_looks answers pending; LEDGER_DIR records each effect.',
  regional: false,
  properties,
  // The wait, and a minute for the ledger around it.
  attemptTimeoutMs: (p) => p.duration_ms + 60_000,

  plan(ctx, target) {
    const applied = ledgerEvents(ledgerFile(ctx, target)).includes('apply');
    return Promise.resolve({ action: applied ? 'no-op' : 'create', diff: [], warnings: [] });
  },

  async apply(ctx, target) {
    const { properties: p } = target;
    const file = ledgerFile(ctx, target);
    if (ledgerEvents(file).includes('apply')) {
      ctx.log('adopted the earlier apply of this run');
      return { outputs: { ...p.outputs, adopted: true }, undo: { created: false } };
    }
    await wait(ctx, p.duration_ms);
    injectFault(ctx.attempt, p);
    recordEffect(file, 'apply', ctx.attempt);
    return pendingAnswer(p, 0, { outputs: { ...p.outputs }, undo: { created: true } });
  },

  poll: (_ctx, target, state) =>
    Promise.resolve(
      pendingAnswer(
        target.properties,
        Number(state['looked']),
        { outputs: { ...target.properties.outputs }, undo: null },
        state['$override'] === true,
      ),
    ),

  verify(ctx, target) {
    const file = ledgerFile(ctx, target);
    if (!file) return Promise.resolve({ drift: [] });
    const events = ledgerEvents(file);
    const exists =
      events.lastIndexOf('apply') > Math.max(events.lastIndexOf('compensate'), events.lastIndexOf('destroy'));
    return Promise.resolve({ drift: exists ? [] : [{ property: 'exists', desired: true, actual: false }] });
  },

  async compensate(ctx, target, undo) {
    if (undo?.['created'] !== true) return { outcome: 'nothing to undo (adopted)' };
    await wait(ctx, Math.min(target.properties.duration_ms, 1_000));
    recordEffect(ledgerFile(ctx, target), 'compensate', ctx.attempt);
    return { outcome: 'compensated' };
  },

  destroy(ctx, target) {
    recordEffect(ledgerFile(ctx, target), 'destroy', ctx.attempt);
    return Promise.resolve();
  },
};
