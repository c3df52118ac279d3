/**
 * Bundling workflow code for a worker that is handed a pre-built bundle (`workflowBundle: { codePath }`): the
 * tests' and bench's shared bundle, the cluster's workers, an old build in the rolling-upgrade test, the bench's floor.
 */
import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';

/** The bundler's progress lines would drown a test's or a cluster's output; its errors still print. */
const quiet = { info() {}, warn() {}, debug() {}, trace() {}, log() {}, error: console.error };

/** Bundles the workflows exported by `workflowsPath` into `bundlePath`; returns `bundlePath`. */
export async function writeWorkflowBundle(workflowsPath: string, bundlePath: string): Promise<string> {
  const bundle = await bundleWorkflowCode({ workflowsPath, logger: quiet as never });
  await writeFile(bundlePath, bundle.code);
  return bundlePath;
}
