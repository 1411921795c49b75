/**
 * The soak's people and catalogue. Through GraphQL where a real deployment would (sign-ins through the WeChat
 * simulator, staff appointed by the HQ manager, the reward partner and the ¥10 top-up); written directly only where
 * there is no API for it: the first HQ manager's grant (someone has to be first, as in the journeys), in-store members
 * who never opened the mini-program, and opening balances (a ledger entry + lot + balance, exactly as `credit` writes
 * them, keyed `soak_seed`), some of whose lots expire during the run.
 */
import { randomBytes } from 'node:crypto';
import type { Pool } from 'mysql2/promise';
import { base32Encode } from '@quanzi/shared';
import type { WechatMiniSimulator } from '@quanzi/simulators';
import type { SoakClient } from './client';
import type { Persona, TillMember } from './workers';

export interface Seeded {
  storeId: number;
  manager: Persona;
  staff: Persona;
  payers: Persona[];
  rewardMembers: Persona[];
  till: TillMember[];
  rewardId: string;
  /** Lots seeded to expire while the load runs. */
  expiringLots: number;
}

const LOGIN = 'mutation($code: String!) { login(code: $code) { token viewer { userId } member { id } } }';

async function signIn(client: SoakClient, sim: WechatMiniSimulator, label: string): Promise<Persona> {
  const r = await client.must<{ login: { token: string; viewer: { userId: string }; member: { id: string } } }>('login', LOGIN, { code: sim.login(label) }, null);
  const u = r.login;
  return { token: u.token, userId: Number(u.viewer.userId), memberId: Number(u.member.id), openid: '' };
}

/** An opening balance written as `credit` writes it: balance first, then the entry, then its lot. */
async function openingCredit(db: Pool, memberId: number, points: number, expiresAt: Date, ref: string, now: Date): Promise<void> {
  const conn = await db.getConnection();
  try {
    await conn.beginTransaction();
    await conn.query('UPDATE member_account SET balance = balance + ?, lifetime_earned = lifetime_earned + ?, updated_at = ? WHERE id = ?', [points, points, now, memberId]);
    const [e] = await conn.query(
      "INSERT INTO points_entry (member_id, delta, kind, reason, actor_id, store_id, source_type, source_ref, request_hash, created_at) VALUES (?, ?, 'EARN', '期初积分', NULL, NULL, 'soak_seed', ?, NULL, ?)",
      [memberId, points, ref, now],
    );
    await conn.query('INSERT INTO points_lot (member_id, entry_id, points, remaining, expires_at) VALUES (?, ?, ?, ?, ?)', [memberId, (e as { insertId: number }).insertId, points, points, expiresAt]);
    await conn.commit();
  } catch (err) {
    await conn.rollback().catch(() => undefined);
    throw err;
  } finally {
    conn.release();
  }
}

export async function seed(
  client: SoakClient,
  db: Pool,
  sim: WechatMiniSimulator,
  opts: { tillMembers: number; payers: number; rewardMembers: number; loadSeconds: number },
): Promise<Seeded> {
  const now = new Date();
  const [stores] = await db.query("SELECT id, region_id FROM store WHERE code = 'xa-zhonglou'");
  const store = (stores as { id: number; region_id: number }[])[0];
  if (!store) throw new Error('the organisation was not seeded');
  const storeId = store.id;

  const manager = await signIn(client, sim, 'soak-hq-manager');
  await db.query("INSERT INTO role_assignment (user_id, role, scope, store_id, region_id, scope_key, created_at) VALUES (?, 'MANAGER', 'HQ', NULL, NULL, 'HQ', ?)", [manager.userId, now]);
  const staff = await signIn(client, sim, 'soak-till-staff');
  await client.must('assignRole', 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { role } }', { input: { userId: String(staff.userId), role: 'STAFF', scope: 'STORE', storeId: String(storeId) } }, manager.token);

  const payers: Persona[] = [];
  for (let i = 0; i < opts.payers; i++) payers.push(await signIn(client, sim, `soak-payer-${i}`));
  const rewardMembers: Persona[] = [];
  for (let i = 0; i < opts.rewardMembers; i++) {
    const p = await signIn(client, sim, `soak-reward-member-${i}`);
    await openingCredit(db, p.memberId, 200_000, new Date(now.getTime() + 400 * 86_400_000), `reward-member-${p.memberId}`, now);
    rewardMembers.push(p);
  }

  const partner = await client.must<{ createRewardPartner: { id: string } }>('createRewardPartner', 'mutation($input: RewardPartnerInput!) { createRewardPartner(input: $input) { id } }', { input: { code: 'cmcc', name: '中国移动' } }, manager.token);
  const reward = await client.must<{ createReward: { id: string } }>(
    'createReward',
    'mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }',
    { input: { kind: 'MOBILE_TOPUP', name: '¥10 中国移动话费', description: '充值到指定手机', pointsPrice: 1000, brand: 'CMCC', faceValueFen: 1000, partnerId: partner.createRewardPartner.id, costFen: 990, stock: 100_000 } },
    manager.token,
  );

  // In-store members (registered at the till, never signed in), written as bench/run.ts's seedBuyers writes them.
  const [tiers] = await db.query("SELECT id FROM tier WHERE code = 'NORMAL'");
  const tierId = (tiers as { id: number }[])[0]?.id;
  const periodEnds = new Date(now.getTime() + 365 * 86_400_000);
  const till: TillMember[] = [];
  const base = 7_000_000_000 + Math.floor(Math.random() * 900_000_000);
  const batch = Array.from({ length: opts.tillMembers }, (_, i) => ({ openid: `soak-till-${base + i}`, memberNo: String(base + i), codeSecret: base32Encode(randomBytes(20)) }));
  await db.query(`INSERT INTO app_user (openid, unionid, registration_source, created_at) VALUES ${batch.map(() => "(?, NULL, 'IN_STORE', ?)").join(', ')}`, batch.flatMap((b) => [b.openid, now]));
  const [users] = await db.query(`SELECT id, openid FROM app_user WHERE openid IN (${batch.map(() => '?').join(', ')})`, batch.map((b) => b.openid));
  const userOf = new Map((users as { id: number; openid: string }[]).map((r) => [r.openid, r.id]));
  await db.query(
    `INSERT INTO member (user_id, member_no, tier_id, tier_period_ends_at, code_secret, created_at) VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
    batch.flatMap((b) => [userOf.get(b.openid), b.memberNo, tierId, periodEnds, b.codeSecret, now]),
  );
  const [members] = await db.query(`SELECT id, member_no FROM member WHERE member_no IN (${batch.map(() => '?').join(', ')})`, batch.map((b) => b.memberNo));
  const idOf = new Map((members as { id: number; member_no: string }[]).map((r) => [r.member_no, r.id]));
  await db.query(`INSERT INTO member_account (id, balance, lifetime_earned, updated_at) VALUES ${batch.map(() => '(?, 0, 0, ?)').join(', ')}`, batch.flatMap((b) => [idOf.get(b.memberNo), now]));

  // Opening balances: 300 points valid for a year; every third member also 80 points that expire during the load
  // (racing deductions that would need them, and the expiry job).
  let expiringLots = 0;
  for (const [i, b] of batch.entries()) {
    const memberId = idOf.get(b.memberNo) as number;
    await openingCredit(db, memberId, 300, new Date(now.getTime() + 365 * 86_400_000), `till-${memberId}`, now);
    if (i % 3 === 0) {
      const inMs = (5 + Math.random() * Math.max(5, opts.loadSeconds - 10)) * 1000;
      await openingCredit(db, memberId, 80, new Date(now.getTime() + inMs), `till-expiring-${memberId}`, now);
      expiringLots++;
    }
    till.push({ memberId, memberNo: b.memberNo, codeSecret: b.codeSecret, lastStep: 0 });
  }
  return { storeId, manager, staff, payers, rewardMembers, till, rewardId: reward.createReward.id, expiringLots };
}
