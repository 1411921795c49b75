// The generated file imports TypedDocument from here: the same type the mini-program's documents use.
export type { TypedDocument, ResultOf, VariablesOf } from '@quanzi/shared/graphql';
