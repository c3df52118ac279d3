/** What routes and services share: the Temporal client (resolved per call), names, links, metrics. */
import type { Client } from '@temporalio/client';
import type { ServiceAwsTenants } from '../config/service-aws-identity';
import type { ApiMetrics } from './metrics';

export interface ApiContext {
  /** The Temporal client; resolved per call so a reconnecting client can be swapped in. */
  client(): Client;
  readonly namespace: string;
  readonly taskQueue: string;
  /** Base of Temporal Web UI links, e.g. http://127.0.0.1:8233. */
  readonly uiBaseUrl: string;
  readonly metrics: ApiMetrics;
  /** AWS_SERVICE_IDENTITY_TENANTS (auth/aws-identity.ts). */
  readonly serviceAwsTenants: ServiceAwsTenants;
}

export const webUiUrl = (ctx: ApiContext, workflowId: string, runId: string): string =>
  `${ctx.uiBaseUrl}/namespaces/${encodeURIComponent(ctx.namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}`;
