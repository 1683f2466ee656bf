// Test tiers by file suffix (see docs/architecture.md): *.spec.ts are unit tests with no I/O,
// *.int-spec.ts talk to a real PostgreSQL or the embedded store, test/*.e2e-spec.ts drive the apps,
// test/**/*.browser-spec.ts drive the web app in Chromium.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
    module: { type: 'commonjs', ignoreDynamic: true },
  },
];
const common = {
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@samverkan/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/test-keys.ts'],
};
/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    {
      // The web app in Debian's Chromium against the API on a real port (test/support/chromium.ts).
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/support/build-web.ts',
    },
  ],
  testTimeout: 120000,
  // Two suites at a time at least: most of a suite's time is waiting (a browser, PostgreSQL,
  // Kafka), and each suite has its own databases, topics, ports and folders. A worker that has
  // grown past 1 GB (the embedded PostgreSQL of many suites) is replaced between suites.
  // `npm test` runs the integration suites apart, first (scripts/test.ts says why).
  maxWorkers: Math.max(2, Math.floor(require('node:os').availableParallelism() / 2)),
  workerIdleMemoryLimit: '1GB',
};
