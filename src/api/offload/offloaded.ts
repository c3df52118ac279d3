/**
 * The event loop's side of the offload: a large body's JSON checked, and a config body parsed on
 * the pool (jobs.ts) for the route that carries it. What comes back is the route's answer as it
 * would be inline: the same 400 issues, the same parsed body (its config's spec graph kept for the
 * services), or for a plan of the config alone the whole answer, already JSON, which the event
 * loop has compared with the deployment's last apply (on the pool again) when there is one, and to
 * which it adds the estimated_time from the deployment's history (`history`; none: typical durations).
 */
import { criticalPathSeconds, type DurationHistory } from '../../model/estimates';
import type { SpecGraph } from '../../model/graph-types';
import type { Principal } from '../auth/principal';
import { ValidationError } from '../errors/api-errors';
import type { Offloaded } from '../openapi/operation';
import type { ConfigBody, ConfigBodyName } from '../schemas/config-bodies';
import { nextTurn } from '../services/plan';
import type { AppliedBasis } from '../services/plan-against-applied';
import { offloadPool } from './pool';
import { keepSpecGraph } from './spec-graphs';

/** A copy of `raw` that can move to a thread (raw's own memory may be shared with other buffers). */
const movable = (raw: Uint8Array): Uint8Array => new Uint8Array(raw);

/** Whether `raw` is a JSON body, read on the pool. */
export async function isValidJson(raw: Uint8Array): Promise<boolean> {
  const bytes = movable(raw);
  return offloadPool().run('json', bytes, [bytes.buffer as ArrayBuffer]);
}

/** Where an offloaded plan reads the deployment's past node durations and the last apply to compare with. */
export type HistoryReader = (
  deploymentId: string,
  principal: Principal,
) => Promise<{ readonly durations: DurationHistory; readonly applied: AppliedBasis | null }>;

/** A JSON object's text with one more field at its end. */
const withField = (json: string, key: string, value: unknown): string =>
  `${json.slice(0, -1)}${json.length > 2 ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(value)}}`;

/** A route's `offload`: its config body `name` parsed on the pool for the caller's tenant. */
export const offloaded =
  <N extends ConfigBodyName>(name: N, history?: HistoryReader) =>
  async (raw: Uint8Array, principal: Principal): Promise<Offloaded<ConfigBody<N>>> => {
    const bytes = movable(raw);
    const tenant = principal.tenant;
    const answer = await offloadPool().run('body', { name, raw: bytes, tenant }, [bytes.buffer as ArrayBuffer]);
    if (answer.kind === 'invalid') throw new ValidationError(answer.issues);
    if (answer.kind === 'reply') {
      const read = history ? await history(answer.deploymentId, principal) : { durations: {}, applied: null };
      const json = read.applied
        ? await offloadPool().run('compare', {
            plan: answer.json,
            graph: answer.graph,
            applied: JSON.stringify(read.applied),
          })
        : answer.json;
      const seconds = criticalPathSeconds(answer.profile, read.durations);
      return { reply: { status: 200, json: withField(json, 'estimated_time', seconds) } };
    }
    const body = JSON.parse(answer.body) as ConfigBody<N>;
    if (answer.graph !== null && body.config) {
      await nextTurn();
      keepSpecGraph(body.config, tenant, JSON.parse(answer.graph) as SpecGraph);
    }
    return { body };
  };
