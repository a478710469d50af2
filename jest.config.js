/** @type {import('jest').Config} */
const swc = ['@swc/jest', { swcrc: true }];
const common = {
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@switchboard/workflows$': '<rootDir>/workflows',
    '^@switchboard/activities$': '<rootDir>/activities',
    '^@switchboard/(.*)$': '<rootDir>/libs/$1',
  },
  testEnvironment: 'node',
  clearMocks: true,
};

module.exports = {
  maxWorkers: 2,
  testTimeout: 180000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,workflows,activities}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'workflow',
      testMatch: ['<rootDir>/test/workflows/**/*.workflow-spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
    },
  ],
};
