// Imported first by bench/run.ts: libraries (graphql-js, Apollo, fastify) read NODE_ENV when they load, and the
// benchmark measures the API as it runs in production. Child processes inherit it.
process.env.NODE_ENV = 'production';
