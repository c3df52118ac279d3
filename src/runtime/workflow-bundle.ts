/**
 * How workflow code is bundled: by a worker given `workflowsPath` (`workflowBundlerOptions`), and into a file for a
 * worker handed a pre-built bundle (`workflowBundle: { codePath }`): the tests' and bench's shared bundle, the
 * cluster's workers, an old build in the rolling-upgrade test, the bench's floor.
 */
import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';
import { dataConverter } from '../temporal/compression-codec';

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

/**
 * The SDK's bundler compiles TypeScript for ES2017, so every object spread and class field of the workflow becomes a
 * call to a helper; the Node versions a worker runs on have them natively, and tsconfig.json already checks the code
 * as ES2022. Replaying a 10,000-node run's histories took about 12% less CPU (docs/measurement.md). The emitted
 * code does the same things in the same order, so histories replay unchanged.
 */
function compileForEs2022(config: WebpackConfig): WebpackConfig {
  for (const rule of config.module?.rules ?? []) {
    const use = rule && typeof rule === 'object' ? rule.use : undefined;
    if (use && typeof use === 'object' && !Array.isArray(use) && String(use.loader).includes('swc-loader'))
      (use.options as { jsc: { target: string } }).jsc.target = 'es2022';
  }
  return config;
}

export const workflowBundlerOptions = { webpackConfigHook: compileForEs2022 };

/** The bundler's progress lines would drown a test's or a cluster's output; its errors still print. */
const quiet = { info() {}, warn() {}, debug() {}, trace() {}, log() {}, error: console.error };

/**
 * Bundles the workflows exported by `workflowsPath` into `bundlePath`; returns `bundlePath`. `options` are the
 * bundler's: by default ES2022 and the service's payload converter (a worker bundling its own takes it from its
 * `dataConverter`); an old build, bundled as the SDK does by default, passes none.
 */
export async function writeWorkflowBundle(
  workflowsPath: string,
  bundlePath: string,
  options: Pick<BundleOptions, 'webpackConfigHook' | 'payloadConverterPath'> = {
    ...workflowBundlerOptions,
    payloadConverterPath: dataConverter.payloadConverterPath,
  },
): Promise<string> {
  const bundle = await bundleWorkflowCode({ workflowsPath, logger: quiet as never, ...options });
  await writeFile(bundlePath, bundle.code);
  return bundlePath;
}
