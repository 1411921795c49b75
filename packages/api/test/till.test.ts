/**
 * Staff at the till (F2–F4) through real HTTP on MariaDB: recording purchases, deducting points, member-code
 * checks, exactly-once retries, and bad input that changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { computeEarning, ErrorCode, MEMBER_CODE_STEP_SECONDS, ruleSetFromView, totpStep, type EarningRuleSetView } from '@quanzi/shared';
import { SignJWT } from 'jose';
import { StatementLog } from '../src/db/statement-log';
import { startTestApp, type TestApp } from './support/harness';

const RECORD = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id memberNo points balance replayed steps { rule description points } } }`;
const REDEEM = `mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { id memberNo points balance replayed } }`;
const ME = `{ me { points tier { code name } nextTier { code name spendNeeded } ledger(first: 5) { edges { node { delta kind reason storeName } } } } }`;

type Member = Awaited<ReturnType<TestApp['signIn']>>;
type Receipt = { recordPurchase: { id: string; memberNo: string; points: number; balance: number; replayed: boolean; steps: { rule: string; description: string; points: number }[] } };

describe('till operations', () => {
  let t: TestApp;
  let staff: Member;
  let staffXian: Member;
  let n = 0;
  beforeAll(async () => {
    t = await startTestApp('mariadb');
    staff = await t.signIn('till-staff');
    await t.grant(staff.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
    staffXian = await t.signIn('till-staff-xian');
    await t.grant(staffXian.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.zhonglou, regionId: t.org.xian });
  }, 60_000);
  afterAll(async () => t?.close());

  const newMember = () => t.signIn(`till-member-${++n}`);
  const purchase = (m: Member, over: Record<string, unknown> = {}, nowMs = Date.now()) => ({
    memberCode: t.codeOf(m, nowMs),
    storeId: String(t.org.guomao),
    amountFen: 12_345,
    lines: [{ category: 'general', amountFen: 12_345 }],
    idempotencyKey: randomUUID(),
    ...over,
  });
  const errCode = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

  test('a purchase in Beijing earns ¥10 = 1 point, shows in me and the ledger, with the engine explanation', async () => {
    const m = await newMember();
    const r = await t.gql<Receipt>(RECORD, { input: purchase(m) }, staff.token);
    expect(r.errors).toBeUndefined();
    expect(r.data?.recordPurchase).toMatchObject({ memberNo: m.memberNo, points: 12, balance: 12, replayed: false });
    expect(r.data?.recordPurchase.steps.at(-1)?.points).toBe(12);
    const me = await t.gql<{ me: { points: number; ledger: { edges: { node: { delta: number; kind: string; reason: string; storeName: string } }[] } } }>(ME, {}, m.token);
    expect(me.data?.me.points).toBe(12);
    expect(me.data?.me.ledger.edges[0]?.node).toEqual({ delta: 12, kind: 'EARN', reason: '门店消费 ¥123.45', storeName: '北京国贸店' });
  });

  test("the mini-program's preview (earningRules view + shared engine) explains the purchase line for line like the receipt", async () => {
    const m = await newMember();
    const RULES = `query($storeId: ID!) { earningRules(storeId: $storeId) { baseRates { id scope scopeId scopeName fenPerPoint } categories { id category multiplierPct scope scopeId scopeName } campaigns { id name multiplierPct startsAt endsAt scope scopeId categories } capPerPurchase rounding storeId regionId } }`;
    const view = (await t.gql<{ earningRules: EarningRuleSetView & { storeId: string; regionId: string } }>(RULES, { storeId: String(t.org.guomao) }, staff.token)).data?.earningRules;
    if (!view) throw new Error('no earningRules');
    const input = purchase(m, { amountFen: 20_000, lines: [{ category: 'general', amountFen: 12_345 }, { category: 'fresh', amountFen: 7_655 }] });
    const r = await t.gql<Receipt>(RECORD, { input }, staff.token);
    expect(r.errors).toBeUndefined();
    const preview = computeEarning(ruleSetFromView(view), {
      storeId: view.storeId,
      regionId: view.regionId,
      at: new Date(),
      tierMultiplierPct: 100,
      lines: input.lines as { category: string; amountFen: number }[],
    });
    expect(preview.steps.map((s) => s.description)).toEqual(r.data?.recordPurchase.steps.map((s) => s.description));
    expect(preview.steps[0]?.description).toMatch(/^基础积分：北京 每 ¥10 = 1 积分/);
  });

  test("Xi'an earns ¥1 = 1 point; category multipliers apply per line", async () => {
    const m = await newMember();
    const input = purchase(m, { storeId: String(t.org.zhonglou), amountFen: 30_000, lines: [{ category: 'general', amountFen: 10_000 }, { category: 'fresh', amountFen: 20_000 }] });
    const r = await t.gql<Receipt>(RECORD, { input }, staffXian.token);
    expect(r.errors).toBeUndefined();
    expect(r.data?.recordPurchase.points).toBe(100 + 300);
  });

  test('spend crossing a threshold upgrades the tier at once and the next tier shows what is left', async () => {
    const m = await newMember();
    const r = await t.gql<Receipt>(RECORD, { input: purchase(m, { amountFen: 120_000, lines: [{ category: 'general', amountFen: 120_000 }] }) }, staff.token);
    expect(r.errors).toBeUndefined();
    const me = await t.gql<{ me: { tier: { code: string }; nextTier: { code: string; spendNeeded: number } } }>(ME, {}, m.token);
    expect(me.data?.me.tier.code).toBe('SILVER');
    expect(me.data?.me.nextTier).toMatchObject({ code: 'GOLD', spendNeeded: 500_000 - 120_000 });
  });

  test('the same idempotency key 20 times concurrently credits once and every call gets the first receipt', async () => {
    const m = await newMember();
    const input = purchase(m);
    const results = await Promise.all(Array.from({ length: 20 }, () => t.gql<Receipt>(RECORD, { input }, staff.token)));
    for (const r of results) expect(r.errors).toBeUndefined();
    const ids = new Set(results.map((r) => r.data?.recordPurchase.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.data?.recordPurchase.replayed === false)).toHaveLength(1);
    const me = await t.gql<{ me: { points: number } }>(ME, {}, m.token);
    expect(me.data?.me.points).toBe(12);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('a retry after the code rotated still returns the first receipt; the key with another amount is IDEMPOTENCY_CONFLICT', async () => {
    const m = await newMember();
    const input = purchase(m);
    const first = await t.gql<Receipt>(RECORD, { input }, staff.token);
    const later = { ...input, memberCode: t.codeOf(m, Date.now() + 5 * MEMBER_CODE_STEP_SECONDS * 1000) };
    const retry = await t.gql<Receipt>(RECORD, { input: later }, staff.token);
    expect(retry.data?.recordPurchase).toMatchObject({ id: first.data?.recordPurchase.id, replayed: true, points: 12 });
    const before = await t.counts();
    const other = await t.gql(RECORD, { input: { ...input, amountFen: 99_900, lines: [{ category: 'general', amountFen: 99_900 }] } }, staff.token);
    expect(errCode(other)).toBe(ErrorCode.IDEMPOTENCY_CONFLICT);
    expect(await t.counts()).toEqual(before);
  });

  test('a member code is single-use (CODE_REUSED), stale codes are CODE_EXPIRED, forged ones CODE_INVALID', async () => {
    const m = await newMember();
    const code = t.codeOf(m);
    expect((await t.gql(RECORD, { input: purchase(m, { memberCode: code }) }, staff.token)).errors).toBeUndefined();
    const other = await newMember();
    const before = await t.counts();
    expect(errCode(await t.gql(RECORD, { input: purchase(m, { memberCode: code }) }, staff.token))).toBe(ErrorCode.CODE_REUSED);
    const stale = t.codeOf(m, Date.now() - 5 * 60_000);
    expect(errCode(await t.gql(RECORD, { input: purchase(m, { memberCode: stale }) }, staff.token))).toBe(ErrorCode.CODE_EXPIRED);
    // Someone else's code: a real member number with a TOTP from another member's secret.
    const forged = `QZ1.${m.memberNo}.${t.codeOf(other).split('.')[2]}`;
    expect(errCode(await t.gql(RECORD, { input: purchase(m, { memberCode: forged }) }, staff.token))).toBe(ErrorCode.CODE_INVALID);
    expect(errCode(await t.gql(RECORD, { input: purchase(m, { memberCode: 'hello' }) }, staff.token))).toBe(ErrorCode.CODE_INVALID);
    expect(errCode(await t.gql(RECORD, { input: purchase(m, { memberCode: 'QZ1.1234567890.123456' }) }, staff.token))).toBe(ErrorCode.CODE_INVALID);
    expect(await t.counts()).toEqual(before);
  });

  test.each([
    ['a negative amount', { amountFen: -100, lines: [{ category: 'general', amountFen: -100 }] }, ErrorCode.BAD_USER_INPUT],
    ['a zero amount', { amountFen: 0, lines: [{ category: 'general', amountFen: 0 }] }, ErrorCode.BAD_USER_INPUT],
    ['lines that do not add up', { amountFen: 1000, lines: [{ category: 'general', amountFen: 999 }] }, ErrorCode.BAD_USER_INPUT],
    ['no lines', { lines: [] }, ErrorCode.BAD_USER_INPUT],
    ['a fractional amount', { amountFen: 10.5, lines: [{ category: 'general', amountFen: 10.5 }] }, ErrorCode.BAD_USER_INPUT],
    ['a short idempotency key', { idempotencyKey: 'abc' }, ErrorCode.BAD_USER_INPUT],
    ['an unknown store', { storeId: '999999' }, ErrorCode.NOT_FOUND],
    ['a non-numeric store id', { storeId: 'guomao' }, ErrorCode.BAD_USER_INPUT],
    ['a store where this user is not staff', { storeId: 'ZHONGLOU' }, ErrorCode.FORBIDDEN],
  ])('%s gets %s and changes nothing', async (_name, over, code) => {
    const m = await newMember();
    const before = await t.counts();
    const o = { ...over } as Record<string, unknown>;
    if (o.storeId === 'ZHONGLOU') o.storeId = String(t.org.zhonglou);
    const r = await t.gql(RECORD, { input: purchase(m, o) }, staff.token);
    expect(errCode(r)).toBe(code);
    expect(await t.counts()).toEqual(before);
    // The code was not consumed by the failed attempt: the same code still works.
    expect((await t.gql(RECORD, { input: purchase(m) }, staff.token)).errors).toBeUndefined();
  });

  test('a member (not staff) cannot record purchases; a malformed JWT is UNAUTHENTICATED', async () => {
    const m = await newMember();
    const before = await t.counts();
    expect(errCode(await t.gql(RECORD, { input: purchase(m) }, m.token))).toBe(ErrorCode.FORBIDDEN);
    expect(errCode(await t.gql(RECORD, { input: purchase(m) }, 'not.a.jwt'))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(errCode(await t.gql(RECORD, { input: purchase(m) }, null))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await t.counts()).toEqual(before);
  });

  test('redeemPoints deducts once per key, refuses an overdraft without changing anything', async () => {
    const m = await newMember();
    await t.gql(RECORD, { input: purchase(m, { amountFen: 100_000, lines: [{ category: 'general', amountFen: 100_000 }] }) }, staff.token);
    const step = MEMBER_CODE_STEP_SECONDS * 1000;
    const input = { memberCode: t.codeOf(m, Date.now() + step), storeId: String(t.org.guomao), points: 60, reason: '兑换咖啡', idempotencyKey: randomUUID() };
    const r1 = await t.gql<{ redeemPoints: { balance: number; replayed: boolean } }>(REDEEM, { input }, staff.token);
    expect(r1.errors).toBeUndefined();
    expect(r1.data?.redeemPoints).toMatchObject({ balance: 40, replayed: false });
    const r2 = await t.gql<{ redeemPoints: { balance: number; replayed: boolean } }>(REDEEM, { input }, staff.token);
    expect(r2.data?.redeemPoints).toMatchObject({ balance: 40, replayed: true });
    const fresh = await newMember();
    const before = await t.counts();
    const over = { ...input, memberCode: t.codeOf(m, Date.now() - step), points: 41, idempotencyKey: randomUUID() };
    // One step back is still within the ±1 window but at/below the used step: CODE_REUSED comes first.
    expect(errCode(await t.gql(REDEEM, { input: over }, staff.token))).toBe(ErrorCode.CODE_REUSED);
    const nothing = { ...input, memberCode: t.codeOf(fresh), points: 1, idempotencyKey: randomUUID() };
    expect(errCode(await t.gql(REDEEM, { input: nothing }, staff.token))).toBe(ErrorCode.INSUFFICIENT_POINTS);
    expect(await t.counts()).toEqual(before);
    const me = await t.gql<{ me: { points: number; ledger: { edges: { node: { delta: number; kind: string; reason: string } }[] } } }>(ME, {}, m.token);
    expect(me.data?.me.points).toBe(40);
    expect(me.data?.me.ledger.edges[0]?.node).toMatchObject({ delta: -60, kind: 'REDEEM', reason: '门店抵扣 · 兑换咖啡', storeName: '北京国贸店' });
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('memberByCode shows staff the member without consuming the code; tillOperations lists the latest first', async () => {
    const m = await newMember();
    const code = t.codeOf(m);
    const look = await t.gql<{ memberByCode: { memberNo: string; tierName: string; points: number } }>(
      'query($c: String!, $s: ID!) { memberByCode(code: $c, storeId: $s) { memberNo tierName points phone } }',
      { c: code, s: String(t.org.guomao) },
      staff.token,
    );
    expect(look.data?.memberByCode).toMatchObject({ memberNo: m.memberNo, tierName: '普通', points: 0 });
    const rec = await t.gql<Receipt>(RECORD, { input: purchase(m, { memberCode: code }) }, staff.token);
    expect(rec.errors).toBeUndefined();
    const ops = await t.gql<{ tillOperations: { kind: string; memberNo: string; points: number }[] }>(
      'query($s: ID!) { tillOperations(storeId: $s, first: 10) { id kind memberNo amountFen points createdAt } }',
      { s: String(t.org.guomao) },
      staff.token,
    );
    expect(ops.data?.tillOperations[0]).toMatchObject({ kind: 'PURCHASE', memberNo: m.memberNo, points: 12 });
    expect(ops.data?.tillOperations.length).toBeLessThanOrEqual(10);
    const denied = await t.gql('query($s: ID!) { tillOperations(storeId: $s) { id } }', { s: String(t.org.guomao) }, staffXian.token);
    expect(errCode(denied)).toBe(ErrorCode.FORBIDDEN);
  });

  test('every transaction runs at READ COMMITTED without a statement of its own (the session level, set per pooled connection)', async () => {
    const levels = await Promise.all(Array.from({ length: 12 }, () => t.app.services.db.tx((q) => q.get<{ l: string }>('SELECT @@SESSION.tx_isolation AS l'))));
    expect(new Set(levels.map((r) => r?.l))).toEqual(new Set(['READ-COMMITTED']));
  });

  test('a purchase costs four round trips: no idempotency pre-check, the transaction as one batch, no read-back of what it wrote', async () => {
    // The statements the hot path sends (pnpm bench lists them too); caches warm (a purchase first).
    expect((await t.gql(RECORD, { input: purchase(await newMember()) }, staff.token)).errors).toBeUndefined();
    const m = await newMember();
    const log = new StatementLog(t.app.services.db.orm);
    try {
      const { result, statements } = await log.record(() => t.gql<Receipt>(RECORD, { input: purchase(m) }, staff.token));
      expect(result.data?.recordPurchase).toMatchObject({ points: 12, balance: 12, replayed: false });
      // The verb and the first table outside subqueries (parenthesised parts removed, innermost first).
      const shape = (sql: string): string => {
        let flat = sql;
        for (let prev = ''; prev !== flat; ) [prev, flat] = [flat, flat.replace(/\([^()]*\)/g, '')];
        const x = /^\s*(SELECT|INSERT INTO|UPDATE|BEGIN|COMMIT)\b(?:.*?\bFROM\s+(\w+)|\s+(\w+))?/is.exec(flat);
        return x ? `${x[1]?.toUpperCase()}${x[2] || x[3] ? ` ${x[2] ?? x[3]}` : ''}` : sql;
      };
      // One entry per round trip; a multi-statement one lists its statements.
      expect(statements.map((sql) => sql.split(';\n').map(shape))).toEqual([
        ['SELECT role_assignment'], // the staff member's grants (authorize)
        ['SELECT member'], // the member by its number, with the code secret (verify)
        [
          'BEGIN',
          'UPDATE member', // consume the code's step: locks the member
          'INSERT INTO purchase', // its unique idempotency key is the check
          'UPDATE member_account', // ledger credit: balance first,
          'INSERT INTO points_entry', // then the entry (keyed by the purchase: LAST_INSERT_ID())
          'INSERT INTO points_lot', // and its lot (keyed by the entry)
          'SELECT member', // tier, rolling spend, referral binding and the new balance in one read
        ],
        ['COMMIT'],
      ]);
    } finally {
      log.close();
    }
  });

  describe('till tickets: the purchase can be submitted after the 30-second code has rotated', () => {
    const LOOKUP = 'query($c: String!, $s: ID!) { memberByCode(code: $c, storeId: $s) { memberNo tillTicket } }';
    const lookUp = async (code: string, token = staff.token) =>
      (await t.gql<{ memberByCode: { memberNo: string; tillTicket: string } }>(LOOKUP, { c: code, s: String(t.org.guomao) }, token)).data?.memberByCode;
    const byTicket = (m: Member, ticket: string) => {
      const { memberCode: _c, ...rest } = purchase(m);
      return { ...rest, tillTicket: ticket };
    };

    test('a looked-up member can be credited with the ticket, once; the code is then used up', async () => {
      const m = await newMember();
      const code = t.codeOf(m);
      const look = await lookUp(code);
      expect(look?.memberNo).toBe(m.memberNo);
      const r = await t.gql<Receipt>(RECORD, { input: byTicket(m, look?.tillTicket as string) }, staff.token);
      expect(r.errors).toBeUndefined();
      expect(r.data?.recordPurchase).toMatchObject({ memberNo: m.memberNo, points: 12 });
      const before = await t.counts();
      expect(errCode(await t.gql(RECORD, { input: byTicket(m, look?.tillTicket as string) }, staff.token))).toBe(ErrorCode.CODE_REUSED);
      expect(errCode(await t.gql(RECORD, { input: purchase(m, { memberCode: code }) }, staff.token))).toBe(ErrorCode.CODE_REUSED);
      expect(await t.counts()).toEqual(before);
    });

    test('a ticket for a step minutes old still works (its code alone would be CODE_EXPIRED)', async () => {
      const m = await newMember();
      const fiveMinutesAgo = Date.now() - 5 * 60_000;
      expect(errCode(await t.gql(RECORD, { input: purchase(m, { memberCode: t.codeOf(m, fiveMinutesAgo) }) }, staff.token))).toBe(ErrorCode.CODE_EXPIRED);
      const ticket = await t.app.services.tokens.signTillTicket({ memberId: m.memberId, memberNo: m.memberNo, step: totpStep(fiveMinutesAgo), storeId: t.org.guomao, staffId: staff.userId });
      const r = await t.gql<Receipt>(RECORD, { input: byTicket(m, ticket) }, staff.token);
      expect(r.errors).toBeUndefined();
      expect(r.data?.recordPurchase.points).toBe(12);
    });

    test('tickets of another till, forged, expired or mixed up with session tokens are refused and change nothing', async () => {
      const m = await newMember();
      const other = await t.signIn('till-staff-sanlitun');
      await t.grant(other.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.sanlitun, regionId: t.org.beijing });
      const look = await lookUp(t.codeOf(m));
      const ticket = look?.tillTicket as string;
      const key = new TextEncoder().encode('test-secret-test-secret-test-secret-0123');
      const expired = await new SignJWT({ mno: m.memberNo, stp: totpStep(Date.now()), sid: t.org.guomao, uid: staff.userId })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(m.memberId))
        .setIssuer('quanzi')
        .setAudience('quanzi:till')
        .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(key);
      const before = await t.counts();
      // Another staff user (even at a store they serve) cannot use this till's ticket.
      expect(errCode(await t.gql(RECORD, { input: { ...byTicket(m, ticket), storeId: String(t.org.sanlitun) } }, other.token))).toBe(ErrorCode.CODE_INVALID);
      expect(errCode(await t.gql(RECORD, { input: byTicket(m, `${ticket.slice(0, -4)}AAAA`) }, staff.token))).toBe(ErrorCode.CODE_INVALID);
      expect(errCode(await t.gql(RECORD, { input: byTicket(m, expired) }, staff.token))).toBe(ErrorCode.CODE_EXPIRED);
      expect(errCode(await t.gql(RECORD, { input: byTicket(m, m.token) }, staff.token))).toBe(ErrorCode.CODE_INVALID);
      expect(errCode(await t.gql(ME, {}, ticket))).toBe(ErrorCode.UNAUTHENTICATED);
      expect(errCode(await t.gql(RECORD, { input: { ...purchase(m), tillTicket: ticket } }, staff.token))).toBe(ErrorCode.BAD_USER_INPUT);
      expect(await t.counts()).toEqual(before);
      // The untouched ticket still works at its own till.
      expect((await t.gql(RECORD, { input: byTicket(m, ticket) }, staff.token)).errors).toBeUndefined();
    });
  });
});
