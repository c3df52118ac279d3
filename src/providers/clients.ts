/**
 * Provider clients handed to every operation, built once in the worker from configuration.
 * Each provider adds its own factory here (one line each).
 */
import type { AwsClients } from './aws';
import type { GitHubClients } from './github';
import type { OutboundPolicy } from './outbound';
import type { SlackClients } from './slack';

export interface Clients {
  /** Where `core:delay` records each real apply/compensate (one JSON line per effect), if set. */
  readonly ledgerPath?: string | undefined;
  /** ARTIFACTS_DIR: where files named in configs (`aws:s3:object` source_path) are read from (a tenant's: `<dir>/<tenant>/`); unset: none are. */
  readonly artifactsDir?: string | undefined;
  /** GitHub: an Octokit per opened PAT, against GITHUB_API_URL. */
  readonly github?: GitHubClients | undefined;
  /** AWS: Lambda/IAM/S3/tagging clients per region and credentials, against AWS_ENDPOINT_URL if set. */
  readonly aws?: AwsClients | undefined;
  /** Slack: a Web API client per opened bot token, against SLACK_API_URL. */
  readonly slack?: SlackClients | undefined;
  /** What URLs a config supplies may be reached (OUTBOUND_HOSTS); unset: DEFAULT_OUTBOUND. */
  readonly outbound?: OutboundPolicy | undefined;
}
