// 60 s per test and hook: a fresh database takes every migration in beforeAll, which on a loaded 2-core machine
// (CI runs the suites one after another, but the machine is shared) has taken over 30 s.
// Every test runs with the transaction guard on (test/support/tx-guard-env.ts).
module.exports = { ...require('../../jest.base.js')(__dirname), testTimeout: 60_000, setupFiles: ['<rootDir>/test/support/tx-guard-env.ts'] };
