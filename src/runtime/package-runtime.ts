/**
 * Step packages in a long-running process (docs/how-to/step-packages.md): a worker keeps its
 * packages current and reports them (package-agent.ts), with its admin port when
 * WORKER_ADMIN_PORT is set; an API process alone polls only a fleet's shared store (with the
 * folder alone, it reads the folder when it changes anyway).
 */
import type { Env } from '../config/env';
import { startPackageAgent } from '../resources/packages/package-agent';
import { startWorkerAdmin } from './worker-admin';

export interface PackageRuntime {
  /** The worker's admin URL, when it has one. */
  readonly adminUrl: string | null;
  close(): Promise<void>;
}

export async function startPackageRuntime(
  env: Env,
  role: 'worker' | 'api',
  warn: (message: string) => void,
): Promise<PackageRuntime> {
  if (role === 'api' && !env.PACKAGES_S3_URI) return { adminUrl: null, close: () => Promise.resolve() };
  const agent = startPackageAgent({ pollMs: env.PACKAGES_POLL_MS, report: role === 'worker', warn });
  const admin =
    role === 'worker' && env.WORKER_ADMIN_PORT !== undefined
      ? await startWorkerAdmin(agent, env.WORKER_ADMIN_HOST, env.WORKER_ADMIN_PORT)
      : null;
  return {
    adminUrl: admin?.url ?? null,
    async close() {
      agent.stop();
      await admin?.close();
    },
  };
}
