/**
 * Errors of the pure spec code. They signal a caller that skipped `validateConfig`: a validated
 * config never produces them.
 */

/** `orderGraph` was given a graph with a cycle; `cycle` is its path, first id repeated last. */
export class GraphCycleError extends Error {
  override readonly name = 'GraphCycleError';
  constructor(readonly cycle: readonly string[]) {
    super(`the graph has a cycle: ${cycle.join(' → ')} (validateConfig reports cycles before a graph is built)`);
  }
}

/** `buildSpecGraph` met something `validateConfig` rejects (an unknown type, a dangling name). */
export class UnvalidatedConfigError extends Error {
  override readonly name = 'UnvalidatedConfigError';
}
