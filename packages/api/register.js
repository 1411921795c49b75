// Runs TypeScript sources directly (decorator metadata included) for `pnpm start` and the CLIs.
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || require('node:path').join(__dirname, 'tsconfig.json');
require('@swc-node/register');
