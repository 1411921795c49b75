/**
 * Members and manual points adjustments in the manager console (issue #13), over real HTTP on MariaDB:
 * search by member number or phone (masked, scoped), the profile, and the four-eyes adjustment — at or below the
 * threshold (ADJUSTMENT_APPROVAL_POINTS, 1000 by default) applied at once; above it not in the ledger until a second
 * manager covering the store approves; approving twice or ten times at once credits once; audited in the same
 * transaction; bad input and other stores' managers change nothing.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@quanzi/shared';
import { toInt } from '../src/db/sql';
import { credit } from '../src/modules/ledger/ledger.service';
import { startTestApp, type TestApp } from './support/harness';

type User = { token: string; userId: number; memberId: number; memberNo: string };
let t: TestApp;
let hq: User;
let hq2: User;
let gmMgr: User;
let gmMgr2: User;
let bjMgr: User;
let xaMgr: User;
let staff: User;
let alice: User; // active at 国贸
let bob: User; // active at 钟楼 (Xi'an) only
let seq = 0;

const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;
const q = () => t.app.services.db.q;
const count = async (sql: string, params: unknown[] = []) => toInt((await q().get<{ n: unknown }>(sql, params))?.n);
const points = async (memberId: number) => toInt((await q().get<{ b: unknown }>('SELECT balance AS b FROM member_account WHERE id = ?', [memberId]))?.b);
const adjustEntries = (adjustmentId: string) => count("SELECT COUNT(*) AS n FROM points_entry WHERE source_type = 'adjustment' AND source_ref = ?", [adjustmentId]);

/** Points earned at a store (setup through the ledger, bypassing authorization). */
const give = (memberId: number, n: number, storeId: number) =>
  t.app.services.db.tx((tx) =>
    credit(tx, { memberId, kind: 'EARN', reason: '测试', actorId: null, storeId, sourceType: 'test', sourceRef: `adj-${++seq}-${randomUUID()}`, requestHash: null, now: new Date() }, n, 24),
  );

const REQUEST = `mutation($input: PointsAdjustmentInput!) { requestPointsAdjustment(input: $input) { replayed adjustment {
  id memberNo delta reason status storeId requestedById requestedBy decidedById decisionNote } } }`;
const APPROVE = 'mutation($id: ID!) { approvePointsAdjustment(id: $id) { id status decidedById decidedAt } }';
const REJECT = 'mutation($id: ID!, $note: String!) { rejectPointsAdjustment(id: $id, note: $note) { id status decidedById decisionNote } }';
const LIST = 'query($s: AdjustmentStatus, $first: Int, $after: String) { pointsAdjustments(status: $s, first: $first, after: $after) { items { id status delta memberNo } pageInfo { hasNextPage endCursor } } }';
const SEARCH = 'query($q: String!) { consoleMembers(query: $q, first: 10) { total items { id memberNo phone tierName points } } }';
const PROFILE = `query($id: ID!) { consoleMember(id: $id) { id memberNo nickname phone tierName points joinedAt
  ledger(first: 2) { edges { node { delta kind reason storeName } } pageInfo { hasNextPage endCursor } } redemptions { id } clubs { name role status } } }`;

type Adj = { id: string; status: string; delta: number; reason: string; storeId: string | null; requestedById: string; decidedById: string | null };
type ReqResult = { requestPointsAdjustment: { replayed: boolean; adjustment: Adj } };

const request = (who: User, input: Record<string, unknown>) =>
  t.gql<ReqResult>(REQUEST, { input: { memberId: String(alice.memberId), reason: '补录漏积分', storeId: String(t.org.guomao), idempotencyKey: randomUUID(), ...input } }, who.token);

async function pending(delta: number, who: User = gmMgr, extra: Record<string, unknown> = {}): Promise<Adj> {
  const r = await request(who, { delta, ...extra });
  if (!r.data) throw new Error(JSON.stringify(r.errors));
  expect(r.data.requestPointsAdjustment.adjustment.status).toBe('PENDING');
  return r.data.requestPointsAdjustment.adjustment;
}

beforeAll(async () => {
  t = await startTestApp('mariadb');
  const sign = (l: string) => t.signIn(l);
  const users = await Promise.all(['adj-hq', 'adj-hq2', 'adj-gm', 'adj-gm2', 'adj-bj', 'adj-xa', 'adj-staff', 'adj-alice', 'adj-bob'].map(sign));
  [hq, hq2, gmMgr, gmMgr2, bjMgr, xaMgr, staff, alice, bob] = users as unknown as [User, User, User, User, User, User, User, User, User];
  const { guomao, beijing, xian } = t.org;
  await t.grant(hq.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
  await t.grant(hq2.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
  await t.grant(gmMgr.userId, { role: 'MANAGER', scope: 'STORE', storeId: guomao, regionId: beijing });
  await t.grant(gmMgr2.userId, { role: 'MANAGER', scope: 'STORE', storeId: guomao, regionId: beijing });
  await t.grant(bjMgr.userId, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: beijing });
  await t.grant(xaMgr.userId, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: xian });
  await t.grant(staff.userId, { role: 'STAFF', scope: 'STORE', storeId: guomao, regionId: beijing });
  await give(alice.memberId, 200, guomao);
  await give(bob.memberId, 50, t.org.zhonglou);
  const bound = await t.gql('mutation($c: String!) { bindPhone(code: $c) { phone } }', { c: t.sim.phoneCode('13912345678') }, alice.token);
  if (bound.errors) throw new Error(JSON.stringify(bound.errors));
}, 60_000);
afterAll(async () => t?.close());

describe('members in the console', () => {
  type Search = { consoleMembers: { total: number; items: { id: string; memberNo: string; phone: string | null; points: number }[] } };

  test('search by member number or full phone: exact, the phone masked', async () => {
    const byNo = (await t.gql<Search>(SEARCH, { q: alice.memberNo }, hq.token)).data?.consoleMembers;
    expect(byNo).toEqual({ total: 1, items: [expect.objectContaining({ id: String(alice.memberId), memberNo: alice.memberNo, phone: '139****5678', points: 200 })] });
    const byPhone = (await t.gql<Search>(SEARCH, { q: '139 1234 5678' }, hq.token)).data?.consoleMembers;
    expect(byPhone?.items.map((m) => m.memberNo)).toEqual([alice.memberNo]);
    expect(JSON.stringify(byPhone)).not.toContain('13912345678');
    // Part of a number finds nothing: exact matches only.
    expect((await t.gql<Search>(SEARCH, { q: '13912345' }, hq.token)).data?.consoleMembers.total).toBe(0);
    expect(code(await t.gql(SEARCH, { q: '张三' }, hq.token))).toBe(ErrorCode.BAD_USER_INPUT);
  });

  test('store and region managers find only members active at their stores', async () => {
    const find = async (who: User, m: User) => (await t.gql<Search>(SEARCH, { q: m.memberNo }, who.token)).data?.consoleMembers.total;
    expect(await find(gmMgr, alice)).toBe(1);
    expect(await find(bjMgr, alice)).toBe(1);
    expect(await find(xaMgr, alice)).toBe(0);
    expect(await find(gmMgr, bob)).toBe(0);
    expect(await find(xaMgr, bob)).toBe(1);
    expect(code(await t.gql(SEARCH, { q: alice.memberNo }, staff.token))).toBe(ErrorCode.FORBIDDEN);
    expect(code(await t.gql(SEARCH, { q: alice.memberNo }, alice.token))).toBe(ErrorCode.FORBIDDEN);
  });

  test('the profile: points, masked phone, ledger with pagination; NOT_FOUND outside the scope', async () => {
    await give(alice.memberId, 10, t.org.guomao);
    await give(alice.memberId, 20, t.org.guomao);
    type P = { consoleMember: { memberNo: string; phone: string; points: number; tierName: string; ledger: { edges: { node: { delta: number; storeName: string } }[]; pageInfo: { hasNextPage: boolean } }; redemptions: unknown[]; clubs: unknown[] } };
    const p = (await t.gql<P>(PROFILE, { id: String(alice.memberId) }, gmMgr.token)).data?.consoleMember;
    expect(p).toMatchObject({ memberNo: alice.memberNo, phone: '139****5678', points: 230, redemptions: [], clubs: [] });
    expect(p?.ledger.edges.map((e) => e.node.delta)).toEqual([20, 10]);
    expect(p?.ledger.pageInfo.hasNextPage).toBe(true);
    const outside = await t.gql(PROFILE, { id: String(alice.memberId) }, xaMgr.token);
    expect(code(outside)).toBe(ErrorCode.NOT_FOUND);
    expect(code(await t.gql(PROFILE, { id: '99999999' }, hq.token))).toBe(ErrorCode.NOT_FOUND);
  });
});

describe('manual adjustments', () => {
  test('at or below the threshold: applied at once, in the ledger, audited; a retry replays', async () => {
    const before = await points(alice.memberId);
    const key = randomUUID();
    const r = await request(gmMgr, { delta: 1000, idempotencyKey: key });
    const a = r.data?.requestPointsAdjustment.adjustment as Adj;
    expect(a).toMatchObject({ status: 'APPLIED', delta: 1000, storeId: String(t.org.guomao), requestedById: String(gmMgr.userId), decidedById: String(gmMgr.userId) });
    expect(await points(alice.memberId)).toBe(before + 1000);
    const entry = await q().get<Record<string, unknown>>("SELECT kind, reason, store_id, actor_id FROM points_entry WHERE source_type = 'adjustment' AND source_ref = ?", [a.id]);
    expect(entry).toMatchObject({ kind: 'ADJUST', reason: '人工调整 · 补录漏积分' });
    expect(toInt(entry?.store_id)).toBe(t.org.guomao);
    const audit = await q().all<Record<string, unknown>>("SELECT action, actor_user_id, store_id, after_json FROM audit_log WHERE target_type = 'points_adjustment' AND target_id = ?", [a.id]);
    expect(audit.map((x) => x.action)).toEqual(['requestPointsAdjustment']);
    expect(JSON.parse(String(audit[0]?.after_json))).toMatchObject({ delta: 1000, status: 'APPLIED' });
    const again = await request(gmMgr, { delta: 1000, idempotencyKey: key });
    expect(again.data?.requestPointsAdjustment).toMatchObject({ replayed: true, adjustment: { id: a.id } });
    expect(code(await request(gmMgr, { delta: 999, idempotencyKey: key }))).toBe(ErrorCode.IDEMPOTENCY_CONFLICT);
    expect(await adjustEntries(a.id)).toBe(1);
    expect(await points(alice.memberId)).toBe(before + 1000);
  });

  test('above the threshold: not in the ledger until a second manager approves; the requester cannot', async () => {
    const before = await points(alice.memberId);
    const a = await pending(5000);
    expect(await adjustEntries(a.id)).toBe(0);
    expect(await points(alice.memberId)).toBe(before);
    // The requester: FOUR_EYES_REQUIRED, nothing changes.
    expect(code(await t.gql(APPROVE, { id: a.id }, gmMgr.token))).toBe(ErrorCode.FOUR_EYES_REQUIRED);
    // Another region's manager and staff may not.
    expect(code(await t.gql(APPROVE, { id: a.id }, xaMgr.token))).toBe(ErrorCode.FORBIDDEN);
    expect(code(await t.gql(APPROVE, { id: a.id }, staff.token))).toBe(ErrorCode.FORBIDDEN);
    expect(await adjustEntries(a.id)).toBe(0);
    // A second manager of the same store approves: applied once.
    const ok = await t.gql<{ approvePointsAdjustment: { status: string; decidedById: string } }>(APPROVE, { id: a.id }, gmMgr2.token);
    expect(ok.data?.approvePointsAdjustment).toMatchObject({ status: 'APPLIED', decidedById: String(gmMgr2.userId) });
    expect(await points(alice.memberId)).toBe(before + 5000);
    expect(await adjustEntries(a.id)).toBe(1);
    // Approving again: ADJUSTMENT_DECIDED, still one entry.
    expect(code(await t.gql(APPROVE, { id: a.id }, hq.token))).toBe(ErrorCode.ADJUSTMENT_DECIDED);
    expect(await adjustEntries(a.id)).toBe(1);
    const audit = await q().all<Record<string, unknown>>("SELECT action, actor_user_id FROM audit_log WHERE target_type = 'points_adjustment' AND target_id = ? ORDER BY id", [a.id]);
    expect(audit.map((x) => [x.action, toInt(x.actor_user_id)])).toEqual([['requestPointsAdjustment', gmMgr.userId], ['approvePointsAdjustment', gmMgr2.userId]]);
  });

  test('ten concurrent approvals credit once', async () => {
    const before = await points(alice.memberId);
    const a = await pending(3000, hq);
    const approvers = [hq2, gmMgr, gmMgr2, bjMgr, hq2, gmMgr, gmMgr2, bjMgr, hq2, gmMgr];
    const results = await Promise.all(approvers.map((u) => t.gql(APPROVE, { id: a.id }, u.token)));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => r.errors).map(code)).toEqual(Array(9).fill(ErrorCode.ADJUSTMENT_DECIDED));
    expect(await adjustEntries(a.id)).toBe(1);
    expect(await points(alice.memberId)).toBe(before + 3000);
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'approvePointsAdjustment' AND target_id = ?", [a.id])).toBe(1);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('reject: no ledger entry, and it can no longer be approved', async () => {
    const before = await points(alice.memberId);
    const a = await pending(-2000);
    expect(code(await t.gql(REJECT, { id: a.id, note: '  ' }, gmMgr2.token))).toBe(ErrorCode.BAD_USER_INPUT);
    const r = await t.gql<{ rejectPointsAdjustment: { status: string; decisionNote: string } }>(REJECT, { id: a.id, note: '原因不充分' }, gmMgr2.token);
    expect(r.data?.rejectPointsAdjustment).toMatchObject({ status: 'REJECTED', decisionNote: '原因不充分' });
    expect(code(await t.gql(APPROVE, { id: a.id }, hq.token))).toBe(ErrorCode.ADJUSTMENT_DECIDED);
    expect(code(await t.gql(REJECT, { id: a.id, note: '再次' }, hq.token))).toBe(ErrorCode.ADJUSTMENT_DECIDED);
    expect(await adjustEntries(a.id)).toBe(0);
    expect(await points(alice.memberId)).toBe(before);
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'rejectPointsAdjustment' AND target_id = ?", [a.id])).toBe(1);
  });

  test('a debit above the spendable balance: INSUFFICIENT_POINTS, nothing applied, it stays PENDING', async () => {
    await give(bob.memberId, 100, t.org.zhonglou);
    const balance = await points(bob.memberId);
    const a = await pending(-(balance + 2000), hq, { memberId: String(bob.memberId), storeId: null });
    expect(a.storeId).toBeNull();
    expect(code(await t.gql(APPROVE, { id: a.id }, hq2.token))).toBe(ErrorCode.INSUFFICIENT_POINTS);
    expect(await q().get('SELECT status, decided_by_id FROM points_adjustment WHERE id = ?', [a.id])).toEqual({ status: 'PENDING', decided_by_id: null });
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'approvePointsAdjustment' AND target_id = ?", [a.id])).toBe(0);
    expect(await points(bob.memberId)).toBe(balance);
    // Below the threshold it is refused at once and nothing is stored.
    const rows = await count('SELECT COUNT(*) AS n FROM points_adjustment');
    expect(code(await request(hq, { memberId: String(bob.memberId), storeId: null, delta: -(balance + 1) }))).toBe(ErrorCode.INSUFFICIENT_POINTS);
    expect(await count('SELECT COUNT(*) AS n FROM points_adjustment')).toBe(rows);
    // Booked at HQ, only HQ managers may approve it.
    expect(code(await t.gql(APPROVE, { id: a.id }, xaMgr.token))).toBe(ErrorCode.FORBIDDEN);
    expect(code(await t.gql(APPROVE, { id: '99999999' }, hq2.token))).toBe(ErrorCode.NOT_FOUND);
  });

  test.each<[string, () => User, Record<string, unknown>, string]>([
    ['zero delta', () => gmMgr, { delta: 0 }, ErrorCode.BAD_USER_INPUT],
    ['a huge delta', () => gmMgr, { delta: 1_000_001 }, ErrorCode.BAD_USER_INPUT],
    ['an empty reason', () => gmMgr, { delta: 10, reason: '   ' }, ErrorCode.BAD_USER_INPUT],
    ['a reason of 101 characters', () => gmMgr, { delta: 10, reason: '字'.repeat(101) }, ErrorCode.BAD_USER_INPUT],
    ['a bad idempotency key', () => gmMgr, { delta: 10, idempotencyKey: 'x' }, ErrorCode.BAD_USER_INPUT],
    ['an unknown member', () => hq, { delta: 10, memberId: '99999999' }, ErrorCode.NOT_FOUND],
    ['an unknown store', () => hq, { delta: 10, storeId: '99999999' }, ErrorCode.NOT_FOUND],
    ["another region's manager at 国贸", () => xaMgr, { delta: 10 }, ErrorCode.FORBIDDEN],
    ['a store manager booking at HQ', () => gmMgr, { delta: 10, storeId: null }, ErrorCode.FORBIDDEN],
    ["a store manager for a member outside the scope (active in Xi'an only)", () => gmMgr, { delta: 10, memberId: '' }, ErrorCode.NOT_FOUND],
    ['staff', () => staff, { delta: 10 }, ErrorCode.FORBIDDEN],
  ])('%s: refused with a clear code, nothing changed', async (_why, who, input, expected) => {
    const snapshot = async () => ({
      counts: await t.counts(),
      adjustments: await count('SELECT COUNT(*) AS n FROM points_adjustment'),
      audit: await count('SELECT COUNT(*) AS n FROM audit_log'),
    });
    const before = await snapshot();
    const r = await request(who(), input.memberId === '' ? { ...input, memberId: String(bob.memberId) } : input);
    expect(code(r)).toBe(expected);
    expect(r.data ?? null).toBeNull();
    expect(await snapshot()).toEqual(before);
  });

  test('the list: in scope, filtered by status, keyset-paginated', async () => {
    type L = { pointsAdjustments: { items: { id: string; status: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    const list = async (who: User, vars: Record<string, unknown> = {}) => (await t.gql<L>(LIST, { first: 50, ...vars }, who.token)).data?.pointsAdjustments;
    const all = (await list(hq))?.items ?? [];
    const mine = (await list(gmMgr))?.items ?? [];
    expect(all.length).toBeGreaterThan(mine.length);
    const atGuomao = await q().all<{ id: unknown }>('SELECT id FROM points_adjustment WHERE store_id = ? ORDER BY id DESC', [t.org.guomao]);
    expect(mine.map((a) => a.id)).toEqual(atGuomao.map((r) => String(r.id)));
    expect((await list(xaMgr))?.items).toEqual([]);
    expect((await list(hq, { s: 'PENDING' }))?.items.every((a) => a.status === 'PENDING')).toBe(true);
    const page1 = await list(hq, { first: 2 });
    const page2 = await list(hq, { first: 2, after: page1?.pageInfo.endCursor });
    expect(page1?.pageInfo.hasNextPage).toBe(true);
    expect([...(page1?.items ?? []), ...(page2?.items ?? [])].map((a) => a.id)).toEqual(all.slice(0, 4).map((a) => a.id));
    expect(code(await t.gql(LIST, { first: 5 }, staff.token))).toBe(ErrorCode.FORBIDDEN);
  });

  test('the policy exposes the threshold', async () => {
    const r = await t.gql<{ adjustmentPolicy: { approvalThreshold: number; maxDelta: number } }>('{ adjustmentPolicy { approvalThreshold maxDelta reasonMaxLength } }', {}, gmMgr.token);
    expect(r.data?.adjustmentPolicy).toEqual({ approvalThreshold: 1000, maxDelta: 1_000_000, reasonMaxLength: 100 });
  });

  test('the books balance', async () => {
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });
});
