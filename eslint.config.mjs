// Type-aware lint. Workflow code and the pure spec code it imports must stay deterministic:
// no Node built-ins, no provider SDKs, no clocks or randomness outside Temporal's APIs.
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'url', 'util', 'stream', 'events', 'process', 'timers', 'worker_threads', 'zlib', 'dns', 'tls', 'buffer'];
const forbidden = [
  ...nodeBuiltins.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'Workflow and spec code must be deterministic: no Node built-ins.' })),
];
const forbiddenPatterns = [
  { group: ['@aws-sdk/*', '@octokit/*', 'libsodium-wrappers', 'express', 'pino', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'Provider SDKs and Node-only Temporal packages may not enter the workflow bundle.' },
  { group: ['**/activities/**', '**/resources/**', '**/api/**'], allowTypeImports: true, message: 'Workflows import activity types only.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', 'coverage/**', 'jest.config.js', 'eslint.config.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { import: importPlugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'import/no-cycle': 'error',
    },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js'] } } },
  },
  {
    files: ['src/workflows/**/*.ts', 'src/spec/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: forbidden, patterns: forbiddenPatterns }],
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval', 'Buffer', 'require'],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Use Temporal-safe randomness.' }, { object: 'Date', property: 'now', message: 'Use workflow time only.' }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-member-access': 'off', '@typescript-eslint/no-unsafe-argument': 'off', '@typescript-eslint/no-unsafe-call': 'off', '@typescript-eslint/no-unsafe-return': 'off', '@typescript-eslint/unbound-method': 'off' },
  },
  // Setup scripts are plain Node ESM (built-ins only, run before npm install): syntax lint, no types.
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
