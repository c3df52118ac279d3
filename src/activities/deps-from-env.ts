/** The activities' dependencies as configured by environment: provider clients and the service key. */
import type { Env } from '../config/env';
import { ServiceKey } from '../credentials/service-key';
import type { Clients } from '../providers/clients';
import type { ActivityDeps } from './node-activities';
import { createAwsClients } from '../providers/aws';
import { createGitHubClients } from '../providers/github';
import { createSlackClients } from '../providers/slack';

/** Provider clients from GITHUB_API_URL, AWS_ENDPOINT_URL, SLACK_API_URL, OUTBOUND_HOSTS, LEDGER_DIR and ARTIFACTS_DIR: the worker's, and the API's for live plans. */
export function providerClientsFromEnv(env: Env): Clients {
  return {
    ledgerPath: env.LEDGER_DIR,
    artifactsDir: env.ARTIFACTS_DIR,
    github: createGitHubClients({ baseUrl: env.GITHUB_API_URL }),
    aws: createAwsClients({ endpoint: env.AWS_ENDPOINT_URL, serviceIdentityTenants: env.AWS_SERVICE_IDENTITY_TENANTS }),
    slack: createSlackClients({ apiUrl: env.SLACK_API_URL }),
    outbound: { hosts: env.OUTBOUND_HOSTS, privateHosts: env.OUTBOUND_PRIVATE_HOSTS },
  };
}

export async function activityDepsFromEnv(env: Env): Promise<ActivityDeps> {
  const keyring = await ServiceKey.load({
    privateKey: env.SERVICE_PRIVATE_KEY,
    dataDir: env.DATA_DIR,
    allowUnbound: env.ALLOW_UNBOUND_SEALED_VALUES,
  });
  return { clients: providerClientsFromEnv(env), secrets: keyring };
}
