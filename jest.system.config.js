// The system tier: tests that run the real Debian tools the generated files are for.
const base = require("./jest.config.js");
/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ["<rootDir>/tests/system/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/"],
};
