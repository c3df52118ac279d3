/**
 * Where the API is and which key to send: flags first, then the environment (DEPLOY_URL,
 * DEPLOY_API_KEY), then a JSON config file (`--config`, DEPLOYCTL_CONFIG, or
 * ~/.config/deployctl/config.json: `{"url": "…", "api_key": "…"}`), else http://127.0.0.1:3000.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './errors';

export interface Connection {
  readonly url: string;
  readonly apiKey: string | undefined;
}

export interface ConnectionFlags {
  readonly url?: string | undefined;
  readonly apiKey?: string | undefined;
  readonly config?: string | undefined;
}

export const DEFAULT_URL = 'http://127.0.0.1:3000';
export const defaultConfigFile = (): string => join(homedir(), '.config', 'deployctl', 'config.json');

interface ConfigFile {
  readonly url?: string;
  readonly api_key?: string;
}

function readConfigFile(path: string, explicit: boolean): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (!explicit && (err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`cannot read the config file ${path}: ${(err as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as ConfigFile;
  } catch (err) {
    throw new CliError(`the config file ${path} is not a JSON object {"url", "api_key"}: ${(err as Error).message}`);
  }
}

export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Connection {
  const explicitFile = flags.config ?? env['DEPLOYCTL_CONFIG'];
  const file = readConfigFile(explicitFile ?? defaultConfigFile(), explicitFile !== undefined);
  const url = flags.url ?? env['DEPLOY_URL'] ?? file.url ?? DEFAULT_URL;
  if (!/^https?:\/\//.test(url))
    throw new CliError(`the service URL must start with http:// or https://, not "${url}"`);
  const apiKey = flags.apiKey ?? (env['DEPLOY_API_KEY'] || undefined) ?? file.api_key;
  return { url: url.replace(/\/+$/, ''), apiKey };
}
