// Type-aware lint. Workflow code and the pure spec code it imports must stay deterministic:
// no Node built-ins, no provider SDKs, no clocks or randomness outside Temporal's APIs.
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'https',
  'net',
  'url',
  'util',
  'stream',
  'events',
  'process',
  'timers',
  'worker_threads',
  'zlib',
  'dns',
  'tls',
  'buffer',
];
const forbidden = [
  ...nodeBuiltins
    .flatMap((m) => [m, `node:${m}`])
    .map((name) => ({ name, message: 'Workflow and spec code must be deterministic: no Node built-ins.' })),
];
const deepSdkImports = {
  group: ['@temporalio/*/lib/*'],
  message: "The SDK's internals change without notice: use src/temporal/sdk-internals.ts, the one adapter over them.",
};
const forbiddenPatterns = [
  deepSdkImports,
  {
    group: [
      '@aws-sdk/*',
      '@octokit/*',
      'libsodium-wrappers',
      'express',
      'pino',
      '@temporalio/client',
      '@temporalio/worker',
      '@temporalio/activity',
    ],
    message: 'Provider SDKs and Node-only Temporal packages may not enter the workflow bundle.',
  },
  {
    group: ['**/activities/**', '**/resources/**', '**/api/**'],
    allowTypeImports: true,
    message: 'Workflows import activity types only.',
  },
];

// The layers, top to bottom: api → client · workflows → activities → resources → providers ·
// credentials · config · logging, with src/model (the pure core) beneath them all. An import may point down,
// never up; tests, support and benchmarks may import anything, src imports none of them; the dashboard
// (ui/src) imports only src/model.
const above = (...dirs) => dirs.map((d) => `./src/${d}`);
const entryPoints = ['./src/main.ts', './src/main-api.ts', './src/main-worker.ts', './src/worker.ts'];
const layers = [
  {
    target: './src/model',
    from: './src',
    except: ['./model'],
    message: 'src/model is the pure core: it imports nothing else from src.',
  },
  {
    target: './src/templates',
    from: './src',
    except: ['./model', './templates'],
    message: 'src/templates (the template format and its loading) imports only src/model.',
  },
  {
    target: above('providers', 'credentials', 'config', 'logging'),
    from: [...above('resources', 'activities', 'workflows', 'client', 'api', 'runtime'), ...entryPoints],
    message:
      'Providers, credentials, config and logging are the bottom layer: they import only src/model and each other.',
  },
  {
    target: './src/resources',
    from: [...above('activities', 'workflows', 'client', 'api', 'runtime'), ...entryPoints],
    message: 'Resource types may use providers, credentials, config and model, never the layers that call them.',
  },
  {
    target: './src/activities',
    from: [...above('workflows', 'client', 'api', 'runtime'), ...entryPoints],
    message: 'Activities are called by workflows; they import resources and below.',
  },
  {
    target: './src/workflows',
    from: [...above('client', 'api', 'runtime', 'resources', 'providers', 'credentials', 'config'), ...entryPoints],
    message: 'Workflows import the pure core and activity types only.',
  },
  {
    target: './src/client',
    from: [...above('api', 'runtime'), ...entryPoints],
    message: 'The client starts workflows; the API uses it, not the other way round.',
  },
  {
    target: './src/cli',
    from: './src',
    except: ['./cli', './model', './credentials'],
    message: 'src/cli speaks only the public REST API: it imports nothing from src but src/model and src/credentials.',
  },
  {
    target: './ui/src',
    from: './src',
    except: ['./model'],
    message: 'The dashboard speaks only the REST API: ui/src imports nothing from src but src/model.',
  },
  {
    target: './src',
    from: ['./test', './support', './bench', './scripts'],
    message: 'Product code never imports tests, test support, benchmarks or scripts.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'ui/dist/**',
      '.tools/**',
      '.data/**',
      'coverage/**',
      'jest.config.js',
      'jest.cluster.config.js',
      'eslint.config.mjs',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { import: importPlugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'import/no-cycle': 'error',
      'import/no-restricted-paths': ['error', { zones: layers }],
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [deepSdkImports] }],
    },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js'] } } },
  },
  {
    files: ['src/workflows/**/*.ts', 'src/model/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: forbidden, patterns: forbiddenPatterns }],
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval', 'Buffer', 'require'],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use Temporal-safe randomness.' },
        { object: 'Date', property: 'now', message: 'Use workflow time only.' },
      ],
    },
  },
  // The adapter over the SDK's internals is the one file allowed to import them.
  { files: ['src/temporal/sdk-internals.ts'], rules: { '@typescript-eslint/no-restricted-imports': 'off' } },
  {
    files: ['test/**/*.ts', 'support/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  // Setup scripts are plain Node ESM (built-ins only, run before npm install): syntax lint, no types.
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
