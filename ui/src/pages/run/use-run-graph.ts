/**
 * A run's graph (its edges and points of no return, GET /deploy/graph): asked for when the page
 * opens, alongside the status rather than after it (the answer names its run and graph_id), and
 * asked again for the status's run when the status names another run or graph. Laid out as it
 * arrives (graph-layout's layoutOfEdges), while the status may still be on its way.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { get, q } from '../../api/client';
import { layoutOfEdges, type Layout } from './graph-layout';
import type { RunGraph, RunStatus } from './run-types';

export interface LoadedGraph {
  readonly graph: RunGraph | undefined;
  /** The layout of the nodes the graph's edges join. */
  readonly laidOut: Layout | undefined;
  readonly error: unknown;
}

const NOTHING: LoadedGraph = { graph: undefined, laidOut: undefined, error: undefined };

export function useRunGraph(id: string, runId: string | undefined, run: RunStatus | undefined): LoadedGraph {
  const [loaded, setLoaded] = useState<LoadedGraph>(NOTHING);
  const asked = useRef(0);

  const read = useCallback(
    (of: string | undefined): void => {
      const ask = ++asked.current;
      get<RunGraph>(`/deploy/graph/${q(id)}${of ? `?run_id=${q(of)}` : ''}`).then(
        (graph) => ask === asked.current && setLoaded({ graph, laidOut: layoutOfEdges(graph.edges), error: undefined }),
        (error: unknown) => ask === asked.current && setLoaded((l) => ({ ...l, error })),
      );
    },
    [id],
  );

  useEffect(() => {
    setLoaded(NOTHING);
    read(runId);
  }, [read, runId]);

  // The status names another run or graph than the one read: read the status's run's.
  const { graph } = loaded;
  const stale = graph && run && (graph.run_id !== run.run_id || graph.graph_id !== run.graph_id) ? run : undefined;
  useEffect(() => {
    if (stale) read(stale.run_id);
  }, [read, stale?.run_id, stale?.graph_id]);

  return loaded;
}
