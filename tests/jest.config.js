// End-to-end journeys (GraphQL clients, Playwright on the H5 build). Benchmarks live in bench/ and are not tests.
module.exports = { ...require('../jest.base.js')(__dirname), testTimeout: 120_000 };
