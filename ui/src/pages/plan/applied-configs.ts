/**
 * The configs this browser applied, by tenant and deployment (localStorage). The API has no read
 * of a deployment's stored config, and a config-only plan says `create` for every node; so the
 * preview compares the editor with what this browser last applied to show what an apply changes.
 */
export interface AppliedConfig {
  readonly applied_at: string;
  readonly config: Config;
}

export type Config = Record<string, unknown>;

export interface PropertyChange {
  readonly property: string;
  readonly before: unknown;
  readonly after: unknown;
}

const keyOf = (tenant: string | null, deploymentId: string): string =>
  `dashboard:applied:${tenant ?? ''}:${deploymentId}`;

export function rememberApplied(tenant: string | null, config: Config): void {
  const entry: AppliedConfig = { applied_at: new Date().toISOString(), config };
  try {
    localStorage.setItem(keyOf(tenant, String(config['deployment_id'])), JSON.stringify(entry));
  } catch {
    // Storage full or disabled: the preview then shows the API's actions only.
  }
}

export function lastApplied(tenant: string | null, deploymentId: string): AppliedConfig | null {
  try {
    const stored = localStorage.getItem(keyOf(tenant, deploymentId));
    return stored ? (JSON.parse(stored) as AppliedConfig) : null;
  } catch {
    return null;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Leaf by leaf differences between two values, named by dotted paths under `prefix`. */
export function changes(before: unknown, after: unknown, prefix: string): PropertyChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => changes(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ property: prefix, before, after }];
}

/** What changed in one resource since the applied config (null when it was not in it). */
export function resourceChanges(applied: Config, current: Config, resourceId: string): PropertyChange[] | null {
  const resources = (config: Config): Record<string, unknown> =>
    isObject(config['resources']) ? config['resources'] : {};
  const before = resources(applied)[resourceId];
  return before === undefined ? null : changes(before, resources(current)[resourceId], '');
}
