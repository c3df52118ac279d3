/**
 * Validates a deployment config before anything runs and reports every problem at once, each with
 * the dotted path of its field and the resource it concerns:
 *
 * 1. limits first (size, nesting, resources, regions, then nodes and edges after region expansion,
 *    counted without building the graph): an oversized config gets only those issues;
 * 2. the schema (config-schema.ts): missing or malformed fields, unknown keys;
 * 3. each resource against the catalog: unknown type, the type's own properties schema, regions
 *    (a regional type needs an AWS region; `region` pins only regional types, to a target region);
 * 4. references and depends_on: dangling names, self-dependencies, region selectors (a selector
 *    names a node that exists; without one, a region-less resource reads the first region listed);
 * 5. duplicate physical names (per type, from the catalog's `physicalName`, whose names include the
 *    region where a name is per region): two resources, or one resource taking a global name in
 *    several regions;
 * 6. cycles, through depends_on and references alike, each reported with its path.
 *
 * Checks 3–6 read the raw input, tolerating what the schema already reported, so a config with a
 * schema error still gets its reference and cycle errors in the same answer.
 */
import type { CatalogEntry, ResourceCatalog } from './catalog';
import { limitKeyIssues } from './concurrency-limits';
import { credentialsSchema, deploymentConfigSchema, targetSchema, type DeploymentConfig } from './config-schema';
import { fromZod, issue, type IssuePath, type ValidationIssue } from './issues';
import { findCycles } from './order';
import { parseReference } from './references';
import { awsRegions, graphSize, regionsNamed, regionsOf, resolvedRegions, type RegionSource } from './regions';

export type { ValidationIssue } from './issues';
export type ValidationResult =
  | { readonly ok: true; readonly config: DeploymentConfig }
  | { readonly ok: false; readonly errors: ValidationIssue[] };

/** Size of the config as JSON (UTF-8). */
export const MAX_CONFIG_BYTES = 5 * 1024 * 1024;
export const MAX_RESOURCES = 20_000;
/** AWS regions per deployment (every regional resource gets one node per region). */
export const MAX_REGIONS = 20;
/** Nodes of the graph, after region expansion: each regional resource is one node per region. */
export const MAX_NODES = 10_000;
/** Edges of the graph, after region expansion (dependencies and references between nodes). */
export const MAX_EDGES = 50_000;
/** Depth of nested objects and arrays, properties included. */
export const MAX_NESTING = 64;

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const count = (n: number): string => n.toLocaleString('en-US');

function utf8Bytes(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i += 1) {
    const code = s.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

/** True when `value` nests deeper than `limit` (iterative: hostile depth cannot overflow the stack). */
function nestsDeeper(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [v, depth] = top;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(v as Loose)) if (typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** Regions, then nodes and edges after region expansion: counted, not built. */
function sizeIssues(input: Loose, catalog: ResourceCatalog): ValidationIssue[] {
  const { source, named } = regionsNamed(input);
  if (named > MAX_REGIONS) return [issue(['targets'], `${count(named)} AWS regions: the limit is ${MAX_REGIONS}`)];
  const resources = isObject(input['resources']) ? input['resources'] : {};
  const { nodes, edges } = graphSize(resources, catalog, source, MAX_NODES);
  const regions = awsRegions(source).length;
  const over = (n: number, limit: number, what: string, how: string): ValidationIssue[] => [
    issue(['resources'], `the config expands to ${count(n)} ${what} (${how}): the limit is ${count(limit)} ${what}`),
  ];
  if (nodes > MAX_NODES)
    return over(
      nodes,
      MAX_NODES,
      'nodes',
      regions === 0
        ? 'one per resource'
        : `${count(Object.keys(resources).length)} resources, the regional ones in ${regions} AWS regions`,
    );
  if (edges !== null && edges > MAX_EDGES)
    return over(edges, MAX_EDGES, 'edges', 'depends_on and references between nodes, per region');
  return [];
}

function limitIssues(input: Loose, catalog: ResourceCatalog): ValidationIssue[] {
  if (nestsDeeper(input, MAX_NESTING))
    return [
      issue(
        [],
        `the config nests objects and arrays more than ${MAX_NESTING} levels deep: the limit is ${MAX_NESTING}`,
      ),
    ];
  let json: string;
  try {
    json = JSON.stringify(input);
  } catch {
    return [issue([], 'the config is not plain JSON data')];
  }
  const bytes = utf8Bytes(json);
  if (bytes > MAX_CONFIG_BYTES)
    return [issue([], `the config is ${count(bytes)} bytes of JSON: the limit is ${count(MAX_CONFIG_BYTES)} (5 MiB)`)];
  const resources = isObject(input['resources']) ? Object.keys(input['resources']).length : 0;
  if (resources > MAX_RESOURCES)
    return [issue(['resources'], `${count(resources)} resources: the limit is ${count(MAX_RESOURCES)}`)];
  return sizeIssues(input, catalog);
}

/** The AWS regions, or null when targets or credentials are malformed (the schema reports them). */
function regionSource(input: Loose): RegionSource | null {
  const targets = targetSchema.array().optional().safeParse(input['targets']);
  const credentials = credentialsSchema.optional().safeParse(input['credentials']);
  return targets.success && credentials.success ? { targets: targets.data, credentials: credentials.data } : null;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly path: IssuePath;
}

/** One resource's checks (3–5); its edges are appended to `edges`. */
class ResourceChecks {
  readonly issues: ValidationIssue[] = [];
  readonly edges: Edge[] = [];
  /** Physical name (per type) → the resource and region that took it first. */
  private readonly names = new Map<string, { readonly id: string; readonly region: string | null }>();
  private readonly known: string;

  constructor(
    private readonly resources: Loose,
    private readonly catalog: ResourceCatalog,
    private readonly regions: RegionSource | null,
  ) {
    this.known = [...catalog.keys()].sort().join(', ');
  }

  private has(id: string): boolean {
    return Object.hasOwn(this.resources, id) && isObject(this.resources[id]);
  }

  private entryOf(resource: Loose): CatalogEntry | undefined {
    const type = text(resource['type']);
    return type === null ? undefined : this.catalog.get(type);
  }

  /** Regions of a resource's nodes; null while they are unknown (malformed targets or credentials). */
  private regionsOf(entry: CatalogEntry, resource: Loose): (string | null)[] | null {
    if (!entry.regional) return [null];
    return this.regions ? regionsOf(entry, text(resource['region']) ?? undefined, this.regions) : null;
  }

  check(id: string, resource: Loose): void {
    const at = (...rest: PropertyKey[]): IssuePath => ['resources', id, ...rest];
    const type = text(resource['type']);
    const entry = this.entryOf(resource);
    if (type !== null && !entry)
      this.issues.push(issue(at('type'), `unknown resource type "${type}"; known types: ${this.known}`));
    if (entry && type !== null) this.checkType(id, resource, type, entry, at);
    const deps = Array.isArray(resource['depends_on']) ? (resource['depends_on'] as unknown[]) : [];
    deps.forEach((dep, i) => {
      const name = typeof dep === 'string' ? dep : isObject(dep) ? text(dep['resource']) : null;
      if (name === null) return;
      if (name === id) this.issues.push(issue(at('depends_on', i), `"${id}" cannot depend on itself`));
      else if (!this.has(name))
        this.issues.push(
          issue(at('depends_on', i), `depends on "${name}", which is not a resource of this deployment`),
        );
      else this.edges.push({ from: name, to: id, path: at('depends_on', i) });
    });
    const references = isObject(resource['references']) ? resource['references'] : {};
    for (const [key, raw] of Object.entries(references))
      if (typeof raw === 'string') this.checkReference(id, at('references', key), raw);
  }

  private checkType(
    id: string,
    resource: Loose,
    type: string,
    entry: CatalogEntry,
    at: (...rest: PropertyKey[]) => IssuePath,
  ): void {
    const parsed = entry.properties.safeParse(resource['properties'] ?? {});
    if (!parsed.success) this.issues.push(...fromZod(parsed.error.issues, at('properties')));
    const pinned = text(resource['region']);
    const targets = this.regions ? awsRegions(this.regions) : null;
    if (!entry.regional && pinned !== null)
      this.issues.push(issue(at('region'), `${type} is not regional: remove "region"`));
    if (entry.regional && targets?.length === 0)
      this.issues.push(
        issue(at('type'), `${type} is regional: add an aws target with regions (or credentials.aws.region)`),
      );
    else if (entry.regional && pinned !== null && targets && !targets.includes(pinned)) {
      this.issues.push(
        issue(at('region'), `region ${pinned} is not one of the deployment's target regions (${targets.join(', ')})`),
      );
    }
    if (!parsed.success || !entry.physicalName) return;
    for (const region of this.regionsOf(entry, resource) ?? []) {
      const name = entry.physicalName(parsed.data as never, region);
      if (name === null) continue;
      const key = `${type}\u0000${name}`;
      const first = this.names.get(key);
      if (first === undefined) this.names.set(key, { id, region });
      else if (first.id !== id)
        this.issues.push(
          issue(
            at('properties'),
            `duplicate physical name "${name}": resource "${first.id}" has the same ${type} name`,
          ),
        );
      else {
        this.issues.push(
          issue(
            at('properties'),
            `physical name "${name}" would be taken in ${first.region ?? ''} and ${region ?? ''}: ${type} names are global, so one name cannot serve several regions (pin "region", or let the service name it)`,
          ),
        );
      }
    }
  }

  private checkReference(id: string, path: IssuePath, raw: string): void {
    const ref = parseReference(raw);
    if (!ref)
      return void this.issues.push(
        issue(path, `"${raw}" is not a reference: use "resource", "resource.output" or "resource[region].output"`),
      );
    if (!this.has(ref.resource))
      return void this.issues.push(
        issue(path, `references "${ref.resource}", which is not a resource of this deployment`),
      );
    if (ref.resource === id) return void this.issues.push(issue(path, `"${id}" cannot reference itself`));
    this.edges.push({ from: ref.resource, to: id, path });
    const target = this.resources[ref.resource] as Loose;
    const targetEntry = this.entryOf(target);
    if (!targetEntry) return;
    if (ref.region !== null && !targetEntry.regional)
      return void this.issues.push(issue(path, `"${ref.resource}" is not regional: drop the [${ref.region}] selector`));
    const nodes = this.regionsOf(targetEntry, target);
    if (ref.region !== null && nodes && nodes.length > 0 && !nodes.includes(ref.region))
      this.issues.push(
        issue(path, `"${ref.resource}" has no node in ${ref.region} (its regions: ${nodes.join(', ')})`),
      );
  }
}

function semanticIssues(input: Loose, catalog: ResourceCatalog): ValidationIssue[] {
  const resources = isObject(input['resources']) ? input['resources'] : {};
  const regions = regionSource(input);
  const checks = new ResourceChecks(resources, catalog, regions && resolvedRegions(regions));
  const issues: ValidationIssue[] = [];
  const ids = Object.keys(resources);
  for (const id of ids) {
    const resource = resources[id];
    if (isObject(resource)) checks.check(id, resource);
  }
  issues.push(...checks.issues);
  issues.push(...limitKeyIssues(isObject(input['settings']) ? input['settings']['limits'] : undefined, catalog));
  const cycles = findCycles(ids, checks.edges);
  const origin = new Map(cycles.length > 0 ? checks.edges.map((e) => [`${e.from}\u0000${e.to}`, e.path]) : []);
  for (const cycle of cycles) {
    const [first, last] = [cycle[0] as string, cycle[cycle.length - 2] as string];
    issues.push(
      issue(origin.get(`${last}\u0000${first}`) ?? ['resources', first], `dependency cycle: ${cycle.join(' → ')}`),
    );
  }
  return issues;
}

export function validateConfig(input: unknown, catalog: ResourceCatalog): ValidationResult {
  if (!isObject(input)) return { ok: false, errors: [issue([], 'the deployment config must be a JSON object')] };
  const limits = limitIssues(input, catalog);
  if (limits.length > 0) return { ok: false, errors: limits };
  const parsed = deploymentConfigSchema.safeParse(input);
  const errors = [...(parsed.success ? [] : fromZod(parsed.error.issues)), ...semanticIssues(input, catalog)];
  const unique = [...new Map(errors.map((e) => [`${e.path}\u0000${e.message}`, e])).values()];
  return unique.length === 0 && parsed.success ? { ok: true, config: parsed.data } : { ok: false, errors: unique };
}
