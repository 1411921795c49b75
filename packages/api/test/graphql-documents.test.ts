/**
 * The trusted documents and the operation limits agree (no database): every operation the mini-program ships is in
 * the manifest under the hash it sends, and passes the default limits even with its page sizes at their maximum;
 * every list field of the schema has a known size for the cost estimate.
 */
import { createHash } from 'node:crypto';
import { getNullableType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, parse, specifiedRules, typeFromAST, validate, type GraphQLInputType, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import * as documents from '@quanzi/shared/graphql';
import type { TypedDocument } from '@quanzi/shared/graphql';
import { loadConfig } from '../src/config';
import { cachedOperationCost, costVariables, LIST_SIZES, operationCost, operationLimits, PAGE_LIMITS } from '../src/graphql/limits';
import { loadManifest } from '../src/graphql/trusted-documents';
import { schemaShape } from '../src/schema';

const production = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).graphql;
const manifest = loadManifest();
const shipped = (Object.entries(documents) as [string, unknown][]).filter((e): e is [string, TypedDocument<unknown, unknown>] => e[0].endsWith('Document') && typeof (e[1] as { query?: unknown }).query === 'string');

/** A value of `type` that passes coercion: the worst case for `first` (its maximum), something plausible otherwise. */
function sample(type: GraphQLInputType, name: string, pageMax: number): unknown {
  if (isNonNullType(type)) return sample(type.ofType, name, pageMax);
  if (isListType(type)) return [sample(type.ofType, name, pageMax)];
  if (isInputObjectType(type)) {
    return Object.fromEntries(Object.values(type.getFields()).filter((f) => isNonNullType(f.type)).map((f) => [f.name, sample(f.type, f.name, pageMax)]));
  }
  if (isEnumType(type)) return type.getValues()[0]?.value;
  switch (type.name) {
    case 'Int':
      return name === 'first' ? pageMax : 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return true;
    case 'DateTimeISO':
      return '2030-01-01T00:00:00.000Z'; // any valid timestamp: costs do not depend on it
    default:
      return '1';
  }
}

/** Variables for an operation, with `$first` at the largest value the field it feeds accepts. */
function worstCaseVariables(schema: GraphQLSchema, op: OperationDefinitionNode, body: string): Record<string, unknown> {
  const field = /(\w+)\([^)]*first:\$first/.exec(body)?.[1];
  const key = Object.keys(PAGE_LIMITS).find((k) => k.endsWith(`.${field}`));
  const pageMax = key ? (PAGE_LIMITS[key] as number) : 1;
  return Object.fromEntries(
    (op.variableDefinitions ?? []).map((v) => [v.variable.name.value, sample(typeFromAST(schema, v.type as never) as GraphQLInputType, v.variable.name.value, pageMax)]),
  );
}

describe('trusted documents', () => {
  test('every shipped operation is in persisted.json under the SHA-256 of the text it sends, and nothing else is', () => {
    expect(shipped.length).toBeGreaterThan(40);
    for (const [name, doc] of shipped) {
      expect({ name, sha256: createHash('sha256').update(doc.query).digest('hex') }).toEqual({ name, sha256: doc.sha256 });
      expect(manifest.get(doc.sha256)).toBe(doc.query);
    }
    expect(manifest.size).toBe(shipped.length);
  });
});

describe('operation limits', () => {
  test('every registered document passes the production limits with its page sizes at their maximum', async () => {
    const schema = await schemaShape();
    const limits = operationLimits(production);
    const costs: Record<string, number> = {};
    for (const [, body] of manifest) {
      const doc = parse(body, limits.parseOptions);
      const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition') as OperationDefinitionNode;
      const name = op.name?.value ?? '?';
      expect({ name, errors: validate(schema, doc, [...specifiedRules, ...limits.validationRules]).map((e) => e.message) }).toEqual({ name, errors: [] });
      costs[name] = operationCost(schema, doc, name, worstCaseVariables(schema, op, body));
    }
    if (process.env.SHOW_COSTS) console.log(Object.entries(costs).sort((a, b) => b[1] - a[1]).slice(0, 8));
    const over = Object.entries(costs).filter(([, c]) => c > production.maxCost);
    expect(over).toEqual([]);
    // Headroom: the most expensive shipped operation stays well under the limit, so the limit is not set by accident.
    expect(Math.max(...Object.values(costs))).toBeLessThanOrEqual(production.maxCost * 0.8);
  });

  test('every list field of the schema has a page limit or a known size, and every `first` a page limit', async () => {
    const schema = await schemaShape();
    const unknown: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const key = `${type.name}.${field.name}`;
        const paged = field.args.some((a) => a.name === 'first');
        if (paged ? !(key in PAGE_LIMITS) : isListType(getNullableType(field.type)) && !(key in LIST_SIZES)) unknown.push(key);
      }
    }
    expect(unknown).toEqual([]);
    for (const key of [...Object.keys(PAGE_LIMITS), ...Object.keys(LIST_SIZES)]) {
      const [typeName, fieldName] = key.split('.') as [string, string];
      const type = schema.getType(typeName);
      expect({ key, exists: isObjectType(type) && fieldName in type.getFields() }).toEqual({ key, exists: true });
    }
  });

  test('costs are remembered per document and per value of the variables they depend on, never across them', async () => {
    const schema = await schemaShape();
    const doc = parse('query Home($n: Int!, $k: Boolean!, $note: String) { me { memberNo ledger(first: $n) @include(if: $k) { edges { cursor } } } }');
    expect(costVariables(doc)).toEqual(['k', 'n']);
    const costOf = cachedOperationCost();
    const fresh = (v: Record<string, unknown>) => operationCost(schema, doc, 'Home', v);
    // Each answer equals the uncached one: a new page size or a skipped list gives a new cost.
    for (const v of [{ n: 10, k: true }, { n: 100, k: true }, { n: 100, k: false }, { n: 10, k: true, note: 'a' }, { n: 10, k: true, note: 'b' }]) expect(costOf(schema, doc, 'Home', v)).toBe(fresh(v));
    expect(costOf(schema, doc, 'Home', { n: 100, k: true })).toBeGreaterThan(costOf(schema, doc, 'Home', { n: 10, k: true }));
    // A refusal is not remembered: a bad page size is refused every time, also after a good one.
    expect(() => costOf(schema, doc, 'Home', { n: 101, k: true })).toThrow(/first must be 1–100/);
    expect(() => costOf(schema, doc, 'Home', { n: 101, k: true })).toThrow(/first must be 1–100/);
    // Absent and null are not the same key: the default of an absent variable, null refused.
    const withDefault = parse('query Page($n: Int = 5) { me { ledger(first: $n) { edges { cursor } } } }');
    const absent = costOf(schema, withDefault, 'Page', {});
    expect(absent).toBe(operationCost(schema, withDefault, 'Page', {}));
    expect(() => costOf(schema, withDefault, 'Page', { n: null })).toThrow(/must not be null/);
    // Remembered: a second call with the same values does not run the estimator again.
    const counted = parse('query Count { me { memberNo } }');
    const spy = jest.spyOn(schema, 'getQueryType');
    costOf(schema, counted, 'Count', {});
    const calls = spy.mock.calls.length;
    costOf(schema, counted, 'Count', { unrelated: 1 });
    expect(spy.mock.calls.length).toBe(calls);
    spy.mockRestore();
  });
});
