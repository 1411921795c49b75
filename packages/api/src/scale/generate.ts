/**
 * The chain-sized data set of `pnpm seed:scale` (issue #15 item 7), generated member by member as tab-separated
 * rows for `LOAD DATA LOCAL INFILE` (load.ts). Deterministic: every member draws from its own PRNG seeded by
 * (seed, member id), and every time derives from `now`, so the same arguments give the same rows whenever they run.
 *
 * The shape: regions and stores with coordinates (20 stores per city); members joining over the history (a fifth
 * before it, the rest growing towards `now`), ids in joining order; each member a Pareto activity weight (α 1.16:
 * the top 20 % make about 80 % of the visits), a lifespan after which they stop coming, purchases with weekly and
 * yearly seasonality at their home store mostly, about 1 % refunded. The ledger follows the ledger's rules (see
 * ledger.service.ts): an EARN entry and a lot per purchase (¥1 = 1 point, lots lapse after 24 months), redemptions
 * and refund clawbacks taking from the oldest lots (lot_allocation), one EXPIRE entry per lapsed lot at its expiry;
 * so each member's balance = Σ entries = Σ lots' remaining (reconciliation empty).
 */
import { addMonthsUtc, prng } from '@quanzi/shared';
import { expiryReason } from '../modules/ledger/expiry.service';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const SHANGHAI = 8 * HOUR;

export const CITIES: readonly { code: string; name: string; lat: number; lng: number }[] = [
  { code: 'sh', name: '上海', lat: 31.23, lng: 121.47 },
  { code: 'bj', name: '北京', lat: 39.9, lng: 116.4 },
  { code: 'gz', name: '广州', lat: 23.13, lng: 113.26 },
  { code: 'sz', name: '深圳', lat: 22.54, lng: 114.06 },
  { code: 'cd', name: '成都', lat: 30.57, lng: 104.07 },
  { code: 'hz', name: '杭州', lat: 30.27, lng: 120.15 },
  { code: 'wh', name: '武汉', lat: 30.59, lng: 114.31 },
  { code: 'xa', name: '西安', lat: 34.34, lng: 108.94 },
  { code: 'nj', name: '南京', lat: 32.06, lng: 118.8 },
  { code: 'cq', name: '重庆', lat: 29.56, lng: 106.55 },
];

/** Rewards: two of the chain's own, two from partners (the own-versus-partner ratio). */
export const SCALE_REWARDS: readonly { id: number; kind: 'OWN_PRODUCT' | 'MOBILE_TOPUP' | 'FUEL_CARD'; name: string; points: number; partnerId: number | null; weight: number }[] = [
  { id: 1, kind: 'OWN_PRODUCT', name: '拿铁一杯', points: 200, partnerId: null, weight: 5 },
  { id: 2, kind: 'OWN_PRODUCT', name: '帆布袋', points: 500, partnerId: null, weight: 2 },
  { id: 3, kind: 'MOBILE_TOPUP', name: '话费 ¥10', points: 1000, partnerId: 1, weight: 2 },
  { id: 4, kind: 'FUEL_CARD', name: '加油卡 ¥30', points: 3000, partnerId: 2, weight: 1 },
];

export interface ScaleOptions {
  members: number;
  /** Stores per region (10 regions). */
  storesPerRegion: number;
  /** Mean purchases per member over the history. */
  purchasesPerMember: number;
  /** Years of history before `now`. */
  years: number;
  seed: number;
  now: Date;
}

/**
 * The chain the issue asks for (#15 item 7): with 1,000,000 members, 9 purchases each on average over 3 years give
 * ~9.2 M purchases and ~10.5 M ledger entries (EARN, REVERSAL, REDEEM, EXPIRE).
 */
export const SCALE_DEFAULTS: Omit<ScaleOptions, 'now'> = { members: 1_000_000, storesPerRegion: 20, purchasesPerMember: 9, years: 3, seed: 15 };

export interface Store { id: number; regionId: number; code: string; name: string; lat: number; lng: number }

/** Rows of one chunk, per table, tab-separated with \N for NULL (column lists in load.ts). */
export interface Chunk {
  app_user: string[];
  member: string[];
  member_account: string[];
  member_profile: string[];
  purchase: string[];
  points_entry: string[];
  points_lot: string[];
  lot_allocation: string[];
  reward_redemption: string[];
  service_rating: string[];
  referral: string[];
}

export const CHUNK_TABLES: readonly (keyof Chunk)[] = ['app_user', 'member', 'member_account', 'member_profile', 'purchase', 'points_entry', 'points_lot', 'lot_allocation', 'reward_redemption', 'service_rating', 'referral'];

const mix = (a: number, b: number): number => {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x45d9f3b);
  return (h ^ (h >>> 13)) >>> 0;
};

const dayPrefix = new Map<number, string>();
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** DATETIME(3) text in UTC, as the API stores it (the day's prefix cached: millions of calls). */
export function dt(ms: number): string {
  const day = Math.floor(ms / DAY);
  let p = dayPrefix.get(day);
  if (p === undefined) {
    p = new Date(day * DAY).toISOString().slice(0, 11).replace('T', ' ');
    dayPrefix.set(day, p);
  }
  const rest = ms - day * DAY;
  const h = Math.floor(rest / HOUR);
  const m = Math.floor((rest % HOUR) / 60_000);
  const s = Math.floor((rest % 60_000) / 1000);
  const milli = Math.floor(rest % 1000);
  return `${p}${pad2(h)}:${pad2(m)}:${pad2(s)}.${milli < 10 ? `00${milli}` : milli < 100 ? `0${milli}` : milli}`;
}

export function stores(o: Pick<ScaleOptions, 'storesPerRegion' | 'seed'>): Store[] {
  const r = prng(mix(o.seed, 0x5707e));
  const out: Store[] = [];
  CITIES.forEach((c, ci) => {
    for (let k = 0; k < o.storesPerRegion; k++) {
      const id = ci * o.storesPerRegion + k + 1;
      out.push({ id, regionId: ci + 1, code: `${c.code}-${String(k + 1).padStart(3, '0')}`, name: `${c.name}${k + 1}号店`, lat: round(c.lat + (r() - 0.5) * 0.3, 4), lng: round(c.lng + (r() - 0.5) * 0.3, 4) });
    }
  });
  return out;
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Seasonality of a purchase instant, ≤ 1: weekends and the New Year / Spring Festival months busier, summer quieter. */
function season(ms: number): number {
  const d = new Date(ms + SHANGHAI);
  const dow = d.getUTCDay();
  const month = d.getUTCMonth();
  const w = dow === 0 || dow === 6 ? 1 : 0.75;
  const m = month === 0 || month === 1 ? 1 : month === 11 ? 0.9 : month === 6 || month === 7 ? 0.65 : 0.75;
  return w * m;
}

const HOURS = [8, 9, 10, 11, 11, 12, 12, 12, 13, 14, 15, 16, 17, 17, 18, 18, 18, 19, 19, 20, 21];

/** The member-level draws, shared by the calibration pass and the generator. */
function memberDraws(r: () => number, join: number, start: number, now: number): { weight: number; from: number; until: number } {
  const weight = Math.min(200, (1 - r()) ** (-1 / 1.16));
  const from = Math.max(join, start);
  const lifespan = r() < 0.45 ? Infinity : -Math.log(1 - r()) * 420 * DAY;
  return { weight, from, until: Math.min(now, from + lifespan) };
}

export class ScaleGenerator {
  readonly stores: Store[];
  private readonly now: number;
  private readonly start: number;
  private readonly rate: number;
  private ids = { purchase: 0, entry: 0, lot: 0, redemption: 0 };

  constructor(private readonly o: ScaleOptions) {
    this.stores = stores(o);
    this.now = o.now.getTime();
    this.start = this.now - Math.round(o.years * 365 * DAY);
    // Calibrate purchases per active day so the mean per member is `purchasesPerMember`.
    const r = prng(mix(o.seed, 0xca1));
    let sum = 0;
    const n = 20_000;
    for (let i = 1; i <= n; i++) {
      const d = memberDraws(r, this.joinOf(Math.ceil((i / n) * o.members)), this.start, this.now);
      sum += d.weight * Math.max(0, d.until - d.from);
    }
    this.rate = (o.purchasesPerMember * n) / Math.max(1, sum);
  }

  /** Joining instant of member `id` (ids in joining order): the first fifth over the year before the history, the rest growing towards now. */
  joinOf(id: number): number {
    const u = (id - 0.5) / this.o.members;
    if (u < 0.2) return this.start - 365 * DAY + Math.floor((u / 0.2) * 365 * DAY);
    return this.start + Math.floor((this.now - this.start - HOUR) * Math.sqrt((u - 0.2) / 0.8));
  }

  /** Rows for members [first, last]. Call in ascending, contiguous order (row ids continue across chunks). */
  chunk(first: number, last: number): Chunk {
    const c: Chunk = { app_user: [], member: [], member_account: [], member_profile: [], purchase: [], points_entry: [], points_lot: [], lot_allocation: [], reward_redemption: [], service_rating: [], referral: [] };
    for (let id = first; id <= last; id++) this.member(id, c);
    return c;
  }

  private member(id: number, c: Chunk): void {
    const { now, start, stores: all } = this;
    const spr = this.o.storesPerRegion;
    const r = prng(mix(this.o.seed, id));
    const join = this.joinOf(id) + Math.floor(r() * 60_000);
    const d = memberDraws(r, join, start, now);
    const home = all[Math.floor(r() * all.length)] as Store;
    const referred = id > 1000 && r() < 0.06;
    const userId = id + 2; // user ids 1 and 2 are the bench's managers
    c.app_user.push(`${userId}\tscale-${id}\t${referred ? 'REFERRAL' : r() < 0.8 ? 'MINIPROGRAM' : 'IN_STORE'}\t${dt(join)}`);

    // Profile: most members have one; three in four name a home store; three in ten consent to a coarse location.
    const hasProfile = r() < 0.85;
    const homeKnown = hasProfile && r() < 0.88;
    if (hasProfile) {
      const g = r();
      const gender = g < 0.55 ? 'FEMALE' : g < 0.95 ? 'MALE' : '\\N';
      const by = 1950 + Math.floor(r() * 58);
      const birthday = r() < 0.9 ? `${by}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}` : '\\N';
      const consent = r() < 0.35;
      // ~8 km around the home store, coarsened to 0.01° as the API stores it.
      const rad = -Math.log(1 - r()) * 8;
      const ang = r() * 2 * Math.PI;
      const lat = round(home.lat + (rad / 111) * Math.cos(ang), 2);
      const lng = round(home.lng + (rad / (111 * Math.cos((home.lat * Math.PI) / 180))) * Math.sin(ang), 2);
      c.member_profile.push(
        `${id}\t${gender}\t${birthday}\t${homeKnown ? home.id : '\\N'}\t${consent ? lat : '\\N'}\t${consent ? lng : '\\N'}\t${consent ? 1 : 0}\t${consent ? dt(join + HOUR) : '\\N'}\t${dt(join + HOUR)}`,
      );
    }

    // Purchase instants: Poisson count, uniform in the active span, thinned by seasonality, Shanghai shop hours.
    const span = Math.max(0, d.until - d.from);
    const lambda = this.rate * d.weight * span;
    let n = poisson(r, lambda);
    if (n > 3000) n = 3000;
    const times: number[] = [];
    let guard = 0;
    while (times.length < n && guard++ < n * 20) {
      const t = d.from + r() * span;
      if (r() > season(t)) continue;
      const dayStart = Math.floor((t + SHANGHAI) / DAY) * DAY - SHANGHAI;
      const ms = dayStart + (HOURS[Math.floor(r() * HOURS.length)] as number) * HOUR + Math.floor(r() * HOUR);
      if (ms > join && ms < now) times.push(ms);
    }
    times.sort((a, b) => a - b);

    // Events in time order: purchases, refunds and redemption attempts scheduled from them.
    type Ev = { t: number; k: 0 | 1 | 2; amount: number; store: Store; purchaseId: number; points: number };
    const evs: Ev[] = [];
    const spendScale = 1 + 0.25 * Math.log(d.weight);
    for (const t of times) {
      const u = r();
      const store = u < 0.8 ? home : u < 0.95 ? (all[(home.regionId - 1) * spr + Math.floor(r() * spr)] as Store) : (all[Math.floor(r() * all.length)] as Store);
      const amount = Math.max(500, Math.min(500_000, Math.round(6000 * spendScale * Math.exp(0.6 * normal(r)))));
      evs.push({ t, k: 0, amount, store, purchaseId: 0, points: 0 });
    }
    // Lots FIFO (they expire in creation order: one validity for all).
    type Lot = { id: number; entryId: number; points: number; remaining: number; expires: number; earnedAt: number };
    const lots: Lot[] = [];
    let lotHead = 0;
    let balance = 0;
    let earned = 0;
    let spendYear = 0;
    let firstPurchase: number | null = null;
    const entry = (memberId: number, delta: number, kind: string, reason: string, storeId: number | null, sourceType: string, sourceRef: string, t: number): number => {
      const eid = ++this.ids.entry;
      c.points_entry.push(`${eid}\t${memberId}\t${delta}\t${kind}\t${reason}\t${storeId ?? '\\N'}\t${sourceType}\t${sourceRef}\t${dt(t)}`);
      balance += delta;
      return eid;
    };
    const expireUntil = (t: number): void => {
      while (lotHead < lots.length && (lots[lotHead] as { expires: number }).expires <= t) {
        const l = lots[lotHead++] as Lot;
        if (l.remaining <= 0) continue;
        const eid = entry(id, -l.remaining, 'EXPIRE', expiryReason(new Date(l.earnedAt), 'purchase', 'EARN'), null, 'expiry', String(l.id), l.expires);
        c.lot_allocation.push(`${eid}\t${l.id}\t${l.remaining}`);
        l.remaining = 0;
      }
    };
    const take = (eid: number, points: number): void => {
      let left = points;
      for (let i = lotHead; i < lots.length && left > 0; i++) {
        const l = lots[i] as { id: number; remaining: number };
        if (l.remaining <= 0) continue;
        const p = Math.min(l.remaining, left);
        l.remaining -= p;
        left -= p;
        c.lot_allocation.push(`${eid}\t${l.id}\t${p}`);
      }
    };

    for (let i = 0; i < evs.length; i++) {
      const e = evs[i] as Ev;
      expireUntil(e.t);
      if (e.k === 0) {
        const pid = ++this.ids.purchase;
        const points = Math.floor(e.amount / 100);
        e.purchaseId = pid;
        e.points = points;
        firstPurchase ??= e.t;
        if (e.t > now - 365 * DAY) spendYear += e.amount;
        c.purchase.push(`${pid}\t${id}\t${e.store.id}\t${e.amount}\t[]\t${points}\tscale-p-${pid}\t-\t${dt(e.t)}`);
        if (points > 0) {
          const eid = entry(id, points, 'EARN', '消费获得', e.store.id, 'purchase', String(pid), e.t);
          const lid = ++this.ids.lot;
          const expires = addMonthsUtc(new Date(e.t), 24).getTime();
          lots.push({ id: lid, entryId: eid, points, remaining: points, expires, earnedAt: e.t });
          earned += points;
        }
        if (r() < 0.04) {
          const stars = pick(r, [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 3, 3, 2, 1]);
          const at = e.t + 10 * 60_000;
          if (at < now) {
            c.service_rating.push(`${id}\tPURCHASE\t${pid}\t消费 ¥${(e.amount / 100).toFixed(2)}\t${e.store.id}\t${e.store.regionId}\t${stars}\t${dt(e.t)}\t${stars <= 2 ? 'OPEN' : 'NONE'}\t${dt(at)}`);
          }
        }
        // Follow-ups: a refund within a week (1 %), a redemption attempt within ten days (8 %).
        const later = (k: 1 | 2, maxMs: number): void => {
          const t = e.t + HOUR + Math.floor(r() * maxMs);
          if (t >= now) return;
          let j = i + 1;
          while (j < evs.length && (evs[j] as Ev).t <= t) j++;
          evs.splice(j, 0, { t, k, amount: e.amount, store: e.store, purchaseId: pid, points });
        };
        if (r() < 0.01) later(1, 7 * DAY);
        if (r() < 0.08) later(2, 10 * DAY);
      } else if (e.k === 1) {
        // Refund: a negative purchase row; the clawback takes what is left of the points (never below zero).
        const pid = ++this.ids.purchase;
        const back = Math.min(e.points, balance);
        if (e.t > now - 365 * DAY) spendYear -= e.amount;
        c.purchase.push(`${pid}\t${id}\t${e.store.id}\t${-e.amount}\t[]\t${-back}\tscale-p-${pid}\t-\t${dt(e.t)}`);
        if (back > 0) take(entry(id, -back, 'REVERSAL', '退款扣回', e.store.id, 'purchase_refund', String(pid), e.t), back);
      } else {
        const reward = pickWeighted(r, SCALE_REWARDS);
        if (balance < reward.points) continue;
        const rid = ++this.ids.redemption;
        const own = reward.partnerId === null;
        const storeId = own ? e.store.id : null;
        const eid = entry(id, -reward.points, 'REDEEM', `兑换 ${reward.name}`, storeId, 'reward', String(rid), e.t);
        take(eid, reward.points);
        c.reward_redemption.push(
          `${rid}\t${reward.id}\t${id}\t${reward.kind}\t${reward.points}\t${own ? 'USED' : 'DELIVERED'}\tscale-r-${rid}\t-\t${storeId ?? '\\N'}\t${dt(e.t)}\t${dt(e.t + 60_000)}\t${dt(e.t + 60_000)}`,
        );
      }
    }
    expireUntil(now);
    for (const l of lots) c.points_lot.push(`${l.id}\t${id}\t${l.entryId}\t${l.points}\t${l.remaining}\t${dt(l.expires)}`);

    const tier = spendYear >= 5_000_000 ? 5 : spendYear >= 2_000_000 ? 4 : spendYear >= 500_000 ? 3 : spendYear >= 100_000 ? 2 : 1;
    c.member.push(`${id}\t${userId}\t${String(7_000_000_000 + id)}\t${tier}\t${dt(now + 365 * DAY)}\tscale${id.toString(36)}\t${dt(join)}`);
    c.member_account.push(`${id}\t${balance}\t${earned}\t${dt(now)}`);
    if (referred) {
      const referrer = Math.max(1, id - 1 - Math.floor(r() * Math.min(id - 1, 50_000)));
      c.referral.push(`${id}\t${referrer}\t${homeKnown ? home.id : '\\N'}\t${homeKnown ? home.regionId : '\\N'}\t${dt(join)}\t${firstPurchase === null ? '\\N' : dt(firstPurchase)}`);
    }
  }
}

function poisson(r: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(r)));
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= r();
  } while (p > l);
  return k - 1;
}

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

function pickWeighted<T extends { weight: number }>(r: () => number, xs: readonly T[]): T {
  const total = xs.reduce((s, x) => s + x.weight, 0);
  let u = r() * total;
  for (const x of xs) {
    u -= x.weight;
    if (u < 0) return x;
  }
  return xs[xs.length - 1] as T;
}
