/**
 * The floor: what the two hot paths cost with no framework at all. node:http + a bare mysql2 pool (same size as
 * the API's), running the SAME SQL statements, in the same order, as the API's lean paths
 * (member.service.ts `me`; purchase.service.ts recordPurchase + ledger.service.ts credit), and answering the same
 * JSON the GraphQL API answers.
 *
 * Included, so the comparison is like for like: reading and JSON-parsing the request body, verifying the HS256
 * session token with the API's own TokenService (jose), the member-code TOTP check, earning computation and tier
 * evaluation with the same @quanzi/shared functions, the request hash, JSON serialisation of the answer.
 * Left out (the price of the stack): GraphQL parsing/validation/execution, fastify + Apollo, type-graphql and
 * class-validator, MikroORM/knex and the `mariadb` driver (the floor uses mysql2's text protocol).
 * Like the API, it caches tiers, stores, earning rules and program settings (the API for 5–10 s; the floor for
 * the run) and reads the caller's role grants once per till request.
 *
 * WeChat Pay notifications (POST /webhooks/wechatpay, the `notify` scenario): the same work as
 * payment.service.ts handleNotification → wechatpay-verifier.ts open → completePayment, with node:crypto and the
 * same serial → key map: probe and 300 s timestamp checks, RSA-SHA256 verification over `TIMESTAMP\nNONCE\nBODY\n`,
 * AES-256-GCM decryption with the tag checked, then completePayment's statements in its order and its round trips
 * (the order with its member's tier and openid; then one READ COMMITTED transaction: BEGIN with the conditional
 * pay_order update, then one batch — the member row lock, the purchase row, the ledger credit (account, entry, lot),
 * the member's state for the tier — and COMMIT) and 204. Like the API's, the floor's transactions are multi-statement
 * batches (the API's Db.tx sends BEGIN with the first statement; an accrual's statements go as one batch).
 *
 * Two floors, each on its own port: the same-SQL floor (`url`) above, and the minimal floor (`minimalUrl`): the
 * least a hand-written service on MariaDB would send for the same answers and the same invariants — the grant check
 * folded into the member read, and each transaction as one multi-statement batch (BEGIN … the writes … the state
 * read) and a COMMIT: three round trips per purchase or notification (recordPurchaseMinimal, completePaymentMinimal).
 */
import http from 'node:http';
import { createDecipheriv, createHash, createPublicKey, createVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { createPool, type Pool, type PoolConnection, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import {
  addMonthsUtc,
  computeEarning,
  evaluateTier,
  ledgerReason,
  matchTotpStep,
  nextTierProgress,
  parseMemberCode,
  type EarningRuleSet,
  type TierDef,
} from '@quanzi/shared';
import { TokenService } from '../../packages/api/src/auth/jwt';
import { parseDbUrl } from '../../packages/api/src/db/admin';

/** ledger.service.ts spendableSql('a'): the balance cache minus lots past expiry not yet written off. */
const SPENDABLE = '(a.balance - COALESCE((SELECT SUM(lp.remaining) FROM points_lot lp WHERE lp.member_id = a.id AND lp.remaining > 0 AND lp.expires_at <= ?), 0))';

export interface FloorOptions {
  /** mariadb://user:pass@host:port/db */
  url: string;
  poolMax: number;
  jwtSecret: string;
  /** The merchant's WeChat Pay settings (config.wechatPay): serial → PEM of every key WeChat Pay signs with, the APIv3 key, the mchid. */
  wechatPay?: { mchid: string; apiV3Key: string; platformKeys: Record<string, string> };
}

export interface Floor {
  /** The same-SQL floor. */
  url: string;
  /** The minimal floor (`me` is the same-SQL one's). */
  minimalUrl: string;
  /** Runs `fn` (one request at a time) and returns the statements the floor sent meanwhile, in order. */
  record<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }>;
  close(): Promise<void>;
}

type Row = RowDataPacket & Record<string, unknown>;

interface TierRow extends TierDef { dbId: number }
interface StoreRow { id: number; name: string; regionId: number }
interface Grant { role: string; scope: string; storeId: number | null; regionId: number | null }

const EXPIRING_SOON_DAYS = 30;

/** Raised for the answers the API gives as GraphQL errors (same code in `extensions.code`). */
class FloorError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export async function startFloor(opts: FloorOptions): Promise<Floor> {
  const o = parseDbUrl(opts.url);
  const poolOptions = {
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    database: o.database ?? undefined,
    connectionLimit: opts.poolMax,
    timezone: 'Z',
    supportBigNumbers: true,
  };
  // Both floors' pools allow multi-statement queries, as the API's does (orm.ts): their transactions are batches.
  const pool: Pool = createPool({ ...poolOptions, multipleStatements: true });
  const mpool: Pool = pool;
  const tokens = new TokenService(opts.jwtSecret, 3600);

  // Every statement sent goes through these (the transaction's own ones too), so `record` can list them.
  let trace: string[] | null = null;
  const all = async (sql: string, params: unknown[] = [], conn: Pool | PoolConnection = pool): Promise<Row[]> => {
    trace?.push(sql);
    return (await conn.query<Row[]>(sql, params))[0];
  };
  const get = async (sql: string, params: unknown[] = [], conn: Pool | PoolConnection = pool): Promise<Row | undefined> => (await all(sql, params, conn))[0];
  /**
   * Like the API's pool (orm.ts), every connection runs its transactions at READ COMMITTED, set once per connection
   * (not a statement of any request: the API's is not counted either).
   */
  const ready = new WeakSet<object>();
  const sessionReady = async (conn: PoolConnection): Promise<void> => {
    if (ready.has(conn.connection)) return;
    await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    ready.add(conn.connection);
  };
  /**
   * A transaction as the API's Db.tx runs it (db/sql.ts): `fn` sends batches — one multi-statement round trip each,
   * the first starting with BEGIN, each statement's `check` applied to its result — then COMMIT (ROLLBACK on an error).
   */
  const batches = async <T>(fn: (send: (list: Batched[]) => Promise<unknown[]>) => Promise<T>): Promise<T> => {
    const conn = await pool.getConnection();
    const send = async (list: Batched[]): Promise<unknown[]> => {
      const sql = list.map(([q]) => q).join(';\n');
      trace?.push(sql);
      const [res] = await conn.query(sql, list.flatMap(([, p]) => p));
      const results = list.length === 1 ? [res] : (res as unknown[]);
      list.forEach(([, , check], i) => check?.(results[i]));
      return results;
    };
    try {
      await sessionReady(conn);
      try {
        const r = await fn(send);
        await send([['COMMIT', []]]);
        return r;
      } catch (e) {
        await send([['ROLLBACK', []]]).catch(() => undefined);
        throw e;
      }
    } finally {
      conn.release();
    }
  };

  // The cached configuration (the API's TtlCaches): tiers, stores, earning rules and settings.
  const tiers: TierRow[] = (await all('SELECT id, code, name, `rank`, threshold_fen, multiplier_pct, benefits FROM tier ORDER BY `rank`')).map((r) => ({
    dbId: Number(r.id),
    id: String(r.id),
    code: String(r.code),
    name: String(r.name),
    rank: Number(r.rank),
    thresholdFen: Number(r.threshold_fen),
    multiplierPct: Number(r.multiplier_pct),
  }));
  const tierById = new Map(tiers.map((t) => [t.dbId, t]));
  const stores = new Map<number, StoreRow>();
  for (const r of await all('SELECT s.id, s.code, s.name, s.region_id, r.name AS region_name, r.code AS region_code FROM store s JOIN region r ON r.id = s.region_id ORDER BY s.id')) {
    stores.set(Number(r.id), { id: Number(r.id), name: String(r.name), regionId: Number(r.region_id) });
  }
  const rules = await all('SELECT id, kind, name, scope, scope_id, fen_per_point, multiplier_pct, category, categories, starts_at, ends_at, active FROM earning_rule ORDER BY id');
  const s = await get('SELECT rounding, cap_per_purchase, points_validity_months, tier_period_months FROM loyalty_program WHERE id = 1');
  const settings = {
    rounding: (s?.rounding ?? 'FLOOR') as EarningRuleSet['rounding'],
    capPerPurchase: s?.cap_per_purchase == null ? null : Number(s.cap_per_purchase),
    pointsValidityMonths: Number(s?.points_validity_months ?? 24),
    tierPeriodMonths: Number(s?.tier_period_months ?? 12),
  };
  const active = rules.filter((r) => Number(r.active) === 1);
  const sid = (r: Row): string | null => (r.scope_id == null ? null : String(r.scope_id));
  const ruleSet: EarningRuleSet = {
    baseRates: active.filter((r) => r.kind === 'BASE_RATE').map((r) => ({ id: String(r.id), scope: r.scope as 'HQ', scopeId: sid(r), fenPerPoint: Number(r.fen_per_point ?? 0) })),
    categories: active
      .filter((r) => r.kind === 'CATEGORY')
      .map((r) => ({ id: String(r.id), category: String(r.category ?? ''), multiplierPct: Number(r.multiplier_pct ?? 100), scope: r.scope as 'HQ', scopeId: sid(r) })),
    campaigns: active
      .filter((r) => r.kind === 'CAMPAIGN' && r.starts_at && r.ends_at)
      .map((r) => ({
        id: String(r.id),
        name: String(r.name),
        multiplierPct: Number(r.multiplier_pct ?? 100),
        startsAt: r.starts_at as Date,
        endsAt: r.ends_at as Date,
        scope: r.scope as 'HQ',
        scopeId: sid(r),
        categories: r.categories == null ? null : ((typeof r.categories === 'string' ? JSON.parse(r.categories) : r.categories) as string[]),
      })),
    capPerPurchase: settings.capPerPurchase,
    rounding: settings.rounding,
  };

  const bearer = async (req: http.IncomingMessage): Promise<number> => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) throw new FloorError('UNAUTHENTICATED', 'Sign in first');
    return tokens.verify(m[1] as string);
  };

  /** member.service.ts: home → (tier from cache) + rolling spend + expiring soon + ledger page, the last three concurrently as the resolvers run. */
  async function me(userId: number, first: number): Promise<unknown> {
    const r = await get(
      `SELECT m.id, m.member_no, m.tier_id, m.tier_period_ends_at, m.code_secret, u.phone, ${SPENDABLE} AS balance, a.lifetime_earned
       FROM member m JOIN app_user u ON u.id = m.user_id JOIN member_account a ON a.id = m.id WHERE m.user_id = ?`,
      [new Date(), userId],
    );
    if (!r) throw new FloorError('NOT_FOUND', 'Member not found');
    const memberId = Number(r.id);
    const tierId = Number(r.tier_id);
    const now = new Date();
    const [spendRow, expRow, rows] = await Promise.all([
      get('SELECT COALESCE(SUM(amount_fen), 0) AS s FROM purchase WHERE member_id = ? AND created_at > ?', [memberId, addMonthsUtc(now, -12)]),
      get('SELECT SUM(remaining) AS p, MIN(expires_at) AS d FROM points_lot WHERE member_id = ? AND remaining > 0 AND expires_at > ? AND expires_at <= ?', [
        memberId,
        now,
        new Date(now.getTime() + EXPIRING_SOON_DAYS * 86_400_000),
      ]),
      all(
        `SELECT e.id, e.delta, e.kind, e.reason, e.created_at, s.name AS store_name FROM points_entry e LEFT JOIN store s ON s.id = e.store_id
       WHERE e.member_id = ? ORDER BY e.id DESC LIMIT ?`,
        [memberId, first + 1],
      ),
    ]);
    const tier = tierById.get(tierId);
    if (!tier) throw new FloorError('INTERNAL', `tier ${tierId} missing`);
    const p = nextTierProgress(tiers, String(tierId), Number(spendRow?.s ?? 0));
    const points = Number(expRow?.p ?? 0);
    const edges = rows.slice(0, first).map((e) => {
      const id = Number(e.id);
      return {
        cursor: Buffer.from(`e:${id}`).toString('base64url'),
        node: { id: String(id), delta: Number(e.delta), kind: String(e.kind), reason: String(e.reason), storeName: e.store_name == null ? null : String(e.store_name), createdAt: (e.created_at as Date).toISOString() },
      };
    });
    return {
      me: {
        memberNo: String(r.member_no),
        points: Number(r.balance),
        tier: { name: tier.name, multiplierPct: tier.multiplierPct },
        nextTier: p ? { name: (tiers.find((t) => t.id === p.tier.id) as TierRow).name, spendNeeded: p.spendNeededFen } : null,
        expiringSoon: points > 0 && expRow?.d != null ? { points, on: (expRow.d as Date).toISOString() } : null,
        ledger: { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.length ? (edges[edges.length - 1] as { cursor: string }).cursor : null } },
      },
    };
  }

  /** purchase-accrual.ts accrue(): the member's state after the credit — tier, rolling spend, balance, referral binding. */
  const STATE_SQL = `SELECT m.tier_id, m.tier_period_ends_at, (SELECT COALESCE(SUM(sp.amount_fen), 0) FROM purchase sp WHERE sp.member_id = m.id AND sp.created_at > ?) AS spend, ${SPENDABLE} AS balance, r.id AS referral_id, r.referrer_id AS referral_referrer_id, r.bound_at AS referral_bound_at, r.qualified_at AS referral_qualified_at, r.revoked_at AS referral_revoked_at
       FROM member m LEFT JOIN member_account a ON a.id = m.id LEFT JOIN referral r ON r.referee_id = m.id WHERE m.id = ?`;
  /** The minimal floor's state columns (member `m`, account `a`): tier, rolling spend, balance. Two parameters: the window's start, now. */
  const MINIMAL_STATE_COLUMNS = `m.tier_id, m.tier_period_ends_at, (SELECT COALESCE(SUM(sp.amount_fen), 0) FROM purchase sp WHERE sp.member_id = m.id AND sp.created_at > ?) AS spend, ${SPENDABLE} AS balance`;

  type Batched = [sql: string, params: unknown[], check?: (result: unknown) => void];

  /** The tier update to send before COMMIT when the state read in the batch changes the tier. */
  function tierUpdate(memberId: number, t: Row, now: Date): Batched[] {
    const d = evaluateTier(tiers, { tierId: String(Number(t.tier_id)), periodEndsAt: t.tier_period_ends_at as Date }, Math.max(0, Number(t.spend ?? 0)), now, settings.tierPeriodMonths);
    return d.changed === 'NONE' ? [] : [['UPDATE member SET tier_id = ?, tier_period_ends_at = ? WHERE id = ?', [Number(d.tierId), d.periodEndsAt, memberId]]];
  }

  /**
   * One transaction in two round trips (the minimal floor): `batch` (starting with BEGIN) sent as one multi-statement
   * query; its results checked (`check`, then `finish`, which may add statements to send before COMMIT); then those
   * and COMMIT as a second query. Any failure — a statement's error aborts the rest of the batch — rolls back.
   */
  async function batchTransaction<T>(batch: Batched[], finish: (results: unknown[]) => { result: T; tail: Batched[] }): Promise<T> {
    const conn = await mpool.getConnection();
    const send = async (list: Batched[]): Promise<unknown[]> => {
      const sql = list.map(([s]) => s).join(';\n');
      trace?.push(sql);
      const [res] = await conn.query(sql, list.flatMap(([, p]) => p));
      return list.length === 1 ? [res] : (res as unknown[]);
    };
    try {
      await sessionReady(conn);
      try {
        const results = await send(batch);
        batch.forEach(([, , check], i) => check?.(results[i]));
        const { result, tail } = finish(results);
        await send([...tail, ['COMMIT', []]]);
        return result;
      } catch (e) {
        await send([['ROLLBACK', []]]).catch(() => undefined);
        throw e;
      }
    } finally {
      conn.release();
    }
  }

  interface PurchaseInput { memberCode: string; storeId: string; amountFen: number; lines: { category: string; amountFen: number }[]; idempotencyKey: string }

  /** The checks every till request makes before its statements. */
  function checkPurchase(input: PurchaseInput): { store: StoreRow; parsed: { memberNo: string; totp: string } } {
    const store = stores.get(Number(input.storeId));
    if (!store || !/^[A-Za-z0-9_:.-]{8,96}$/.test(input.idempotencyKey) || !Array.isArray(input.lines) || input.lines.reduce((a, l) => a + l.amountFen, 0) !== input.amountFen) {
      throw new FloorError('BAD_USER_INPUT', 'Invalid input');
    }
    const parsed = parseMemberCode(input.memberCode);
    if (!parsed) throw new FloorError('CODE_INVALID', 'Not a Quanzi member code');
    return { store, parsed };
  }

  /** The member code's TOTP step, checked against the member row (CODE_INVALID / CODE_REUSED as the API answers). */
  function codeStep(m: Row, totp: string, now: Date): number {
    const step = matchTotpStep(String(m.code_secret), totp, now.getTime(), 1);
    if (step === null) throw new FloorError('CODE_INVALID', 'This member code is not valid');
    if (m.code_last_step != null && step <= Number(m.code_last_step)) throw new FloorError('CODE_REUSED', 'This member code was already used');
    return step;
  }

  const earningOf = (store: StoreRow, tierId: number, lines: { category: string; amountFen: number }[], at: Date) => {
    const tier = tierById.get(tierId) as TierRow;
    return computeEarning(ruleSet, { storeId: String(store.id), regionId: String(store.regionId), at, tierMultiplierPct: tier.multiplierPct, tierName: tier.name, lines });
  };

  /**
   * ledger.service.ts creditStatements(), as the API sends it (both floors): account first, then the entry (keyed by
   * `sourceRef`, or by the purchase row inserted just before: LAST_INSERT_ID()), then its lot (keyed by the entry).
   */
  function credit(memberId: number, points: number, e: { reason: string; actorId: number | null; storeId: number; sourceType: string; sourceRef: string | null; requestHash: string | null }, at: Date): Batched[] {
    if (points <= 0) return [];
    return [
      [
        'UPDATE member_account SET balance = balance + ?, lifetime_earned = lifetime_earned + ?, updated_at = ? WHERE id = ?',
        [points, points, at, memberId],
        (r) => {
          if ((r as ResultSetHeader).affectedRows !== 1) throw new FloorError('NOT_FOUND', 'Member account not found');
        },
      ],
      [
        `INSERT INTO points_entry (member_id, delta, kind, reason, actor_id, store_id, source_type, source_ref, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ${e.sourceRef === null ? 'CAST(LAST_INSERT_ID() AS CHAR)' : '?'}, ?, ?)`,
        [memberId, points, 'EARN', e.reason.slice(0, 128), e.actorId, e.storeId, e.sourceType, ...(e.sourceRef === null ? [] : [e.sourceRef]), e.requestHash, at],
      ],
      ['INSERT INTO points_lot (member_id, entry_id, points, remaining, expires_at) VALUES (?, LAST_INSERT_ID(), ?, ?, ?)', [memberId, points, points, addMonthsUtc(at, settings.pointsValidityMonths)]],
    ];
  }

  const PURCHASE_INSERT = 'INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, discount_fen, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

  /**
   * purchase.service.ts recordPurchase, statement for statement (the first-time path: the idempotency key is checked
   * by the purchase row's unique index; replays are not part of the benchmark).
   */
  async function recordPurchase(staffId: number, input: PurchaseInput): Promise<unknown> {
    const { store, parsed } = checkPurchase(input);
    // authorize(ctx, 'till.purchase', store): the caller's grants, once per request.
    const grants: Grant[] = (await all('SELECT role, scope, store_id, region_id FROM role_assignment WHERE user_id = ?', [staffId])).map((g) => ({
      role: String(g.role),
      scope: String(g.scope),
      storeId: g.store_id == null ? null : Number(g.store_id),
      regionId: g.region_id == null ? null : Number(g.region_id),
    }));
    const allowed = grants.some(
      (g) => (g.role === 'STAFF' && g.scope === 'STORE' && g.storeId === store.id) || (g.role === 'MANAGER' && (g.scope === 'HQ' || (g.scope === 'REGION' && g.regionId === store.regionId) || g.storeId === store.id)),
    );
    if (!allowed) throw new FloorError('FORBIDDEN', 'Not allowed');
    const hash = createHash('sha256').update(JSON.stringify({ memberNo: parsed.memberNo, storeId: store.id, amountFen: input.amountFen, lines: input.lines })).digest('hex');
    const m = await get(
      `SELECT m.id, m.member_no, m.code_secret, m.code_last_step, m.tier_id, u.phone, ${SPENDABLE} AS balance
       FROM member m JOIN app_user u ON u.id = m.user_id JOIN member_account a ON a.id = m.id WHERE m.member_no = ?`,
      [new Date(), parsed.memberNo],
    );
    if (!m) throw new FloorError('CODE_INVALID', 'Unknown member code');
    const now = new Date();
    const step = codeStep(m, parsed.totp, now);
    const memberId = Number(m.id);
    const earned = earningOf(store, Number(m.tier_id), input.lines, now);
    const { id, balance } = await batches(async (send) => {
      // purchase.service.ts + purchase-accrual.ts accrue(): the code step (locks the member), the purchase row, the
      // credit, and the tier state + referral binding (none for bench members) + the new balance, with BEGIN in one batch.
      const r = await send([
        ['BEGIN', []],
        [
          'UPDATE member SET code_last_step = ? WHERE id = ? AND (code_last_step IS NULL OR code_last_step < ?)',
          [step, memberId, step],
          (c) => {
            if ((c as ResultSetHeader).affectedRows !== 1) throw new FloorError('CODE_REUSED', 'This member code was already used');
          },
        ],
        [PURCHASE_INSERT, [memberId, store.id, staffId, input.amountFen, JSON.stringify(input.lines), earned.points, input.idempotencyKey, hash, 0, now]],
        ...credit(memberId, earned.points, { reason: ledgerReason.purchase(input.amountFen), actorId: staffId, storeId: store.id, sourceType: 'purchase', sourceRef: null, requestHash: hash }, now),
        [STATE_SQL, [addMonthsUtc(now, -12), now, memberId]],
      ]);
      const t = (r.at(-1) as Row[])[0] as Row;
      const tier = tierUpdate(memberId, t, now);
      if (tier.length) await send(tier);
      return { id: (r[2] as ResultSetHeader).insertId, balance: Number(t.balance) };
    });
    return { recordPurchase: { id: String(id), memberNo: String(m.member_no), points: earned.points, balance, replayed: false, steps: earned.steps.map((x) => ({ rule: x.rule, points: x.points })) } };
  }

  /**
   * The minimal floor's recordPurchase: what a hand-written service on MariaDB would send for the same answer and the
   * same invariants, in three round trips — (1) the member read, with the grant check folded in; (2) one batch
   * (multi-statement): BEGIN, consume the code's step (locks the member), the purchase row (its unique key is the
   * idempotency check: a duplicate aborts the batch), the credit (account first, then entry and lot, the entry keyed by
   * the purchase id through LAST_INSERT_ID()), the rolling spend and balance under the lock; (3) COMMIT, with the tier
   * update in front when it changes — or ROLLBACK when the step was taken. The referral binding is read with (1) (a
   * member with a referrer is not part of the benchmark).
   */
  async function recordPurchaseMinimal(staffId: number, input: PurchaseInput): Promise<unknown> {
    const { store, parsed } = checkPurchase(input);
    const m = await get(
      `SELECT m.id, m.member_no, m.code_secret, m.code_last_step, m.tier_id, r.id AS referral_id,
        EXISTS (SELECT 1 FROM role_assignment g WHERE g.user_id = ? AND ((g.role = 'STAFF' AND g.scope = 'STORE' AND g.store_id = ?) OR (g.role = 'MANAGER' AND (g.scope = 'HQ' OR (g.scope = 'REGION' AND g.region_id = ?) OR g.store_id = ?)))) AS allowed
       FROM member m LEFT JOIN referral r ON r.referee_id = m.id WHERE m.member_no = ?`,
      [staffId, store.id, store.regionId, store.id, parsed.memberNo],
    );
    if (!m) throw new FloorError('CODE_INVALID', 'Unknown member code');
    if (Number(m.allowed) !== 1) throw new FloorError('FORBIDDEN', 'Not allowed');
    if (m.referral_id != null) throw new FloorError('INTERNAL', 'members with a referrer are not part of the minimal floor');
    const hash = createHash('sha256').update(JSON.stringify({ memberNo: parsed.memberNo, storeId: store.id, amountFen: input.amountFen, lines: input.lines })).digest('hex');
    const now = new Date();
    const step = codeStep(m, parsed.totp, now);
    const memberId = Number(m.id);
    const earned = earningOf(store, Number(m.tier_id), input.lines, now);
    const batch: Batched[] = [
      ['BEGIN', []],
      ['UPDATE member SET code_last_step = ? WHERE id = ? AND (code_last_step IS NULL OR code_last_step < ?)', [step, memberId, step]],
      [PURCHASE_INSERT, [memberId, store.id, staffId, input.amountFen, JSON.stringify(input.lines), earned.points, input.idempotencyKey, hash, 0, now]],
      ...credit(memberId, earned.points, { reason: ledgerReason.purchase(input.amountFen), actorId: staffId, storeId: store.id, sourceType: 'purchase', sourceRef: null, requestHash: hash }, now),
      [`SELECT ${MINIMAL_STATE_COLUMNS} FROM member m JOIN member_account a ON a.id = m.id WHERE m.id = ?`, [addMonthsUtc(now, -12), now, memberId]],
    ];
    const { id, balance } = await batchTransaction(batch, (results) => {
      if ((results[1] as ResultSetHeader).affectedRows !== 1) throw new FloorError('CODE_REUSED', 'This member code was already used');
      const t = (results.at(-1) as Row[])[0] as Row;
      return { result: { id: (results[2] as ResultSetHeader).insertId, balance: Number(t.balance) }, tail: tierUpdate(memberId, t, now) };
    });
    return { recordPurchase: { id: String(id), memberNo: String(m.member_no), points: earned.points, balance, replayed: false, steps: earned.steps.map((x) => ({ rule: x.rule, points: x.points })) } };
  }

  // ---- WeChat Pay notifications -------------------------------------------------------------------------------
  const payKeys = new Map<string, KeyObject>();
  for (const [serial, pem] of Object.entries(opts.wechatPay?.platformKeys ?? {})) {
    payKeys.set(serial.toUpperCase(), pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem));
  }
  const apiV3Key = Buffer.from(opts.wechatPay?.apiV3Key ?? '', 'utf8');

  /** wechatpay-verifier.ts open(): verify the Wechatpay-* headers, parse the envelope, decrypt the resource (tag checked); null when unverifiable. */
  function openNotification(headers: http.IncomingHttpHeaders, body: string): { eventType: string; resource: Record<string, unknown> } | null {
    const h = (k: string): string | undefined => {
      const v = headers[k];
      return Array.isArray(v) ? v[0] : v;
    };
    const timestamp = h('wechatpay-timestamp');
    const nonce = h('wechatpay-nonce');
    const serial = h('wechatpay-serial');
    const signature = h('wechatpay-signature');
    if (!timestamp || !nonce || !serial || !signature || signature.startsWith('WECHATPAY/SIGNTEST/')) return null;
    const key = payKeys.get(serial.toUpperCase());
    if (!key || !/^\d{1,12}$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return null;
    if (!createVerify('RSA-SHA256').update(`${timestamp}\n${nonce}\n${body}\n`).verify(key, signature, 'base64')) return null;
    let env: { event_type?: string; resource?: { algorithm?: string; ciphertext?: string; associated_data?: string; nonce?: string } };
    try {
      env = JSON.parse(body) as typeof env;
    } catch {
      return null;
    }
    const r = env?.resource;
    if (!r?.ciphertext || !env.event_type || r.algorithm !== 'AEAD_AES_256_GCM' || !r.nonce) return null;
    try {
      const buf = Buffer.from(r.ciphertext, 'base64');
      if (buf.length <= 16) return null;
      const d = createDecipheriv('aes-256-gcm', apiV3Key, Buffer.from(r.nonce));
      d.setAuthTag(buf.subarray(buf.length - 16));
      if (r.associated_data) d.setAAD(Buffer.from(r.associated_data));
      const plain = Buffer.concat([d.update(buf.subarray(0, buf.length - 16)), d.final()]).toString('utf8');
      return { eventType: env.event_type, resource: JSON.parse(plain) as Record<string, unknown> };
    } catch {
      return null;
    }
  }

  type Tx = { mchid?: string; out_trade_no?: string; transaction_id?: string; trade_state?: string; success_time?: string; payer?: { openid?: string }; amount?: { total?: number } };
  interface ToPay { orderId: number; amountFen: number; store: StoreRow; lines: { category: string; amountFen: number }[]; memberId: number; tierId: number; transactionId: string; paidAt: Date; now: Date; points: number }

  /** completePayment's checks on the order read (with `payer_tier_id`, `payer_openid`): null when there is nothing to do. */
  function orderToPay(tx: Tx, o: Row | undefined): ToPay | null {
    if (!o || o.state === 'PAID') return null;
    const amountFen = Number(o.amount_fen);
    if (tx.amount?.total !== amountFen) throw new Error(`amount mismatch on ${String(o.out_trade_no)}`);
    if (o.member_id == null) throw new Error('orders without a member are not part of the benchmark');
    if (tx.payer?.openid && String(o.payer_openid) !== tx.payer.openid) throw new Error('payer mismatch');
    const lines = (typeof o.lines === 'string' ? JSON.parse(o.lines) : o.lines) as { category: string; amountFen: number }[];
    const store = stores.get(Number(o.store_id)) as StoreRow;
    const now = new Date();
    const paidAt = tx.success_time ? new Date(tx.success_time) : now;
    const tierId = Number(o.payer_tier_id);
    return { orderId: Number(o.id), amountFen, store, lines, memberId: Number(o.member_id), tierId, transactionId: String(tx.transaction_id), paidAt, now, points: earningOf(store, tierId, lines, paidAt).points };
  }

  const checkTransaction = (tx: Tx): boolean => {
    if (tx.trade_state !== 'SUCCESS' && tx.trade_state !== 'REFUND') return false;
    if (!tx.transaction_id) throw new Error('paid transaction without transaction_id');
    if (tx.mchid !== opts.wechatPay?.mchid) throw new Error(`notification for another merchant ${tx.mchid}`);
    return true;
  };

  /**
   * payment.service.ts completePayment, statement for statement (member known, first delivery; a duplicate stops at the
   * order read): the order with its member's tier and openid, then one transaction: the conditional pay_order update,
   * the member row lock, the purchase row, the credit (account, entry, lot), the member's state (tier, referral
   * binding), COMMIT.
   */
  async function completePayment(tx: Tx): Promise<void> {
    if (!checkTransaction(tx)) return;
    const o = orderToPay(
      tx,
      await get(
        'SELECT o.*, s.name AS store_name, m.tier_id AS payer_tier_id, u.openid AS payer_openid FROM pay_order o JOIN store s ON s.id = o.store_id LEFT JOIN member m ON m.id = o.member_id LEFT JOIN app_user u ON u.id = m.user_id WHERE o.out_trade_no = ?',
        [tx.out_trade_no],
      ),
    );
    if (!o) return;
    await batches(async (send) => {
      // payment.service.ts applyPayment: the conditional order update with BEGIN (a duplicate stops there), then the
      // accrual's batch: the member lock, the purchase row, the credit, the state read; the tier at the time of processing.
      const [, r] = await send([
        ['BEGIN', []],
        ["UPDATE pay_order SET state = 'PAID', transaction_id = ?, paid_at = ?, member_id = ?, points = ? WHERE id = ? AND state <> 'PAID'", [o.transactionId, o.paidAt, o.memberId, o.points, o.orderId]],
      ]);
      if ((r as ResultSetHeader).affectedRows !== 1) return;
      const b = await send([
        ['SELECT id FROM member WHERE id = ? FOR UPDATE', [o.memberId]],
        [PURCHASE_INSERT, [o.memberId, o.store.id, null, o.amountFen, JSON.stringify(o.lines), o.points, `wechatpay:${o.transactionId}`, 'wechatpay', 0, o.paidAt]],
        ...credit(o.memberId, o.points, { reason: ledgerReason.wechatPay(o.amountFen), actorId: null, storeId: o.store.id, sourceType: 'wechatpay', sourceRef: o.transactionId, requestHash: null }, o.paidAt),
        [STATE_SQL, [addMonthsUtc(o.now, -12), o.now, o.memberId]],
      ]);
      const tier = tierUpdate(o.memberId, (b.at(-1) as Row[])[0] as Row, o.now);
      if (tier.length) await send(tier);
    });
  }

  /**
   * The minimal floor's completePayment, in three round trips: (1) the order with its member's tier, openid and referral
   * binding; (2) one batch: BEGIN, the conditional pay_order update (0 rows: a duplicate, rolled back), the member row
   * lock, the purchase row (unique key), the credit (account, entry, lot), the rolling spend; (3) COMMIT, with the tier
   * update in front when it changes.
   */
  async function completePaymentMinimal(tx: Tx): Promise<void> {
    if (!checkTransaction(tx)) return;
    const row = await get(
      'SELECT o.id, o.out_trade_no, o.state, o.amount_fen, o.store_id, o.member_id, o.`lines`, m.tier_id AS payer_tier_id, u.openid AS payer_openid, r.id AS referral_id FROM pay_order o LEFT JOIN member m ON m.id = o.member_id LEFT JOIN app_user u ON u.id = m.user_id LEFT JOIN referral r ON r.referee_id = m.id WHERE o.out_trade_no = ?',
      [tx.out_trade_no],
    );
    const o = orderToPay(tx, row);
    if (!o) return;
    if (row?.referral_id != null) throw new Error('members with a referrer are not part of the minimal floor');
    await batchTransaction(
      [
        ['BEGIN', []],
        ["UPDATE pay_order SET state = 'PAID', transaction_id = ?, paid_at = ?, member_id = ?, points = ? WHERE id = ? AND state <> 'PAID'", [o.transactionId, o.paidAt, o.memberId, o.points, o.orderId]],
        ['SELECT id FROM member WHERE id = ? FOR UPDATE', [o.memberId]],
        [PURCHASE_INSERT, [o.memberId, o.store.id, null, o.amountFen, JSON.stringify(o.lines), o.points, `wechatpay:${o.transactionId}`, 'wechatpay', 0, o.paidAt]],
        ...credit(o.memberId, o.points, { reason: ledgerReason.wechatPay(o.amountFen), actorId: null, storeId: o.store.id, sourceType: 'wechatpay', sourceRef: o.transactionId, requestHash: null }, o.paidAt),
        [`SELECT ${MINIMAL_STATE_COLUMNS} FROM member m JOIN member_account a ON a.id = m.id WHERE m.id = ?`, [addMonthsUtc(o.now, -12), o.now, o.memberId]],
      ],
      (results) => {
        if ((results[1] as ResultSetHeader).affectedRows !== 1) throw new Error('paid meanwhile');
        const t = (results.at(-1) as Row[])[0] as Row;
        return { result: undefined, tail: tierUpdate(o.memberId, t, o.now) };
      },
    );
  }

  async function handleNotification(req: http.IncomingMessage, body: string, res: http.ServerResponse, minimal: boolean): Promise<void> {
    const fail = (status: number, message: string): void => {
      const payload = JSON.stringify({ code: 'FAIL', message });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    };
    const opened = openNotification(req.headers, body);
    if (!opened) return fail(401, 'verification failed');
    try {
      if (opened.eventType === 'TRANSACTION.SUCCESS') await (minimal ? completePaymentMinimal : completePayment)(opened.resource);
    } catch {
      return fail(500, 'processing failed');
    }
    res.writeHead(204);
    res.end();
  }

  /** The same-SQL floor (`minimal` false) or the minimal floor: the same routes, `me` alike. */
  const serve = (minimal: boolean): http.Server => {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const reply = (status: number, payload: unknown): void => {
          const body = JSON.stringify(payload);
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
          res.end(body);
        };
        if (req.method === 'POST' && req.url === '/webhooks/wechatpay') {
          handleNotification(req, Buffer.concat(chunks).toString('utf8'), res, minimal).catch(() => reply(500, { code: 'FAIL', message: 'processing failed' }));
          return;
        }
        (async () => {
          if (req.method !== 'POST' || req.url !== '/graphql') return reply(404, { errors: [{ message: 'not found' }] });
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query?: string; variables?: { input?: PurchaseInput; first?: number } };
          const userId = await bearer(req);
          // Two routes, told apart the cheapest way: the floor answers exactly the two benchmark operations.
          if (body.variables?.input) return reply(200, { data: await (minimal ? recordPurchaseMinimal : recordPurchase)(userId, body.variables.input) });
          return reply(200, { data: await me(userId, body.variables?.first ?? 10) });
        })().catch((e: unknown) => {
          const code = e instanceof FloorError ? e.code : (e as { extensions?: { code?: string } }).extensions?.code ?? 'INTERNAL';
          reply(code === 'INTERNAL' ? 500 : 200, { errors: [{ message: (e as Error).message, extensions: { code } }], data: null });
        });
      });
    });
    server.keepAliveTimeout = 72_000;
    return server;
  };
  const servers = [serve(false), serve(true)] as const;
  const urls: string[] = [];
  for (const server of servers) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    urls.push(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
  }
  return {
    url: urls[0] as string,
    minimalUrl: urls[1] as string,
    async record(fn) {
      const statements: string[] = [];
      trace = statements;
      try {
        return { result: await fn(), statements };
      } finally {
        trace = null;
      }
    },
    async close() {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await pool.end();
      await mpool.end();
    },
  };
}
