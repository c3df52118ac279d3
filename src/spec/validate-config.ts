/**
 * Validates a deployment config before anything runs, reporting every problem at once, each with
 * the dotted path of the field and the resource it concerns: the schema, unknown types, each
 * type's own properties schema, dangling depends_on/references, region selectors, regional
 * resources without a region, duplicate physical names, cycles (with their path) and size limits.
 */
import type { ResourceCatalog } from './catalog';
import { deploymentConfigSchema, type DeploymentConfig } from './config-schema';
import { findCycles } from './order';
import { parseReference } from './references';
import { awsRegions, regionsOf } from './regions';

export const MAX_CONFIG_CHARS = 5 * 1024 * 1024;
export const MAX_RESOURCES = 20_000;
export const MAX_REGIONS = 20;

export interface ValidationIssue {
  /** Dotted path of the field, e.g. `resources.api-lambda.properties.memory_size`. */
  readonly path: string;
  readonly resource_id: string | null;
  readonly message: string;
}

export type ValidationResult = { readonly ok: true; readonly config: DeploymentConfig } | { readonly ok: false; readonly errors: ValidationIssue[] };

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

function issue(path: (string | number)[], message: string): ValidationIssue {
  return { path: path.join('.'), resource_id: path[0] === 'resources' && path.length > 1 ? String(path[1]) : null, message };
}

/** depends_on entries as (resource, path) pairs, tolerating malformed entries (the schema reports those). */
function dependencies(resource: Loose): { name: string; path: (string | number)[] }[] {
  const deps = Array.isArray(resource['depends_on']) ? resource['depends_on'] : [];
  return deps.flatMap((d: unknown, i) => {
    const name = typeof d === 'string' ? d : isObject(d) && typeof d['resource'] === 'string' ? d['resource'] : null;
    return name === null ? [] : [{ name, path: ['depends_on', i] }];
  });
}

function semanticIssues(input: Loose, catalog: ResourceCatalog): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const resources = isObject(input['resources']) ? input['resources'] : {};
  const ids = Object.keys(resources);
  if (ids.length > MAX_RESOURCES) return [issue(['resources'], `${ids.length.toLocaleString('en-US')} resources: the limit is ${MAX_RESOURCES.toLocaleString('en-US')}`)];
  const regionSource = input as Parameters<typeof awsRegions>[0];
  const regions = awsRegions(regionSource);
  if (regions.length > MAX_REGIONS) issues.push(issue(['targets'], `${regions.length} regions: the limit is ${MAX_REGIONS}`));
  const known = [...catalog.keys()].sort();
  const edges: { from: string; to: string }[] = [];
  const names = new Map<string, string>();

  for (const id of ids) {
    const resource = resources[id];
    if (!isObject(resource)) continue;
    const at = (...rest: (string | number)[]) => ['resources', id, ...rest];
    const type = typeof resource['type'] === 'string' ? resource['type'] : null;
    const entry = type === null ? undefined : catalog.get(type);
    if (type !== null && !entry) issues.push(issue(at('type'), `unknown resource type "${type}"; known types: ${known.join(', ')}`));
    const pinned = typeof resource['region'] === 'string' ? resource['region'] : undefined;
    if (entry) {
      const parsed = entry.properties.safeParse(resource['properties'] ?? {});
      if (!parsed.success) for (const i of parsed.error.issues) issues.push(issue(at('properties', ...i.path.map(String)), i.message));
      if (entry.regional && regions.length === 0 && !pinned) issues.push(issue(at('type'), `${type} is regional: add an aws target with regions (or credentials.aws.region), or pin the resource with "region"`));
      if (!entry.regional && pinned) issues.push(issue(at('region'), `${type} is not regional: remove "region"`));
      if (pinned && regions.length > 0 && !regions.includes(pinned)) issues.push(issue(at('region'), `region ${pinned} is not one of the deployment's target regions (${regions.join(', ')})`));
      if (parsed.success && entry.physicalName) {
        for (const region of regionsOf(entry, pinned, regionSource)) {
          const name = entry.physicalName(parsed.data as never, region);
          if (name === null) continue;
          const key = `${type}\u0000${region ?? ''}\u0000${name}`;
          const first = names.get(key);
          if (first) issues.push(issue(at('properties'), `duplicate physical name "${name}"${region ? ` in ${region}` : ''}: resource "${first}" has the same ${type} name`));
          else names.set(key, id);
        }
      }
    }
    for (const dep of dependencies(resource)) {
      if (dep.name === id) issues.push(issue(at(...dep.path), `"${id}" cannot depend on itself`));
      else if (!(dep.name in resources)) issues.push(issue(at(...dep.path), `depends on "${dep.name}", which is not a resource of this deployment`));
      else edges.push({ from: dep.name, to: id });
    }
    const references = isObject(resource['references']) ? resource['references'] : {};
    for (const [key, raw] of Object.entries(references)) {
      if (typeof raw !== 'string') continue;
      const path = at('references', key);
      const ref = parseReference(raw);
      if (!ref) {
        issues.push(issue(path, `"${raw}" is not a reference: use "resource", "resource.output" or "resource[region].output"`));
        continue;
      }
      const target = resources[ref.resource];
      if (!isObject(target)) {
        issues.push(issue(path, `references "${ref.resource}", which is not a resource of this deployment`));
        continue;
      }
      if (ref.resource === id) {
        issues.push(issue(path, `"${id}" cannot reference itself`));
        continue;
      }
      edges.push({ from: ref.resource, to: id });
      const targetEntry = typeof target['type'] === 'string' ? catalog.get(target['type']) : undefined;
      if (!targetEntry) continue;
      const targetRegions = regionsOf(targetEntry, typeof target['region'] === 'string' ? target['region'] : undefined, regionSource);
      if (ref.region !== null && !targetEntry.regional) issues.push(issue(path, `"${ref.resource}" is not regional: drop the [${ref.region}] selector`));
      else if (ref.region !== null && !targetRegions.includes(ref.region)) issues.push(issue(path, `"${ref.resource}" has no node in ${ref.region} (its regions: ${targetRegions.join(', ') || 'none'})`));
      else if (ref.region === null && targetEntry.regional && !entry?.regional && targetRegions.length > 1) {
        issues.push(issue(path, `"${ref.resource}" is deployed to ${targetRegions.length} regions: say which, e.g. "${ref.resource}[${String(targetRegions[0])}]${ref.output ? `.${ref.output}` : ''}"`));
      }
    }
  }
  for (const cycle of findCycles(ids, edges)) {
    issues.push(issue(['resources', cycle[0] as string, 'depends_on'], `dependency cycle: ${cycle.join(' → ')}`));
  }
  return issues;
}

export function validateConfig(input: unknown, catalog: ResourceCatalog): ValidationResult {
  if (!isObject(input)) return { ok: false, errors: [issue([], 'the deployment config must be a JSON object')] };
  const size = JSON.stringify(input).length;
  if (size > MAX_CONFIG_CHARS) return { ok: false, errors: [issue([], `the config is ${size.toLocaleString('en-US')} characters: the limit is ${MAX_CONFIG_CHARS.toLocaleString('en-US')} (5 MiB)`)] };
  const parsed = deploymentConfigSchema.safeParse(input);
  const errors = parsed.success ? [] : parsed.error.issues.map((i) => issue(i.path.map(String), i.message));
  errors.push(...semanticIssues(input, catalog));
  const unique = [...new Map(errors.map((e) => [`${e.path}\u0000${e.message}`, e])).values()];
  return unique.length === 0 && parsed.success ? { ok: true, config: parsed.data } : { ok: false, errors: unique };
}
