// Type checking is `npm run typecheck`'s job; tests transpile only, which keeps `npm test` fast on 2 cores.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  testMatch: ["<rootDir>/tests/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/tests/system/", "<rootDir>/tests/network/"],
  // npm run test:mutation keeps its sandbox copies of the project under reports/.
  modulePathIgnorePatterns: ["<rootDir>/reports/"],
  // Pulumi keeps its runtime state in a global; jest 30 would soft-delete it between files.
  testEnvironmentOptions: { globalsCleanup: "off" },
  // A generous ceiling: a hook that plans several variants must not fail only because the machine is busy.
  testTimeout: 120000,
  // One plan cache per run (tests/helpers/plan-cache.ts): each stack text is evaluated once.
  globalSetup: "<rootDir>/tests/global-setup.ts",
  globalTeardown: "<rootDir>/tests/global-teardown.ts",
  // Jest defaults to cores - 1 workers, which is one on this 2-core machine; both cores help.
  maxWorkers: 2,
};
