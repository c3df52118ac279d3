/** The activities' dependencies as configured by environment: provider clients and the service key. */
import type { Env } from '../config/env';
import type { ActivityDeps } from './node-activities';

export async function activityDepsFromEnv(env: Env): Promise<ActivityDeps> {
  return Promise.resolve({
    clients: { ledgerPath: env.LEDGER_DIR },
    secrets: null,
  });
}
