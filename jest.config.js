/** Three groups run by `npm test`: unit (pure code, no server), workflow (time-skipping test server), e2e (dev server + worker + API); and cluster, run by `npm run test:cluster`. */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,apps,activities,workflows,scripts}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'workflow',
      testMatch: ['<rootDir>/test/workflow/**/*.workflow-spec.ts'],
      globalSetup: '<rootDir>/test/workflow/global-setup.ts',
      slowTestThreshold: 60,
      setupFilesAfterEnv: ['<rootDir>/test/long-timeout.setup.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/long-timeout.setup.ts'],
    },
    {
      // `npm run test:cluster`: PostgreSQL + the pinned Temporal server, two workers, two APIs (the e2e story too).
      ...common,
      displayName: 'cluster',
      testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts', '<rootDir>/test/e2e/congress-story.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/cluster/global-setup.ts',
      globalTeardown: '<rootDir>/test/cluster/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/long-timeout.setup.ts'],
    },
  ],
};
