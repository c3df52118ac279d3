/**
 * `npm run test:cluster`: the suites under test/cluster, each starting its own local cluster
 * (src/runtime/cluster: PostgreSQL, the Temporal server built from source, workers and API
 * instances as processes). Two files at once: the schedule's file mostly waits for the minute.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 900_000,
  maxWorkers: 2,
};
