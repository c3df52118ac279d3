/**
 * Spec graphs of configs parsed off the event loop: the thread that validated a large config built
 * its graph too, so the services take it from here instead of building it again (a config object
 * is never changed once parsed; the graph depends on it and on the tenant only).
 */
import { buildSpecGraph } from '../../model/build-graph';
import type { DeploymentConfig } from '../../model/config-schema';
import type { SpecGraph } from '../../model/graph-types';
import { registry } from '../../resources/registry';

const built = new WeakMap<DeploymentConfig, { readonly tenant: string | null; readonly graph: SpecGraph }>();

/** Records the graph a thread built from `config` for `tenant`. */
export function keepSpecGraph(config: DeploymentConfig, tenant: string | null, graph: SpecGraph): void {
  built.set(config, { tenant, graph });
}

/** The spec graph of `config` for `tenant`: the one a thread built, else built now. */
export function specGraphOf(config: DeploymentConfig, tenant: string | null): SpecGraph {
  const kept = built.get(config);
  return kept && kept.tenant === tenant ? kept.graph : buildSpecGraph(config, registry, tenant);
}
