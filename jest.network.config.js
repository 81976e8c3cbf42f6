// The network tier (root): the project's own WireGuard, DNS and HTTPS path in network namespaces.
// One file, run in band: the tests share one small internet that is built once and torn down last.
const base = require("./jest.config.js");
/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ["<rootDir>/tests/network/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/"],
  maxWorkers: 1,
  testTimeout: 20000,
};
