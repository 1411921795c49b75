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
 * AES-256-GCM decryption with the tag checked, then completePayment's statements in its order (order lookup, the
 * member's tier, then one READ COMMITTED transaction: the conditional pay_order update, the member row lock, the
 * purchase row, the ledger credit (account, entry, lot), tier re-evaluation) and 204.
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
  url: string;
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
  const pool: Pool = createPool({
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    database: o.database ?? undefined,
    connectionLimit: opts.poolMax,
    timezone: 'Z',
    supportBigNumbers: true,
  });
  const tokens = new TokenService(opts.jwtSecret, 3600);

  // Every statement sent goes through these (the transaction's own ones too), so `record` can list them.
  let trace: string[] | null = null;
  const all = async (sql: string, params: unknown[] = [], conn: Pool | PoolConnection = pool): Promise<Row[]> => {
    trace?.push(sql);
    return (await conn.query<Row[]>(sql, params))[0];
  };
  const get = async (sql: string, params: unknown[] = [], conn: Pool | PoolConnection = pool): Promise<Row | undefined> => (await all(sql, params, conn))[0];
  const run = async (sql: string, params: unknown[], conn: Pool | PoolConnection): Promise<ResultSetHeader> => {
    trace?.push(sql);
    return (await conn.query<ResultSetHeader>(sql, params))[0];
  };
  /**
   * A transaction on a pooled connection, as the API's Db.tx runs it through knex: SET TRANSACTION ISOLATION LEVEL
   * READ COMMITTED, BEGIN, the work, COMMIT (ROLLBACK on an error).
   */
  const transaction = async <T>(fn: (conn: PoolConnection) => Promise<T>): Promise<T> => {
    const conn = await pool.getConnection();
    try {
      await run('SET TRANSACTION ISOLATION LEVEL READ COMMITTED', [], conn);
      await run('BEGIN', [], conn);
      try {
        const r = await fn(conn);
        await run('COMMIT', [], conn);
        return r;
      } catch (e) {
        await run('ROLLBACK', [], conn).catch(() => undefined);
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

  interface PurchaseInput { memberCode: string; storeId: string; amountFen: number; lines: { category: string; amountFen: number }[]; idempotencyKey: string }

  /** purchase.service.ts recordPurchase, statement for statement (the first-time path; replays answer from the idempotency row). */
  async function recordPurchase(staffId: number, input: PurchaseInput): Promise<unknown> {
    const storeId = Number(input.storeId);
    const store = stores.get(storeId);
    if (!store || !/^[A-Za-z0-9_:.-]{8,96}$/.test(input.idempotencyKey) || !Array.isArray(input.lines) || input.lines.reduce((a, l) => a + l.amountFen, 0) !== input.amountFen) {
      throw new FloorError('BAD_USER_INPUT', 'Invalid input');
    }
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
    const parsed = parseMemberCode(input.memberCode);
    if (!parsed) throw new FloorError('CODE_INVALID', 'Not a Quanzi member code');
    const hash = createHash('sha256').update(JSON.stringify({ memberNo: parsed.memberNo, storeId: store.id, amountFen: input.amountFen, lines: input.lines })).digest('hex');

    const prior = await get('SELECT p.id, p.points, p.request_hash, p.member_id, m.member_no FROM purchase p JOIN member m ON m.id = p.member_id WHERE p.idempotency_key = ?', [input.idempotencyKey]);
    if (prior) throw new FloorError('IDEMPOTENCY_CONFLICT', 'replays are not part of the benchmark');

    const m = await get(
      `SELECT m.id, m.member_no, m.code_secret, m.code_last_step, m.tier_id, u.phone, ${SPENDABLE} AS balance
       FROM member m JOIN app_user u ON u.id = m.user_id JOIN member_account a ON a.id = m.id WHERE m.member_no = ?`,
      [new Date(), parsed.memberNo],
    );
    if (!m) throw new FloorError('CODE_INVALID', 'Unknown member code');
    const now = new Date();
    const step = matchTotpStep(String(m.code_secret), parsed.totp, now.getTime(), 1);
    if (step === null) throw new FloorError('CODE_INVALID', 'This member code is not valid');
    if (m.code_last_step != null && step <= Number(m.code_last_step)) throw new FloorError('CODE_REUSED', 'This member code was already used');
    const memberId = Number(m.id);
    const tier = tierById.get(Number(m.tier_id)) as TierRow;
    const earned = computeEarning(ruleSet, {
      storeId: String(store.id),
      regionId: String(store.regionId),
      at: now,
      tierMultiplierPct: tier.multiplierPct,
      tierName: tier.name,
      lines: input.lines,
    });
    const reason = ledgerReason.purchase(input.amountFen);

    const id = await transaction(async (conn) => {
        const c = await run('UPDATE member SET code_last_step = ? WHERE id = ? AND (code_last_step IS NULL OR code_last_step < ?)', [step, memberId, step], conn);
        if (c.affectedRows !== 1) throw new FloorError('CODE_REUSED', 'This member code was already used');
        const p = await run(
          'INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [memberId, store.id, staffId, input.amountFen, JSON.stringify(input.lines), earned.points, input.idempotencyKey, hash, now],
          conn,
        );
        const id = p.insertId;
        if (earned.points > 0) {
          // ledger.service.ts credit(): account first, then the entry, then the lot.
          const upd = await run('UPDATE member_account SET balance = balance + ?, lifetime_earned = lifetime_earned + ?, updated_at = ? WHERE id = ?', [earned.points, earned.points, now, memberId], conn);
          if (upd.affectedRows !== 1) throw new FloorError('NOT_FOUND', 'Member account not found');
          const e = await run(
            'INSERT INTO points_entry (member_id, delta, kind, reason, actor_id, store_id, source_type, source_ref, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [memberId, earned.points, 'EARN', reason.slice(0, 128), staffId, store.id, 'purchase', String(id), hash, now],
            conn,
          );
          await run('INSERT INTO points_lot (member_id, entry_id, points, remaining, expires_at) VALUES (?, ?, ?, ?, ?)', [
            memberId, e.insertId, earned.points, earned.points, addMonthsUtc(now, settings.pointsValidityMonths),
          ], conn);
        }
        // reevaluateTier()
        const t = await get('SELECT tier_id, tier_period_ends_at FROM member WHERE id = ?', [memberId], conn);
        if (t) {
          const spend = await get('SELECT COALESCE(SUM(amount_fen), 0) AS s FROM purchase WHERE member_id = ? AND created_at > ?', [memberId, addMonthsUtc(now, -12)], conn);
          const d = evaluateTier(tiers, { tierId: String(Number(t.tier_id)), periodEndsAt: t.tier_period_ends_at as Date }, Number(spend?.s ?? 0), now, settings.tierPeriodMonths);
          if (d.changed !== 'NONE') {
            await run('UPDATE member SET tier_id = ?, tier_period_ends_at = ? WHERE id = ?', [Number(d.tierId), d.periodEndsAt, memberId], conn);
          }
        }
        // referral-credits.ts onEarn() with the programme on: the member's referral binding (none for bench members).
        await get('SELECT id, referrer_id, bound_at, qualified_at, revoked_at FROM referral WHERE referee_id = ?', [memberId], conn);
        return id;
    });
    const b = await get(`SELECT ${SPENDABLE} AS balance FROM member_account a WHERE a.id = ?`, [new Date(), memberId]);
    return {
      recordPurchase: {
        id: String(id),
        memberNo: String(m.member_no),
        points: earned.points,
        balance: Number(b?.balance ?? 0),
        replayed: false,
        steps: earned.steps.map((x) => ({ rule: x.rule, points: x.points })),
      },
    };
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

  /** payment.service.ts completePayment, statement for statement (member known, first delivery; a duplicate stops at the order lookup). */
  async function completePayment(tx: { mchid?: string; out_trade_no?: string; transaction_id?: string; trade_state?: string; success_time?: string; payer?: { openid?: string }; amount?: { total?: number } }): Promise<void> {
    if (tx.trade_state !== 'SUCCESS' && tx.trade_state !== 'REFUND') return;
    if (!tx.transaction_id) throw new Error('paid transaction without transaction_id');
    if (tx.mchid !== opts.wechatPay?.mchid) throw new Error(`notification for another merchant ${tx.mchid}`);
    const o = await get('SELECT o.*, s.name AS store_name FROM pay_order o JOIN store s ON s.id = o.store_id WHERE o.out_trade_no = ?', [tx.out_trade_no]);
    if (!o || o.state === 'PAID') return;
    const orderId = Number(o.id);
    const amountFen = Number(o.amount_fen);
    if (tx.amount?.total !== amountFen) throw new Error(`amount mismatch on ${String(o.out_trade_no)}`);
    const storeId = Number(o.store_id);
    const store = stores.get(storeId) as StoreRow;
    const lines = (typeof o.lines === 'string' ? JSON.parse(o.lines) : o.lines) as { category: string; amountFen: number }[];
    let memberId = o.member_id == null ? null : Number(o.member_id);
    if (memberId === null && tx.payer?.openid) {
      const m = await get('SELECT m.id FROM member m JOIN app_user u ON u.id = m.user_id WHERE u.openid = ?', [tx.payer.openid]);
      memberId = m ? Number(m.id) : null;
    }
    const now = new Date();
    const paidAt = tx.success_time ? new Date(tx.success_time) : now;
    if (memberId === null) {
      await run("UPDATE pay_order SET state = 'PAID', transaction_id = ?, paid_at = ?, points = 0 WHERE id = ? AND state <> 'PAID'", [tx.transaction_id, paidAt, orderId], pool);
      return;
    }
    const tierRow = await get('SELECT tier_id FROM member WHERE id = ?', [memberId]);
    const tier = tierById.get(Number(tierRow?.tier_id)) as TierRow;
    const points = computeEarning(ruleSet, { storeId: String(storeId), regionId: String(store.regionId), at: paidAt, tierMultiplierPct: tier.multiplierPct, tierName: tier.name, lines }).points;
    await transaction(async (conn) => {
        const r = await run("UPDATE pay_order SET state = 'PAID', transaction_id = ?, paid_at = ?, member_id = ?, points = ? WHERE id = ? AND state <> 'PAID'", [
          tx.transaction_id, paidAt, memberId, points, orderId,
        ], conn);
        if (r.affectedRows === 1) {
          await get('SELECT id FROM member WHERE id = ? FOR UPDATE', [memberId], conn);
          await run('INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)', [
            memberId, storeId, amountFen, JSON.stringify(lines), points, `wechatpay:${tx.transaction_id}`, 'wechatpay', paidAt,
          ], conn);
          if (points > 0) {
            // ledger.service.ts credit(): account first, then the entry, then the lot.
            const upd = await run('UPDATE member_account SET balance = balance + ?, lifetime_earned = lifetime_earned + ?, updated_at = ? WHERE id = ?', [points, points, paidAt, memberId], conn);
            if (upd.affectedRows !== 1) throw new FloorError('NOT_FOUND', 'Member account not found');
            const e = await run(
              'INSERT INTO points_entry (member_id, delta, kind, reason, actor_id, store_id, source_type, source_ref, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
              [memberId, points, 'EARN', ledgerReason.wechatPay(amountFen).slice(0, 128), null, storeId, 'wechatpay', tx.transaction_id, null, paidAt],
              conn,
            );
            await run('INSERT INTO points_lot (member_id, entry_id, points, remaining, expires_at) VALUES (?, ?, ?, ?, ?)', [
              memberId, e.insertId, points, points, addMonthsUtc(paidAt, settings.pointsValidityMonths),
            ], conn);
          }
          // tier.service.ts reevaluate() (at the time of processing, as the API does)
          const t = await get('SELECT tier_id, tier_period_ends_at FROM member WHERE id = ?', [memberId], conn);
          if (t) {
            const spend = await get('SELECT COALESCE(SUM(amount_fen), 0) AS s FROM purchase WHERE member_id = ? AND created_at > ?', [memberId, addMonthsUtc(now, -12)], conn);
            const d = evaluateTier(tiers, { tierId: String(Number(t.tier_id)), periodEndsAt: t.tier_period_ends_at as Date }, Math.max(0, Number(spend?.s ?? 0)), now, settings.tierPeriodMonths);
            if (d.changed !== 'NONE') await run('UPDATE member SET tier_id = ?, tier_period_ends_at = ? WHERE id = ?', [Number(d.tierId), d.periodEndsAt, memberId], conn);
          }
          // referral-credits.ts onEarn() with the programme on: the member's referral binding (none for bench members).
          await get('SELECT id, referrer_id, bound_at, qualified_at, revoked_at FROM referral WHERE referee_id = ?', [memberId], conn);
        }
    });
  }

  async function handleNotification(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    const fail = (status: number, message: string): void => {
      const payload = JSON.stringify({ code: 'FAIL', message });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    };
    const opened = openNotification(req.headers, body);
    if (!opened) return fail(401, 'verification failed');
    try {
      if (opened.eventType === 'TRANSACTION.SUCCESS') await completePayment(opened.resource);
    } catch {
      return fail(500, 'processing failed');
    }
    res.writeHead(204);
    res.end();
  }

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
        handleNotification(req, Buffer.concat(chunks).toString('utf8'), res).catch(() => reply(500, { code: 'FAIL', message: 'processing failed' }));
        return;
      }
      (async () => {
        if (req.method !== 'POST' || req.url !== '/graphql') return reply(404, { errors: [{ message: 'not found' }] });
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query?: string; variables?: { input?: PurchaseInput; first?: number } };
        const userId = await bearer(req);
        // Two routes, told apart the cheapest way: the floor answers exactly the two benchmark operations.
        if (body.variables?.input) return reply(200, { data: await recordPurchase(userId, body.variables.input) });
        return reply(200, { data: await me(userId, body.variables?.first ?? 10) });
      })().catch((e: unknown) => {
        const code = e instanceof FloorError ? e.code : (e as { extensions?: { code?: string } }).extensions?.code ?? 'INTERNAL';
        reply(code === 'INTERNAL' ? 500 : 200, { errors: [{ message: (e as Error).message, extensions: { code } }], data: null });
      });
    });
  });
  server.keepAliveTimeout = 72_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
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
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
