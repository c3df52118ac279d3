// OpenTofu, the benchmark's peer (bench/peers/opentofu.ts), built from the Go module proxy into
// `.tools/opentofu/`: `go install` refuses the module (its go.mod has a replace directive), so the
// module is downloaded, copied out of the read-only module cache and built there. About 9 minutes on
// 2 cores the first time; afterwards the recorded binary is reused while it reports the pinned version.
import { cpSync, chmodSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isExecutable, onPath, run } from './proc.mjs';
import { readToolPaths, recordToolPaths } from './tool-paths.mjs';

const OPENTOFU_VERSION = '1.10.6';
const MODULE = 'github.com/opentofu/opentofu';

/** { path } of a working `tofu` at the pinned version, or { reason } why there is none. */
export function ensureOpenTofu({ tools, pathsFile, log }) {
  const recorded = readToolPaths(pathsFile).tofu;
  if (recorded && reportsVersion(recorded)) return { path: recorded };
  const go = onPath('go') ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
  if (!go) return { reason: 'no `go` on PATH to build OpenTofu from the Go module proxy' };

  log(`building OpenTofu ${OPENTOFU_VERSION} from the Go module proxy (about 9 minutes the first time)…`);
  const downloaded = run(go, ['mod', 'download', '-json', `${MODULE}@v${OPENTOFU_VERSION}`], {
    cwd: tools,
    env: { ...process.env, GO111MODULE: 'on' },
    timeoutMs: 20 * 60_000,
  });
  if (!downloaded.ok) return { reason: `go mod download ${MODULE} failed (${downloaded.why})` };
  const moduleDir = JSON.parse(downloaded.output.slice(downloaded.output.indexOf('{'))).Dir;

  const source = join(tools, 'opentofu', `src-${OPENTOFU_VERSION}`);
  rmSync(source, { recursive: true, force: true });
  mkdirSync(source, { recursive: true });
  cpSync(moduleDir, source, { recursive: true });
  makeWritable(source);
  const binary = join(tools, 'opentofu', 'tofu');
  const built = run(go, ['build', '-o', binary, './cmd/tofu'], {
    cwd: source,
    env: { ...process.env, GOFLAGS: '-buildvcs=false -mod=mod' },
    timeoutMs: 40 * 60_000,
  });
  if (!built.ok) return { reason: `go build ./cmd/tofu failed (${built.why})` };
  rmSync(source, { recursive: true, force: true });
  if (!reportsVersion(binary)) return { reason: `${binary} was built but does not report ${OPENTOFU_VERSION}` };
  recordToolPaths(pathsFile, { tofu: binary });
  return { path: binary };
}

function reportsVersion(binary) {
  if (!isExecutable(binary)) return false;
  const version = run(binary, ['version'], { timeoutMs: 30_000 });
  return version.ok && version.output.includes(`OpenTofu v${OPENTOFU_VERSION}`);
}

/** The module cache's copies are read-only; go build writes nothing there, but removing them later must work. */
function makeWritable(dir) {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) makeWritable(path);
    else chmodSync(path, 0o644);
  }
}
