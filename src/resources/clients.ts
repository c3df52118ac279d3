/**
 * Provider clients handed to every operation, built once in the worker from configuration.
 * Each provider adds its own factory here (one line each).
 */
export interface Clients {
  /** Where `core:delay` records each real apply/compensate (one JSON line per effect), if set. */
  readonly ledgerPath?: string | undefined;
}
