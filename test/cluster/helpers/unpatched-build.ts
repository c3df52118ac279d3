/**
 * The workflow code as a worker built before its patches ran it: a copy of src/ in which every
 * `wf.patched(...)` is `false`, the branch histories recorded before each patch take, bundled
 * with the project's node_modules and bundled as builds before ES2022 and the service's payload
 * converter were (the SDK's defaults: ES2017, its own JSON converter). Workers on this bundle are
 * the "old build" of a rolling upgrade.
 */
import { cpSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeWorkflowBundle } from '../../../src/runtime/workflow-bundle';

const ROOT = join(__dirname, '..', '..', '..');
const PATCHED_CALL = /wf\.patched\(([A-Z_]+)\)/g;

/** Returns the bundle's path and the patch constants whose calls it replaced. */
export async function unpatchedBundle(dir: string): Promise<{ bundlePath: string; patches: string[] }> {
  const copy = join(dir, 'unpatched');
  cpSync(join(ROOT, 'src'), join(copy, 'src'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const patches = new Set<string>();
  for (const file of tsFiles(join(copy, 'src', 'workflows'))) {
    const text = readFileSync(file, 'utf8');
    const old = text.replace(PATCHED_CALL, (_, name: string) => {
      patches.add(name);
      return 'false';
    });
    if (old !== text) writeFileSync(file, old);
  }
  const bundlePath = await writeWorkflowBundle(
    join(copy, 'src', 'workflows', 'index.ts'),
    join(dir, 'unpatched-bundle.js'),
    {},
  );
  return { bundlePath, patches: [...patches].sort() };
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}
