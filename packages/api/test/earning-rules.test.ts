/**
 * Earning rules can be edited (a new version; the old one retired, kept as history) and retired; one active base
 * rate per HQ/region/store (and one multiplier per category there): a second is RULE_CONFLICT. `earningRules`
 * says which rule applies at the store. Through real HTTP on MariaDB.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@quanzi/shared';
import { toInt } from '../src/db/sql';
import { startTestApp, type TestApp } from './support/harness';

const RECORD = 'mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { points } }';
const CREATE = 'mutation($input: CreateEarningRuleInput!) { createEarningRule(input: $input) { id fenPerPoint active replacesId retiredAt } }';
const UPDATE = 'mutation($id: ID!, $input: UpdateEarningRuleInput!) { updateEarningRule(id: $id, input: $input) { id name fenPerPoint active replacesId retiredAt } }';
const RETIRE = 'mutation($id: ID!) { retireEarningRule(id: $id) { id active retiredAt } }';
const SET_ACTIVE = 'mutation($id: ID!, $active: Boolean!) { setEarningRuleActive(id: $id, active: $active) { id active } }';
const RULES = 'query($storeId: ID!) { earningRules(storeId: $storeId) { baseRates { id scope fenPerPoint appliesHere } categories { id category appliesHere } } }';
const DEFS = '{ earningRuleDefinitions { id fenPerPoint active replacesId retiredAt } }';

type Member = Awaited<ReturnType<TestApp['signIn']>>;
type Gql = { data?: Record<string, any> | null; errors?: { extensions?: { code?: string } }[] };

describe('earning rules: edit, retire, conflicts, which rule applies', () => {
  let t: TestApp;
  let hq: Member;
  let bj: Member;
  let staff: Member;
  let n = 0;
  beforeAll(async () => {
    t = await startTestApp('mariadb');
    hq = await t.signIn('rules-hq');
    await t.grant(hq.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    bj = await t.signIn('rules-bj');
    await t.grant(bj.userId, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.beijing });
    staff = await t.signIn('rules-staff');
    await t.grant(staff.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
  }, 60_000);
  afterAll(async () => t?.close());

  const ok = (r: Gql) => {
    expect(r.errors).toBeUndefined();
    return r.data as Record<string, any>;
  };
  const code = (r: Gql) => r.errors?.[0]?.extensions?.code;
  /** A ¥123.45 purchase at 国贸 by a fresh member: the points the rules give it now. */
  const buy = async () => {
    const m = await t.signIn(`rules-m-${++n}`);
    const input = { memberCode: t.codeOf(m), storeId: String(t.org.guomao), amountFen: 12_345, lines: [{ category: 'general', amountFen: 12_345 }], idempotencyKey: randomUUID() };
    return ok(await t.gql(RECORD, { input }, staff.token)).recordPurchase.points as number;
  };
  const applying = async () => {
    const rules = ok(await t.gql(RULES, { storeId: String(t.org.guomao) })).earningRules;
    return (rules.baseRates as { id: string; scope: string; fenPerPoint: number; appliesHere: boolean }[]).filter((r) => r.appliesHere).map((r) => [r.scope, r.fenPerPoint]);
  };
  const ruleCount = async () => toInt((await t.app.services.db.q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM earning_rule'))?.n);
  const baseRate = (scopeId: number, fenPerPoint: number, name = `门店 ${fenPerPoint}`) => ({ kind: 'BASE_RATE', name, scope: 'STORE', scopeId: String(scopeId), fenPerPoint });

  test('earningRuleDefinitions lists only the rules whose scope meets the manager’s: HQ’s, their region’s, their stores’', async () => {
    const xa = await t.signIn('rules-xa');
    await t.grant(xa.userId, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.xian });
    const gm = await t.signIn('rules-gm');
    await t.grant(gm.userId, { role: 'MANAGER', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
    const zl = ok(await t.gql(CREATE, { input: baseRate(t.org.zhonglou, 300, '钟楼 ¥3 = 1') }, xa.token)).createEarningRule;
    const slt = ok(await t.gql(CREATE, { input: baseRate(t.org.sanlitun, 400, '三里屯 ¥4 = 1') }, bj.token)).createEarningRule;
    const names = async (m: Member) =>
      (ok(await t.gql('{ earningRuleDefinitions { name scope } }', {}, m.token)).earningRuleDefinitions as { name: string }[]).map((r) => r.name).sort();
    // Seeded: HQ ¥1=1 and 生鲜 1.5x (HQ), 北京 ¥10=1 (region 北京).
    expect(await names(hq)).toEqual(['HQ ¥1=1', '三里屯 ¥4 = 1', '北京 ¥10=1', '生鲜 1.5x', '钟楼 ¥3 = 1'].sort());
    expect(await names(bj)).toEqual(['HQ ¥1=1', '三里屯 ¥4 = 1', '北京 ¥10=1', '生鲜 1.5x'].sort());
    expect(await names(xa)).toEqual(['HQ ¥1=1', '生鲜 1.5x', '钟楼 ¥3 = 1'].sort());
    // The 国贸 store manager sees what applies at 国贸 (HQ's, 北京's), not 三里屯's nor 西安's.
    expect(await names(gm)).toEqual(['HQ ¥1=1', '北京 ¥10=1', '生鲜 1.5x'].sort());
    expect(code(await t.gql(DEFS, {}, staff.token))).toBe(ErrorCode.FORBIDDEN);
    for (const r of [zl, slt]) ok(await t.gql(RETIRE, { id: r.id }, hq.token));
  });

  test('editing a store base rate changes what the next till purchase earns; the old version stays as history', async () => {
    expect(await buy()).toBe(12); // 北京 ¥10 = 1
    expect(await applying()).toEqual([['REGION', 1000]]);
    const created = ok(await t.gql(CREATE, { input: baseRate(t.org.guomao, 500) }, bj.token)).createEarningRule;
    expect(await applying()).toEqual([['STORE', 500]]);
    expect(await buy()).toBe(24);
    const edited = ok(await t.gql(UPDATE, { id: created.id, input: { fenPerPoint: 200, name: '国贸 ¥2 = 1' } }, bj.token)).updateEarningRule;
    expect(edited).toMatchObject({ name: '国贸 ¥2 = 1', fenPerPoint: 200, active: true, replacesId: created.id, retiredAt: null });
    expect(await buy()).toBe(61);
    expect(await applying()).toEqual([['STORE', 200]]);
    const defs = ok(await t.gql(DEFS, {}, hq.token)).earningRuleDefinitions as { id: string; active: boolean; retiredAt: string | null }[];
    expect(defs.find((d) => d.id === created.id)).toMatchObject({ active: false, retiredAt: expect.any(String) });
    // The old version is history: it cannot be edited or switched on again.
    expect(code(await t.gql(UPDATE, { id: created.id, input: { fenPerPoint: 100 } }, bj.token))).toBe(ErrorCode.CONFLICT);
    expect(code(await t.gql(SET_ACTIVE, { id: created.id, active: true }, bj.token))).toBe(ErrorCode.CONFLICT);
    // Bad input changes nothing.
    const before = await ruleCount();
    expect(code(await t.gql(UPDATE, { id: edited.id, input: { fenPerPoint: 0 } }, bj.token))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(await ruleCount()).toBe(before);
    expect(await buy()).toBe(61);

    // Retire: the store falls back to the region's rate at once.
    const retired = ok(await t.gql(RETIRE, { id: edited.id }, bj.token)).retireEarningRule;
    expect(retired).toMatchObject({ active: false, retiredAt: expect.any(String) });
    expect(await applying()).toEqual([['REGION', 1000]]);
    expect(await buy()).toBe(12);
  }, 60_000);

  test('a second active base rate for the same store is RULE_CONFLICT and changes nothing, also when sent concurrently', async () => {
    const first = ok(await t.gql(CREATE, { input: baseRate(t.org.sanlitun, 300) }, hq.token)).createEarningRule;
    const before = await ruleCount();
    expect(code(await t.gql(CREATE, { input: baseRate(t.org.sanlitun, 100) }, hq.token))).toBe(ErrorCode.RULE_CONFLICT);
    expect(await ruleCount()).toBe(before);
    // A second one may exist switched off, but not be switched on while the first holds the store.
    ok(await t.gql(SET_ACTIVE, { id: first.id, active: false }, hq.token));
    const second = ok(await t.gql(CREATE, { input: baseRate(t.org.sanlitun, 100) }, hq.token)).createEarningRule;
    ok(await t.gql(SET_ACTIVE, { id: second.id, active: false }, hq.token));
    ok(await t.gql(SET_ACTIVE, { id: first.id, active: true }, hq.token));
    expect(code(await t.gql(SET_ACTIVE, { id: second.id, active: true }, hq.token))).toBe(ErrorCode.RULE_CONFLICT);
    // Category multipliers: one per category per scope.
    const cat = { kind: 'CATEGORY', name: '饮料 2 倍', scope: 'REGION', scopeId: String(t.org.xian), category: 'drinks', multiplierPct: 200 };
    ok(await t.gql(CREATE, { input: cat }, hq.token));
    expect(code(await t.gql(CREATE, { input: { ...cat, multiplierPct: 300 } }, hq.token))).toBe(ErrorCode.RULE_CONFLICT);
    // Ten managers racing for one store's base rate: exactly one wins.
    const racing = await Promise.all(Array.from({ length: 10 }, (_, i) => t.gql(CREATE, { input: baseRate(t.org.zhonglou, 100 + i) }, hq.token)));
    expect(racing.filter((r) => !r.errors).length).toBe(1);
    expect(racing.filter((r) => code(r) === ErrorCode.RULE_CONFLICT).length).toBe(9);
    const live = await t.app.services.db.q.get<{ n: unknown }>("SELECT COUNT(*) AS n FROM earning_rule WHERE kind = 'BASE_RATE' AND scope = 'STORE' AND scope_id = ? AND active = ?", [t.org.zhonglou, t.app.services.db.q.bool(true)]);
    expect(toInt(live?.n)).toBe(1);
  }, 60_000);

  test('managers edit and retire only inside their scope', async () => {
    const xa = await t.signIn('rules-xa');
    await t.grant(xa.userId, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.xian });
    const rule = ok(await t.gql(CREATE, { input: { ...baseRate(t.org.guomao, 700) } }, bj.token)).createEarningRule;
    const before = await ruleCount();
    expect(code(await t.gql(UPDATE, { id: rule.id, input: { fenPerPoint: 1 } }, xa.token))).toBe(ErrorCode.FORBIDDEN);
    expect(code(await t.gql(RETIRE, { id: rule.id }, xa.token))).toBe(ErrorCode.FORBIDDEN);
    expect(code(await t.gql(RETIRE, { id: rule.id }, staff.token))).toBe(ErrorCode.FORBIDDEN);
    expect(code(await t.gql(RETIRE, { id: rule.id }, null))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await ruleCount()).toBe(before);
    expect(await applying()).toEqual([['STORE', 700]]);
    ok(await t.gql(RETIRE, { id: rule.id }, hq.token));
  }, 60_000);
});
