// Entry for `@quanzi/shared/graphql` (the package has no `exports` map; consumers resolve this file).
export * from './src/graphql';
