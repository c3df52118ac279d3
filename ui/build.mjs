#!/usr/bin/env node
// Builds the dashboard (ui/src, TypeScript + React) into ui/dist with esbuild: index.html and
// assets/ (app.js, app.css, and split chunks). No CDN: everything the page loads is in dist.
// `ui/dist/build.json` records a hash of the sources (src/model included) and the lock file;
// `staleReason()` compares it, so setup (npm start, npm test) rebuilds only when something changed. Built-ins and esbuild only.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ui = dirname(fileURLToPath(import.meta.url));
const root = join(ui, '..');
const dist = join(ui, 'dist');
const stampFile = join(dist, 'build.json');

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : [path];
  });
}

/** A hash of everything the bundle is made from: its sources, src/model, this script and the locked dependency versions. */
export function sourceHash() {
  const hash = createHash('sha256');
  // src/model too: the page imports its pure types and constants (the only part of src it may import).
  const inputs = [
    ...files(join(ui, 'src')),
    ...files(join(root, 'src', 'model')),
    join(ui, 'index.html'),
    join(ui, 'build.mjs'),
    join(root, 'package-lock.json'),
  ];
  for (const file of inputs.sort())
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** Why the bundle must be (re)built, or null when it is current. */
export function staleReason() {
  if (!existsSync(stampFile)) return 'not built yet';
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8')).hash === sourceHash() ? null : 'sources changed';
  } catch {
    return 'build record unreadable';
  }
}

/** Builds into a fresh folder and swaps it in, so a failed build leaves the last good bundle served. */
export async function build({ minify = true } = {}) {
  const esbuild = await import('esbuild');
  const next = join(ui, 'dist.next');
  rmSync(next, { recursive: true, force: true });
  mkdirSync(join(next, 'assets'), { recursive: true });
  try {
    await esbuild.build({
      absWorkingDir: ui,
      entryPoints: { app: 'src/main.tsx' },
      outdir: join(next, 'assets'),
      bundle: true,
      splitting: true,
      format: 'esm',
      target: 'es2022',
      jsx: 'automatic',
      minify,
      sourcemap: true,
      chunkNames: 'chunk-[hash]',
      define: { 'process.env.NODE_ENV': minify ? '"production"' : '"development"' },
      logLevel: 'warning',
    });
    copyFileSync(join(ui, 'index.html'), join(next, 'index.html'));
    writeFileSync(
      join(next, 'build.json'),
      `${JSON.stringify({ hash: sourceHash(), built_at: new Date().toISOString() })}\n`,
    );
  } catch (err) {
    rmSync(next, { recursive: true, force: true });
    throw err;
  }
  rmSync(dist, { recursive: true, force: true });
  renameSync(next, dist);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await build({ minify: !process.argv.includes('--dev') });
  console.log(`dashboard built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${relative(process.cwd(), dist)}`);
}
