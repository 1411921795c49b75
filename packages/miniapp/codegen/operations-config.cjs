// @ts-check
/**
 * The typescript-operations settings every client's codegen uses (the mini-program's and the console's), so both
 * generate the same shapes from packages/api/schema.graphql.
 */
module.exports = {
  enumsAsTypes: true,
  skipTypename: true,
  useTypeImports: true,
  avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
  maybeValue: 'T | null',
  inputMaybeValue: 'T | null | undefined',
  scalars: { DateTimeISO: { input: 'string', output: 'string' }, SafeInt: { input: 'number', output: 'number' } },
};
