/**
 * Seed 001's `estimated_time`: the seconds a run of a graph takes if nothing waits for a person,
 * the longest (critical) path through its dependencies of per-node estimates. A node's estimate is
 * the mean duration of its type's nodes in the deployment's past applies where there are some
 * (the record's `durations`), else its type's typical duration (below); a `core:delay` takes its
 * own `duration_ms` and a `core:wait` its `duration`, an approval gate none (its past durations are a person's wait).
 *
 * The path is computed over a compact profile of the graph (typed arrays), so a plan made on an
 * offload thread sends the profile back and the event loop estimates it once the history is read.
 */
import type { TypeDurations } from './deployment-record';
import { durationSchema } from './duration-schema';
import { APPROVAL_TYPE } from './gates';
import type { SpecGraph, SpecNode } from './graph-types';

/** Node durations by type over a deployment's past applies. */
export type DurationHistory = Readonly<Record<string, TypeDurations>>;

/** Typical seconds per type (provider calls and the waits AWS needs). */
const TYPICAL_SECONDS: Readonly<Record<string, number>> = {
  'aws:iam:role': 10,
  'aws:iam:policy': 5,
  'aws:iam:policy:attach': 3,
  'aws:lambda:function': 30,
  'aws:lambda:layer': 15,
  'aws:s3:bucket': 5,
  'aws:s3:object': 3,
  'github:action:trigger': 60,
  'slack:message': 1,
};
/** A type not listed (GitHub secrets, repositories, a platform team's own): a couple of calls. */
const OTHER_SECONDS = 2;

/** A graph's nodes in topological order as estimates need them: type, fixed seconds, predecessors. */
export interface EstimateProfile {
  readonly types: readonly string[];
  /** Per node: its index in `types`. */
  readonly typeOf: Uint32Array;
  /** Per node: its own seconds when its type does not decide them (delays, gates), else NaN. */
  readonly fixedSeconds: Float64Array;
  /** Node i's predecessors are preds[predStart[i] .. predStart[i + 1]). */
  readonly predStart: Uint32Array;
  readonly preds: Uint32Array;
}

function fixedSecondsOf(node: SpecNode): number {
  if (node.type === APPROVAL_TYPE) return 0;
  if (node.type === 'core:wait') {
    const parsed = durationSchema.safeParse(node.properties['duration']);
    return parsed.success ? parsed.data / 1000 : 0;
  }
  if (node.type !== 'core:delay') return NaN;
  const ms = node.properties['duration_ms'];
  return typeof ms === 'number' ? ms / 1000 : 0;
}

/** The profile of `graph`; `order` is a topological order of its node ids. */
export function estimateProfile(graph: SpecGraph, order: readonly string[]): EstimateProfile {
  const byId = new Map(graph.nodes.map((node) => [node.node_id, node]));
  const ids = order.filter((id) => byId.has(id));
  const index = new Map(ids.map((id, i) => [id, i]));
  const into: number[][] = ids.map(() => []);
  for (const edge of graph.edges) {
    const from = index.get(edge.from);
    const to = index.get(edge.to);
    if (from !== undefined && to !== undefined) into[to]?.push(from);
  }
  const types: string[] = [];
  const typeIndex = new Map<string, number>();
  const typeOf = new Uint32Array(ids.length);
  const fixedSeconds = new Float64Array(ids.length);
  const predStart = new Uint32Array(ids.length + 1);
  const preds = new Uint32Array(into.reduce((sum, list) => sum + list.length, 0));
  ids.forEach((id, i) => {
    const node = byId.get(id) as SpecNode;
    let t = typeIndex.get(node.type);
    if (t === undefined) typeIndex.set(node.type, (t = types.push(node.type) - 1));
    typeOf[i] = t;
    fixedSeconds[i] = fixedSecondsOf(node);
    const list = into[i] ?? [];
    preds.set(list, predStart[i]);
    predStart[i + 1] = (predStart[i] ?? 0) + list.length;
  });
  return { types, typeOf, fixedSeconds, predStart, preds };
}

/** A type's seconds: its past mean where the history has it, else its typical duration. */
function typeSeconds(type: string, history: DurationHistory): number {
  const past = history[type];
  if (past && past.count > 0) return past.seconds / past.count;
  return TYPICAL_SECONDS[type] ?? OTHER_SECONDS;
}

/** The critical path's seconds, to a tenth. */
export function criticalPathSeconds(profile: EstimateProfile, history: DurationHistory = {}): number {
  const perType = profile.types.map((type) => typeSeconds(type, history));
  const finish = new Float64Array(profile.typeOf.length);
  let longest = 0;
  for (let i = 0; i < finish.length; i++) {
    let start = 0;
    for (let p = profile.predStart[i] ?? 0; p < (profile.predStart[i + 1] ?? 0); p++)
      start = Math.max(start, finish[profile.preds[p] ?? 0] ?? 0);
    const fixed = profile.fixedSeconds[i] ?? NaN;
    finish[i] = start + (Number.isNaN(fixed) ? (perType[profile.typeOf[i] ?? 0] ?? OTHER_SECONDS) : fixed);
    longest = Math.max(longest, finish[i] ?? 0);
  }
  return Math.round(longest * 10) / 10;
}

/** The critical path's seconds of `graph` in topological `order`, from `history` where it has the type. */
export const estimatedSeconds = (graph: SpecGraph, order: readonly string[], history: DurationHistory = {}): number =>
  criticalPathSeconds(estimateProfile(graph, order), history);
