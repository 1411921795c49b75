/**
 * GraphQL documents used by the mini-program (and usable by any client), with types generated from the API's
 * schema: `pnpm --filter miniapp codegen`. Import as `@quanzi/shared/graphql`; pure TypeScript, no runtime deps.
 */
export * from './typed-document';
export * from './generated';
