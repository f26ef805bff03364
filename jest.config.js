/** Jest runs the ESM build in dist/ (tsc type-checks and compiles first, see `npm test`). */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/dist/test'],
  testMatch: ['**/*.test.js'],
  transform: {},
  // Real components (dockerd, sshd, moto) take seconds to start; a test waiting on one is not hung.
  testTimeout: 120000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/summary-reporter.cjs'],
};
