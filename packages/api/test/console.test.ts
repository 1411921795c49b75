/**
 * The manager console's API (issue #13), over real HTTP on MariaDB: the QR sign-in (WeChat website-login shape:
 * create → confirm from the mini-program → one poll gets the session), its expiry, single use and who may confirm;
 * the manager's scope (a store manager sees only their store); the audit trail written with each change.
 */
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../src/clock';
import { toInt } from '../src/db/sql';
import { startTestApp, type TestApp } from './support/harness';

let t: TestApp;
let hq: { token: string; userId: number };
let storeMgr: { token: string; userId: number };
let regionMgr: { token: string; userId: number };
let staff: { token: string; userId: number };
let member: { token: string; userId: number };

beforeAll(async () => {
  t = await startTestApp('mariadb');
  hq = await t.signIn('con-hq');
  storeMgr = await t.signIn('con-guomao-mgr');
  regionMgr = await t.signIn('con-xian-mgr');
  staff = await t.signIn('con-staff');
  member = await t.signIn('con-member');
  await t.grant(hq.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
  await t.grant(storeMgr.userId, { role: 'MANAGER', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
  await t.grant(regionMgr.userId, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.xian });
  await t.grant(staff.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
});
afterAll(async () => t.close());
afterEach(() => clock.reset());

const CREATE = 'mutation { createConsoleLogin { ticket qrPayload expiresAt } }';
const POLL = 'query($t: String!) { consoleLoginStatus(ticket: $t) { status expiresAt token sessionExpiresAt viewer { userId roles { role scope } } } }';
const CONFIRM = 'mutation($t: String!) { confirmConsoleLogin(ticket: $t) }';

type Poll = { consoleLoginStatus: { status: string; token: string | null; sessionExpiresAt: string | null; viewer: { userId: string } | null } };
const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

async function newTicket(): Promise<{ ticket: string; qrPayload: string; expiresAt: string }> {
  const r = await t.gql<{ createConsoleLogin: { ticket: string; qrPayload: string; expiresAt: string } }>(CREATE);
  if (!r.data) throw new Error(JSON.stringify(r.errors));
  return r.data.createConsoleLogin;
}

/** A console session for a manager, through the real flow. */
async function consoleSession(token: string): Promise<string> {
  const { ticket } = await newTicket();
  expect((await t.gql(CONFIRM, { t: ticket }, token)).data).toEqual({ confirmConsoleLogin: true });
  const r = await t.gql<Poll>(POLL, { t: ticket });
  return r.data?.consoleLoginStatus.token as string;
}

describe('QR sign-in', () => {
  test('pending until a manager confirms; the next poll returns a session once; a replay is refused', async () => {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000); // tokens above were issued at the real time: stay within their week
    clock.set(now);
    const tk = await newTicket();
    expect(tk.qrPayload).toBe(`${t.url}/console/qr?ticket=${tk.ticket}`);
    expect(new Date(tk.expiresAt).getTime()).toBe(now.getTime() + 120_000);
    expect((await t.gql<Poll>(POLL, { t: tk.ticket })).data?.consoleLoginStatus).toMatchObject({ status: 'PENDING', token: null, viewer: null });

    clock.set(now.getTime() + 30_000);
    expect((await t.gql(CONFIRM, { t: tk.ticket }, hq.token)).data).toEqual({ confirmConsoleLogin: true });
    const ok = await t.gql<Poll>(POLL, { t: tk.ticket });
    expect(ok.data?.consoleLoginStatus).toMatchObject({ status: 'CONFIRMED', viewer: { userId: String(hq.userId) } });
    const token = ok.data?.consoleLoginStatus.token as string;
    expect(token).toMatch(/^ey/);
    // The console session lasts CONSOLE_SESSION_MINUTES (480) from the poll.
    expect(new Date(ok.data?.consoleLoginStatus.sessionExpiresAt as string).getTime()).toBe(now.getTime() + 30_000 + 480 * 60_000);
    expect((await t.gql<{ managerScope: { hq: boolean } }>('{ managerScope { hq } }', {}, token)).data?.managerScope.hq).toBe(true);

    // Single use: polling again, or confirming again, is refused and issues nothing.
    const again = await t.gql<Poll>(POLL, { t: tk.ticket });
    expect(code(again)).toBe(ErrorCode.LOGIN_TICKET_USED);
    expect(again.data).toBeNull();
    expect(code(await t.gql(CONFIRM, { t: tk.ticket }, hq.token))).toBe(ErrorCode.LOGIN_TICKET_USED);
  });

  test('the console session expires', async () => {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000); // tokens above were issued at the real time: stay within their week
    clock.set(now);
    const token = await consoleSession(hq.token);
    clock.set(now.getTime() + 479 * 60_000);
    expect(code(await t.gql('{ managerScope { hq } }', {}, token))).toBeUndefined();
    clock.set(now.getTime() + 481 * 60_000);
    expect(code(await t.gql('{ managerScope { hq } }', {}, token))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  test('a ticket expires after 2 minutes, confirmed or not', async () => {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000); // tokens above were issued at the real time: stay within their week
    clock.set(now);
    const a = await newTicket();
    const b = await newTicket();
    clock.set(now.getTime() + 119_000);
    expect((await t.gql(CONFIRM, { t: b.ticket }, hq.token)).data).toEqual({ confirmConsoleLogin: true });
    clock.set(now.getTime() + 120_000);
    expect(code(await t.gql(CONFIRM, { t: a.ticket }, hq.token))).toBe(ErrorCode.LOGIN_TICKET_EXPIRED);
    expect(code(await t.gql(POLL, { t: a.ticket }))).toBe(ErrorCode.LOGIN_TICKET_EXPIRED);
    // Confirmed in time but collected too late: no session.
    expect(code(await t.gql(POLL, { t: b.ticket }))).toBe(ErrorCode.LOGIN_TICKET_EXPIRED);
  });

  test('only a signed-in manager may confirm; refusals leave the ticket pending', async () => {
    const tk = await newTicket();
    expect(code(await t.gql(CONFIRM, { t: tk.ticket }))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(code(await t.gql(CONFIRM, { t: tk.ticket }, member.token))).toBe(ErrorCode.FORBIDDEN);
    expect(code(await t.gql(CONFIRM, { t: tk.ticket }, staff.token))).toBe(ErrorCode.FORBIDDEN);
    expect((await t.gql<Poll>(POLL, { t: tk.ticket })).data?.consoleLoginStatus.status).toBe('PENDING');
    // A store manager may (their console shows only their store).
    expect((await t.gql(CONFIRM, { t: tk.ticket }, storeMgr.token)).data).toEqual({ confirmConsoleLogin: true });
  });

  test('unknown and malformed tickets', async () => {
    expect(code(await t.gql(POLL, { t: 'A'.repeat(43) }))).toBe(ErrorCode.LOGIN_TICKET_INVALID);
    expect(code(await t.gql(CONFIRM, { t: 'B'.repeat(43) }, hq.token))).toBe(ErrorCode.LOGIN_TICKET_INVALID);
    expect(code(await t.gql(POLL, { t: 'short' }))).toBe(ErrorCode.BAD_USER_INPUT);
  });

  test('only a hash of the ticket is stored', async () => {
    const tk = await newTicket();
    const row = await t.app.services.db.q.get<Record<string, unknown>>('SELECT COUNT(*) AS n FROM console_login WHERE ticket_hash = ?', [tk.ticket]);
    expect(toInt(row?.n)).toBe(0);
  });
});

describe('scope', () => {
  type Scope = { managerScope: { hq: boolean; regions: { name: string }[]; stores: { id: string; name: string }[] } };
  const SCOPE = '{ managerScope { hq regions { name } stores { id name } } }';
  const GRANTS = 'query($storeId: ID) { roleGrants(storeId: $storeId, first: 50) { total items { userId role scope storeId regionId } } }';
  type Grants = { roleGrants: { total: number; items: { userId: string; role: string; scope: string; storeId: string | null; regionId: string | null }[] } };

  test('a store manager sees only their store, a region manager their region, HQ everything; others are refused', async () => {
    const s = (await t.gql<Scope>(SCOPE, {}, await consoleSession(storeMgr.token))).data?.managerScope;
    expect(s).toEqual({ hq: false, regions: [], stores: [{ id: String(t.org.guomao), name: '北京国贸店' }] });
    const r = (await t.gql<Scope>(SCOPE, {}, await consoleSession(regionMgr.token))).data?.managerScope;
    expect(r).toEqual({ hq: false, regions: [{ name: '西安' }], stores: [{ id: String(t.org.zhonglou), name: '西安钟楼店' }] });
    const h = (await t.gql<Scope>(SCOPE, {}, await consoleSession(hq.token))).data?.managerScope;
    expect(h?.hq).toBe(true);
    expect(h?.stores.map((x) => x.name)).toEqual(['北京国贸店', '北京三里屯店', '西安钟楼店']);
    expect(code(await t.gql(SCOPE, {}, staff.token))).toBe(ErrorCode.FORBIDDEN);
    expect(code(await t.gql(SCOPE, {}))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  test('role grants: a store manager lists only their store’s; another store’s filter yields nothing', async () => {
    const sm = await consoleSession(storeMgr.token);
    const mine = (await t.gql<Grants>(GRANTS, {}, sm)).data?.roleGrants;
    expect(mine?.items.length).toBeGreaterThan(0);
    expect(mine?.items.every((g) => g.storeId === String(t.org.guomao))).toBe(true);
    expect(mine?.items.map((g) => g.userId).sort()).toEqual([String(storeMgr.userId), String(staff.userId)].sort());
    expect((await t.gql<Grants>(GRANTS, { storeId: String(t.org.zhonglou) }, sm)).data?.roleGrants).toEqual({ total: 0, items: [] });
    const all = (await t.gql<Grants>(GRANTS, {}, await consoleSession(hq.token))).data?.roleGrants;
    expect(all?.items.some((g) => g.scope === 'HQ')).toBe(true);
    expect(all?.items.some((g) => g.scope === 'REGION' && g.regionId === String(t.org.xian))).toBe(true);
  });
});

describe('audit trail', () => {
  const AUDIT = 'query($f: AuditFilterInput, $first: Int, $offset: Int) { auditLog(filter: $f, first: $first, offset: $offset) { total items { actorUserId action targetType targetId storeId regionId before after createdAt } } }';
  type Audit = { auditLog: { total: number; items: { actorUserId: string; action: string; targetType: string; targetId: string | null; storeId: string | null; regionId: string | null; before: string | null; after: string | null; createdAt: string }[] } };

  test('changes are written with who, when, what and before/after; a refused change writes nothing', async () => {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000); // tokens above were issued at the real time: stay within their week
    clock.set(now);
    const created = await t.gql<{ createStore: { id: string } }>('mutation($r: ID!) { createStore(input: { regionId: $r, code: "bj-audit", name: "北京审计店" }) { id } }', { r: String(t.org.beijing) }, hq.token);
    const storeId = created.data?.createStore.id as string;
    expect(storeId).toBeDefined();
    const before = toInt((await t.app.services.db.q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM audit_log'))?.n);
    // A duplicate code is refused: no store, no audit entry.
    expect(code(await t.gql('mutation($r: ID!) { createStore(input: { regionId: $r, code: "bj-audit", name: "again" }) { id } }', { r: String(t.org.beijing) }, hq.token))).toBe(ErrorCode.CONFLICT);
    expect(code(await t.gql('mutation { upsertTier(input: { code: "NORMAL", name: "普通", rank: 0, thresholdFen: 0, multiplierPct: 100 }) { id } }', {}, storeMgr.token))).toBe(ErrorCode.FORBIDDEN);
    expect(toInt((await t.app.services.db.q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM audit_log'))?.n)).toBe(before);

    clock.set(now.getTime() + 60_000);
    await t.gql('mutation { upsertTier(input: { code: "SILVER", name: "银卡", rank: 1, thresholdFen: 120000, multiplierPct: 110 }) { id } }', {}, hq.token);
    const rule = await t.gql<{ createEarningRule: { id: string } }>(
      'mutation($s: ID!) { createEarningRule(input: { kind: CATEGORY, name: "服装 2 倍", scope: STORE, scopeId: $s, multiplierPct: 200, category: "apparel" }) { id } }',
      { s: String(t.org.guomao) },
      storeMgr.token,
    );
    expect(rule.errors).toBeUndefined();

    const log = (await t.gql<Audit>(AUDIT, { first: 10 }, hq.token)).data?.auditLog;
    const [ruleEntry, tierEntry] = log?.items ?? [];
    expect(ruleEntry).toMatchObject({ actorUserId: String(storeMgr.userId), action: 'createEarningRule', targetType: 'earning_rule', storeId: String(t.org.guomao), regionId: String(t.org.beijing) });
    expect(JSON.parse(ruleEntry?.after as string)).toMatchObject({ category: 'apparel', multiplierPct: 200 });
    expect(tierEntry).toMatchObject({ action: 'upsertTier', createdAt: new Date(now.getTime() + 60_000).toISOString() });
    expect(JSON.parse(tierEntry?.before as string)).toMatchObject({ thresholdFen: 100_000 });
    expect(JSON.parse(tierEntry?.after as string)).toMatchObject({ thresholdFen: 120_000 });
    expect(log?.items.find((e) => e.action === 'createStore')).toMatchObject({ targetId: storeId, before: null, createdAt: now.toISOString() });

    // Filters and pagination.
    const tiersOnly = (await t.gql<Audit>(AUDIT, { f: { targetType: 'tier' } }, hq.token)).data?.auditLog;
    expect(tiersOnly?.items.every((e) => e.targetType === 'tier')).toBe(true);
    const page2 = (await t.gql<Audit>(AUDIT, { first: 1, offset: 1 }, hq.token)).data?.auditLog;
    expect(page2?.items[0]).toMatchObject({ action: 'upsertTier' });
    const windowed = (await t.gql<Audit>(AUDIT, { f: { since: new Date(now.getTime() + 30_000).toISOString() } }, hq.token)).data?.auditLog;
    expect(windowed?.items.map((e) => e.action)).toEqual(['createEarningRule', 'upsertTier']);

    // Scope: the store manager sees their store's entry, not HQ's tier or the new store; Xi'an's manager sees none of them.
    const sm = (await t.gql<Audit>(AUDIT, {}, storeMgr.token)).data?.auditLog;
    expect(sm?.items.map((e) => e.action)).toEqual(['createEarningRule']);
    const xa = (await t.gql<Audit>(AUDIT, {}, regionMgr.token)).data?.auditLog;
    expect(xa?.items.filter((e) => ['createEarningRule', 'upsertTier', 'createStore'].includes(e.action))).toEqual([]);
    expect(code(await t.gql(AUDIT, {}, staff.token))).toBe(ErrorCode.FORBIDDEN);
  });

  test('revoking a role is audited with the grant as it was', async () => {
    const victim = await t.signIn('con-revoke');
    await t.grant(victim.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
    const id = toInt((await t.app.services.db.q.get<{ id: unknown }>('SELECT id FROM role_assignment WHERE user_id = ?', [victim.userId]))?.id);
    expect(code(await t.gql('mutation($id: ID!) { revokeRole(id: $id) { id } }', { id: String(id) }, regionMgr.token))).toBe(ErrorCode.FORBIDDEN);
    expect((await t.gql('mutation($id: ID!) { revokeRole(id: $id) { id role } }', { id: String(id) }, storeMgr.token)).data).toEqual({ revokeRole: { id: String(id), role: 'STAFF' } });
    expect(await t.app.services.users.rolesOf(victim.userId)).toEqual([]);
    const e = (await t.gql<Audit>(AUDIT, { f: { action: 'revokeRole' } }, storeMgr.token)).data?.auditLog.items[0];
    expect(JSON.parse(e?.before as string)).toEqual({ userId: victim.userId, role: 'STAFF', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
  });
});
