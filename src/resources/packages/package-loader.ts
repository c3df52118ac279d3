/**
 * Evaluates a stored step-package version (package-store.ts) in this process and answers the
 * resource types it exports. Its modules get a `require` that answers only what a package may
 * import (the SDK as `mgraph/sdk`, zod, Node's built-ins, the provider clients the service
 * ships, its own modules); module bodies run
 * under a time limit, so a package that hangs while loading fails its load instead of the
 * process. Package code runs with the process's permissions: only admin keys deploy it.
 */
import { builtinModules, createRequire } from 'node:module';
import { posix } from 'node:path';
import { Script } from 'node:vm';
import * as zod from 'zod';
import * as sdk from '../../sdk';
import type { StoredVersion } from './package-store';

/** How long a package's modules may take to evaluate. */
const LOAD_TIMEOUT_MS = 2_000;
const GLOBAL_SLOT = Symbol.for('mgraph.package-loader.module');
/**
 * The global object of the context scripts run in (this module's `globalThis` may be another
 * one's, under jest): a module body finds its `require` and `module` there.
 */
const scriptGlobal = new Script('globalThis').runInThisContext() as Record<symbol, unknown>;

export const SDK_SPECIFIER = 'mgraph/sdk';

const BUILTINS: ReadonlySet<string> = new Set(builtinModules);

/** The provider clients the service itself uses, at the versions it ships (package.json). */
export const PROVIDER_CLIENTS: readonly string[] = [
  '@aws-sdk/client-iam',
  '@aws-sdk/client-lambda',
  '@aws-sdk/client-resource-groups-tagging-api',
  '@aws-sdk/client-s3',
  '@aws-sdk/client-sts',
  '@octokit/rest',
  '@slack/web-api',
];
const providerClients: ReadonlySet<string> = new Set(PROVIDER_CLIENTS);
const requireShipped = createRequire(__filename);

/** What a package may import from outside itself, in words. */
export const ALLOWED_IMPORTS = `${SDK_SPECIFIER}, zod, Node's built-ins, the provider clients (${PROVIDER_CLIENTS.join(', ')})`;

/** Whether a package may import `specifier` from outside itself. */
export const allowedImport = (specifier: string): boolean =>
  specifier === SDK_SPECIFIER ||
  specifier === 'zod' ||
  providerClients.has(specifier) ||
  specifier.startsWith('node:') ||
  BUILTINS.has(specifier.split('/')[0] ?? '');

/** The module a relative import from `from` names, among `paths`, or null. */
export function resolveRelative(from: string, specifier: string, paths: ReadonlySet<string>): string | null {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  return [base, `${base}.ts`, `${base}/index.ts`].find((path) => paths.has(path)) ?? null;
}

/** An error's message, whichever context made it (a package's errors are not this module's Error). */
export const messageOf = (err: unknown): string =>
  typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);

export class PackageLoadError extends Error {
  override readonly name = 'PackageLoadError';
}

interface Module {
  exports: Record<string, unknown>;
}

/** The exports of the version's `index.ts`, its modules evaluated once each. */
export function evaluatePackage(version: StoredVersion): Record<string, unknown> {
  const paths = new Set(Object.keys(version.modules));
  const loaded = new Map<string, Module>();
  const load = (path: string): Module => {
    const known = loaded.get(path);
    if (known) return known;
    const module: Module = { exports: {} };
    loaded.set(path, module);
    const require = (specifier: string): unknown => {
      if (specifier === SDK_SPECIFIER) return sdk;
      if (specifier === 'zod') return zod;
      if (specifier.startsWith('.')) {
        const target = resolveRelative(path, specifier, paths);
        if (target) return load(target).exports;
      } else if (providerClients.has(specifier)) {
        return requireShipped(specifier);
      } else if (allowedImport(specifier)) {
        return process.getBuiltinModule(specifier);
      }
      throw new PackageLoadError(`${path}: cannot import "${specifier}"`);
    };
    scriptGlobal[GLOBAL_SLOT] = { module, require };
    const source = `(function (exports, require, module) {${version.modules[path] ?? ''}\n}).call(undefined, ...(({ module, require }) => [module.exports, require, module])(globalThis[Symbol.for('mgraph.package-loader.module')]));`;
    new Script(source, { filename: `${version.name}@${version.hash.slice(0, 12)}/${path}` }).runInThisContext({
      timeout: LOAD_TIMEOUT_MS,
    });
    return module;
  };
  try {
    return load('index.ts').exports;
  } catch (err) {
    throw new PackageLoadError(`package "${version.name}" failed to load: ${messageOf(err)}`);
  }
}

/** The resource types among a package's exports (what `defineResourceType` made). */
export function definedTypes(exports: Record<string, unknown>): sdk.DefinedResourceType[] {
  return Object.values(exports).filter(
    (value): value is sdk.DefinedResourceType =>
      typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[sdk.DEFINED_TYPE] === true,
  );
}
