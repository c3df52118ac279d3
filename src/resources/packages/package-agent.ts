/**
 * A process's part in keeping step packages current: every PACKAGES_POLL_MS, and at once on
 * `reload` (the worker's `POST /workflows/reload`), it pulls the shared store (package-sync.ts),
 * loads the current versions so a run's first node does not wait for them, and, in a worker,
 * reports what it has loaded (GET /packages/{name} shows it). A failed pull is logged once per
 * distinct error and tried again at the next tick; runs still load what they need on first use.
 */
import type { LoadedVersion } from './package-store';
import { packageSync, workerId } from './package-sync';
import { loadedVersions, packagedTypes } from './packaged-types';

/** A report unchanged since the last one is written again only after this long (it says the worker is alive). */
const REPORT_AGAIN_MS = 30_000;

export interface PackageVersionName {
  readonly name: string;
  readonly version: number;
  readonly hash: string;
}

export interface AgentStatus {
  readonly worker: string;
  /** When the store was last read (null before the first time). */
  readonly pulled_at: string | null;
  /** The version of each package new runs use. */
  readonly current: readonly PackageVersionName[];
  /** The versions this process has loaded, and when. */
  readonly loaded: readonly LoadedVersion[];
}

export interface PackageAgent {
  /** Reads the store now; rejects with the store's error. */
  reload(): Promise<AgentStatus>;
  status(): AgentStatus;
  stop(): void;
}

export interface PackageAgentOptions {
  readonly pollMs: number;
  /** Write this process's loaded versions to the store (workers). */
  readonly report: boolean;
  readonly warn: (message: string) => void;
}

function currentVersions(): PackageVersionName[] {
  const byHash = new Map<string, PackageVersionName>();
  for (const type of packagedTypes().values()) byHash.set(type.package.hash, type.package);
  return [...byHash.values()];
}

export function startPackageAgent(options: PackageAgentOptions): PackageAgent {
  const sync = packageSync();
  const worker = workerId();
  let pulledAt: string | null = null;
  let lastError = '';
  let timer: NodeJS.Timeout | undefined;
  let reported = { what: '', at: 0 };
  let stopped = false;

  const status = (): AgentStatus => ({
    worker,
    pulled_at: pulledAt,
    current: currentVersions(),
    loaded: loadedVersions(),
  });
  const pull = async (): Promise<AgentStatus> => {
    await sync.pull();
    packagedTypes(true);
    pulledAt = new Date().toISOString();
    const now = status();
    const what = JSON.stringify(now.loaded);
    if (options.report && (what !== reported.what || Date.now() - reported.at >= REPORT_AGAIN_MS)) {
      await sync.report({ worker, seen_at: pulledAt, loaded: now.loaded });
      reported = { what, at: Date.now() };
    }
    return now;
  };
  const tick = (): void => {
    pull()
      .then(() => (lastError = ''))
      .catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        if (message !== lastError) options.warn(`step packages: could not read ${sync.where}: ${message}`);
        lastError = message;
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.pollMs).unref();
      });
  };
  tick();
  return {
    reload: pull,
    status,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
