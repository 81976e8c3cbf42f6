// Type checking is `npm run typecheck`'s job; tests transpile only, which keeps `npm test` fast on 2 cores.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  testMatch: ["<rootDir>/tests/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/tests/system/"],
  // npm run test:mutation keeps its sandbox copies of the project under reports/.
  modulePathIgnorePatterns: ["<rootDir>/reports/"],
  // Pulumi keeps its runtime state in a global; jest 30 would soft-delete it between files.
  testEnvironmentOptions: { globalsCleanup: "off" },
  testTimeout: 30000,
  // Jest defaults to cores - 1 workers, which is one on this 2-core machine; both cores help.
  maxWorkers: 2,
};
