#!/usr/bin/env node
// Prepares a fresh clone for `npm start` / `npm test` with nothing installed by hand: npm
// dependencies, a Temporal CLI (see lib/temporal-cli.mjs for the order), and with --for-tests /
// --with-fuzz the Python tools tests use; --for-tests also Temporal's time-skipping test server
// (its failure is only a warning: support/time-skipping.ts then falls back to the SDK's download,
// which needs internet) and Chromium for the dashboard's browser tests; --with-opentofu builds
// OpenTofu, the benchmark's peer (lib/opentofu.mjs); --with-cluster the Temporal server, its SQL
// tool and PostgreSQL for `npm run cluster` (lib/temporal-server.mjs, lib/postgres.mjs). The dashboard's bundle is built when missing
// or stale. Idempotent and fast when everything is present.
// Writes .tools/paths.json, which src/runtime/temporal-cli.ts reads. Built-ins only.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './lib/chromium.mjs';
import { ensureDashboard } from './lib/dashboard.mjs';
import { acquireLock } from './lib/lock.mjs';
import { installNpmDeps, staleReason } from './lib/npm-deps.mjs';
import { ensureOpenTofu } from './lib/opentofu.mjs';
import { ensurePostgres } from './lib/postgres.mjs';
import { ensurePythonTools } from './lib/python-tools.mjs';
import { CliNotFound, findTemporalCli } from './lib/temporal-cli.mjs';
import { ensureTemporalServer } from './lib/temporal-server.mjs';
import { recordToolPaths } from './lib/tool-paths.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(root, '.tools');
const pathsFile = join(tools, 'paths.json');
const args = new Set(process.argv.slice(2));
const known = new Set(['--for-tests', '--with-fuzz', '--with-opentofu', '--with-cluster']);
const log = (line) => console.log(`setup: ${line}`);

async function main() {
  const unknown = [...args].filter((a) => !known.has(a));
  if (unknown.length) return fatal(`unknown option ${unknown.join(' ')} (known: ${[...known].join(' ')})`);
  const started = Date.now();
  mkdirSync(tools, { recursive: true });
  acquireLock(join(tools, 'setup.lock'), { onWait: (pid) => log(`waiting for another setup (pid ${pid}) to finish…`) });

  const stale = staleReason(root);
  if (stale) {
    log(`npm dependencies: ${stale}; installing…`);
    const failed = installNpmDeps(root, log);
    if (failed) return fatal(failed);
    log('npm dependencies: installed');
  } else {
    log('npm dependencies: up to date');
  }

  try {
    const cli = findTemporalCli({ root, tools, log });
    recordToolPaths(pathsFile, { temporal: cli.path });
    log(`temporal CLI: ${cli.path} (${cli.version}; ${cli.source})`);
  } catch (err) {
    if (err instanceof CliNotFound) return fatal(err.message);
    throw err;
  }

  const pythonTools = [
    ...(args.has('--for-tests') || args.has('--with-fuzz') ? ['moto_server'] : []),
    ...(args.has('--with-fuzz') ? ['schemathesis'] : []),
  ];
  if (pythonTools.length) {
    const failed = ensurePythonTools({ tools, pathsFile, keys: pythonTools, log });
    if (failed) return fatal(failed);
  }
  if (args.has('--for-tests')) {
    const failed = ensurePythonTools({ tools, pathsFile, keys: ['temporal_test_server'], log });
    if (failed)
      log(`temporal_test_server: ${failed}; time-skipping tests will try the Temporal SDK's download instead`);
    const noBrowser = ensureChromium({ pathsFile, log });
    if (noBrowser) return fatal(`chromium (for the dashboard's browser tests): ${noBrowser}`);
  }
  if (args.has('--with-opentofu')) {
    const tofu = ensureOpenTofu({ tools, pathsFile, log });
    if (tofu.reason) return fatal(`OpenTofu (the benchmark's peer): ${tofu.reason}`);
    log(`tofu: ${tofu.path}`);
  }
  if (args.has('--with-cluster')) {
    const server = ensureTemporalServer({ tools, pathsFile, log });
    if (server.reason) return fatal(`Temporal server (for npm run cluster): ${server.reason}`);
    log(`temporal server: ${server.server}; sql tool: ${server.sqlTool}`);
    const noPostgres = ensurePostgres({ pathsFile, log });
    if (noPostgres) return fatal(`PostgreSQL (for npm run cluster): ${noPostgres}`);
  }
  const unbuilt = await ensureDashboard(root, log);
  if (unbuilt) return fatal(unbuilt);
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s (tool paths in ${pathsFile})`);
}

function fatal(message) {
  console.error(`setup failed: ${message}`);
  process.exitCode = 1;
}

await main();
