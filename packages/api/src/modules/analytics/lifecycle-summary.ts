/**
 * The customer inventory at chain scale (issue #15 item 7): members per lifecycle stage at any Shanghai midnight,
 * for the chain or a set of stores, without classifying every member per request.
 *
 * Each member's stage over time is a short list of changes (`lifecycleTimeline` in packages/shared: the instants at
 * which the classifier's answer changes, from the purchase history and the thresholds). `lifecycle_member` keeps each
 * member's timeline and store; `lifecycle_net` keeps, per scope key (0 = chain, else a store) and per midnight,
 * the net change of each stage's count, so the count at midnight T is Σ net over the rows up to T: a few thousand
 * rows at most per scope, whatever the number of members.
 *
 * Maintenance (stated per table, as the issue asks): written only by the leased `lifecycle-summary` job, never in a
 * business transaction, from a watermark like `analytics_day`'s. A run takes the members whose inputs changed in
 * [watermark, now − SETTLE_MS) — a purchase or refund, joining, a profile update (the home store) — and, in one
 * transaction that also advances the watermark (conditionally: a second runner changes nothing), replaces their
 * timelines and applies the difference (old out, new in) to the net rows. The first run, and any run after the
 * thresholds changed, rebuilds everything in member-id chunks; until it finishes, reads take the live path.
 *
 * Reading is exact: the summary's counts, corrected for the members changed since the watermark (their stored
 * stage out, their live stage in, from their own rows). When a point is not a Shanghai midnight, the summary was
 * built with other thresholds, has not run, or too many members changed since it ran, the caller classifies live.
 */
import {
  decodeTimeline,
  encodeTimeline,
  LIFECYCLE_STAGES,
  lifecycleTimeline,
  shanghaiCeil,
  shanghaiFloor,
  stageAt,
  type LifecycleStage,
  type LifecycleThresholds,
  type StageChange,
} from '@quanzi/shared';
import { clock } from '../../clock';
import { marks, toDate, toInt, type Db, type Q } from '../../db/sql';
import { SETTLE_MS } from './day-summary';
import { memberStoreSql, scopeMembersJoin, type MemberJoin, type Scope } from './analytics-scope';

/** `lifecycle_net.scope_key` of the whole chain. */
const CHAIN = 0;
/** Members per rebuild chunk. */
const CHUNK = 2_000;
/** Rows per multi-row statement. */
const ROWS_PER_STATEMENT = 500;
/** A read corrects at most this many members changed since the watermark; beyond, it answers live. */
export const MAX_CORRECTIONS = 5_000;

export type StageCounts = Record<LifecycleStage, number>;

interface MemberState {
  memberId: number;
  storeId: number | null;
  timeline: StageChange[];
}

/** Whether a member counts in the scope (their store is one of its stores; every member counts for the chain). */
const memberInScope = (scope: Scope, s: MemberState): boolean => scope.storeIds === null || (s.storeId !== null && scope.storeIds.includes(s.storeId));

const zero = (): StageCounts => Object.fromEntries(LIFECYCLE_STAGES.map((s) => [s, 0])) as StageCounts;

/** The thresholds as stored with the summary (keys sorted, so equal thresholds give equal text). */
export function thresholdsKey(t: LifecycleThresholds): string {
  return JSON.stringify(Object.fromEntries(Object.entries(t).sort(([a], [b]) => a.localeCompare(b))));
}

/** Adds `sign` × the state's stage changes to `net` (key `scopeKey|upto|stage`), for the chain and its store. */
function addNet(net: Map<string, number>, s: MemberState, sign: 1 | -1): void {
  const keys = s.storeId === null ? [CHAIN] : [CHAIN, s.storeId];
  let prev: LifecycleStage | null = null;
  for (const c of s.timeline) {
    const upto = shanghaiCeil(c.at);
    for (const k of keys) {
      const plus = `${k}|${upto}|${c.stage}`;
      net.set(plus, (net.get(plus) ?? 0) + sign);
      if (prev !== null) {
        const minus = `${k}|${upto}|${prev}`;
        net.set(minus, (net.get(minus) ?? 0) - sign);
      }
    }
    prev = c.stage;
  }
}

export class LifecycleSummary {
  constructor(
    private readonly db: Db,
    private readonly thresholds: () => Promise<LifecycleThresholds>,
  ) {}

  private async state(q: Q): Promise<{ until: Date | null; thresholds: string } | null> {
    const r = await q.get<{ until: unknown; thresholds: unknown }>('SELECT until, thresholds FROM lifecycle_state WHERE id = 1');
    return r ? { until: r.until == null ? null : toDate(r.until), thresholds: String(r.thresholds) } : null;
  }

  /**
   * The members (by id) and their purchases up to `before` (all when null), as timelines with their store: the home
   * store, else the first purchase's (the same rule as the live queries' `memberStoreSql`).
   */
  private async load(q: Q, where: { ids: number[] } | { after: number; limit: number }, before: Date | null, t: LifecycleThresholds): Promise<MemberState[]> {
    const members =
      'ids' in where
        ? where.ids.length === 0
          ? []
          : await q.all<Record<string, unknown>>(
              `SELECT m.id, m.created_at, mp.home_store_id FROM member m LEFT JOIN member_profile mp ON mp.member_id = m.id WHERE m.id IN (${marks(where.ids.length)})${before ? ' AND m.created_at < ?' : ''} ORDER BY m.id`,
              before ? [...where.ids, q.ts(before)] : where.ids,
            )
        : await q.all<Record<string, unknown>>(
            `SELECT m.id, m.created_at, mp.home_store_id FROM member m LEFT JOIN member_profile mp ON mp.member_id = m.id WHERE m.id > ?${before ? ' AND m.created_at < ?' : ''} ORDER BY m.id LIMIT ${where.limit}`,
            before ? [where.after, q.ts(before)] : [where.after],
          );
    if (members.length === 0) return [];
    const ids = members.map((m) => toInt(m.id));
    const purchases = await q.all<Record<string, unknown>>(
      'ids' in where
        ? `SELECT member_id, store_id, amount_fen, created_at FROM purchase WHERE member_id IN (${marks(ids.length)})${before ? ' AND created_at < ?' : ''} ORDER BY member_id, created_at, id`
        : `SELECT member_id, store_id, amount_fen, created_at FROM purchase WHERE member_id >= ? AND member_id <= ?${before ? ' AND created_at < ?' : ''} ORDER BY member_id, created_at, id`,
      [...('ids' in where ? ids : [ids[0], ids[ids.length - 1]]), ...(before ? [q.ts(before)] : [])],
    );
    const byMember = new Map<number, Record<string, unknown>[]>();
    for (const p of purchases) {
      const id = toInt(p.member_id);
      let list = byMember.get(id);
      if (!list) byMember.set(id, (list = []));
      list.push(p);
    }
    return members.map((m) => {
      const id = toInt(m.id);
      const rows = byMember.get(id) ?? [];
      const first = rows[0];
      const storeId = m.home_store_id != null ? toInt(m.home_store_id) : first && first.store_id != null ? toInt(first.store_id) : null;
      const history = rows.map((p) => ({ at: toDate(p.created_at), amountFen: toInt(p.amount_fen) }));
      return { memberId: id, storeId, timeline: lifecycleTimeline(toDate(m.created_at), history, t) };
    });
  }

  /** Members whose inputs changed at or after `since` (before `before` when given); at most `limit`. */
  private async changedSince(q: Q, since: Date, before: Date | null, limit?: number): Promise<number[]> {
    const upper = (col: string): string => (before ? ` AND ${col} < ?` : '');
    const p = (): (Date | number)[] => (before ? [q.ts(since), q.ts(before)] : [q.ts(since)]);
    const rows = await q.all<{ id: unknown }>(
      `SELECT member_id AS id FROM purchase WHERE created_at >= ?${upper('created_at')}
       UNION SELECT id FROM member WHERE created_at >= ?${upper('created_at')}
       UNION SELECT member_id AS id FROM member_profile WHERE updated_at >= ?${upper('updated_at')}${limit ? ` LIMIT ${limit}` : ''}`,
      [...p(), ...p(), ...p()],
    );
    return rows.map((r) => toInt(r.id)).sort((a, b) => a - b);
  }

  /** Writes the members' rows and their DECLINING spans (`replace`: dropping the spans they had first). */
  private async writeMembers(q: Q, states: MemberState[], replace: boolean): Promise<void> {
    if (states.length === 0) return;
    if (replace) await q.run(`DELETE FROM lifecycle_declining WHERE member_id IN (${marks(states.length)})`, states.map((s) => s.memberId));
    const spans = states.flatMap((s) =>
      s.timeline.flatMap((c, i) => (c.stage === 'DECLINING' ? [[s.memberId, q.ts(new Date(c.at)), s.timeline[i + 1] ? q.ts(new Date(s.timeline[i + 1]!.at)) : null, s.storeId]] : [])),
    );
    for (let i = 0; i < spans.length; i += ROWS_PER_STATEMENT) {
      const part = spans.slice(i, i + ROWS_PER_STATEMENT);
      await q.run(`INSERT INTO lifecycle_declining (member_id, from_at, to_at, store_id) VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')}`, part.flat());
    }
    const upsert = q.dialect === 'sqlite' ? ' ON CONFLICT (member_id) DO UPDATE SET store_id = excluded.store_id, timeline = excluded.timeline' : ' ON DUPLICATE KEY UPDATE store_id = VALUES(store_id), timeline = VALUES(timeline)';
    for (let i = 0; i < states.length; i += ROWS_PER_STATEMENT) {
      const part = states.slice(i, i + ROWS_PER_STATEMENT);
      await q.run(`INSERT INTO lifecycle_member (member_id, store_id, timeline) VALUES ${part.map(() => '(?, ?, ?)').join(', ')}${upsert}`, part.flatMap((s) => [s.memberId, s.storeId, encodeTimeline(s.timeline)]));
    }
  }

  private async writeNet(q: Q, net: Map<string, number>): Promise<void> {
    const rows = [...net].filter(([, n]) => n !== 0);
    const upsert = q.dialect === 'sqlite' ? ' ON CONFLICT (scope_key, upto, stage) DO UPDATE SET net = net + excluded.net' : ' ON DUPLICATE KEY UPDATE net = net + VALUES(net)';
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const part = rows.slice(i, i + ROWS_PER_STATEMENT);
      await q.run(
        `INSERT INTO lifecycle_net (scope_key, upto, stage, net) VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')}${upsert}`,
        part.flatMap(([key, n]) => {
          const [scope, upto, stage] = key.split('|') as [string, string, string];
          return [Number(scope), q.ts(new Date(Number(upto))), stage, n];
        }),
      );
    }
  }

  /**
   * The job's run: brings the summary up to `now − SETTLE_MS` (rebuilding it first when it has never run or the
   * thresholds changed). Returns the members recomputed.
   */
  async refresh(now: Date = clock.now()): Promise<{ rebuilt: boolean; members: number; until: Date | null }> {
    const target = new Date(now.getTime() - SETTLE_MS);
    const t = await this.thresholds();
    const key = thresholdsKey(t);
    const st = await this.state(this.db.q);
    if (!st || st.thresholds !== key || st.until === null) return this.rebuild(target, t, key);
    const from = st.until;
    if (from.getTime() >= target.getTime()) return { rebuilt: false, members: 0, until: from };
    return this.db.tx(async (q) => {
      const moved = await q.run('UPDATE lifecycle_state SET until = ? WHERE id = 1 AND until = ? AND thresholds = ?', [q.ts(target), q.ts(from), key]);
      if (moved.affectedRows !== 1) return { rebuilt: false, members: 0, until: (await this.state(q))?.until ?? null }; // another runner
      const ids = await this.changedSince(q, from, target);
      if (ids.length === 0) return { rebuilt: false, members: 0, until: target };
      const net = new Map<string, number>();
      for (let i = 0; i < ids.length; i += CHUNK) {
        const part = ids.slice(i, i + CHUNK);
        for (const s of await this.stored(q, part)) addNet(net, s, -1);
        const fresh = await this.load(q, { ids: part }, target, t);
        for (const s of fresh) addNet(net, s, 1);
        await this.writeMembers(q, fresh, true);
      }
      await this.writeNet(q, net);
      return { rebuilt: false, members: ids.length, until: target };
    });
  }

  /** Recomputes every member's timeline from scratch (the first run; new thresholds). Reads answer live meanwhile. */
  private async rebuild(target: Date, t: LifecycleThresholds, key: string): Promise<{ rebuilt: boolean; members: number; until: Date | null }> {
    const db = this.db;
    await db.tx(async (q) => {
      const upsert = q.dialect === 'sqlite' ? ' ON CONFLICT (id) DO UPDATE SET until = NULL, thresholds = excluded.thresholds' : ' ON DUPLICATE KEY UPDATE until = NULL, thresholds = VALUES(thresholds)';
      await q.run(`INSERT INTO lifecycle_state (id, until, thresholds) VALUES (1, NULL, ?)${upsert}`, [key]);
    });
    for (const table of ['lifecycle_net', 'lifecycle_member', 'lifecycle_declining']) await db.q.run(db.dialect === 'sqlite' ? `DELETE FROM ${table}` : `TRUNCATE TABLE ${table}`);
    const net = new Map<string, number>();
    let after = 0;
    let members = 0;
    for (;;) {
      const states = await this.load(db.q, { after, limit: CHUNK }, target, t);
      if (states.length === 0) break;
      await db.tx((q) => this.writeMembers(q, states, false));
      for (const s of states) addNet(net, s, 1);
      members += states.length;
      after = states[states.length - 1]!.memberId;
    }
    const done = await db.tx(async (q) => {
      const r = await q.run('UPDATE lifecycle_state SET until = ? WHERE id = 1 AND until IS NULL AND thresholds = ?', [q.ts(target), key]);
      if (r.affectedRows !== 1) return false; // the thresholds changed meanwhile: the next run starts over
      await this.writeNet(q, net);
      return true;
    });
    return { rebuilt: true, members, until: done ? target : null };
  }

  private async stored(q: Q, ids: number[]): Promise<MemberState[]> {
    if (ids.length === 0) return [];
    const rows = await q.all<Record<string, unknown>>(`SELECT member_id, store_id, timeline FROM lifecycle_member WHERE member_id IN (${marks(ids.length)})`, ids);
    return rows.map((r) => ({ memberId: toInt(r.member_id), storeId: r.store_id == null ? null : toInt(r.store_id), timeline: decodeTimeline(String(r.timeline)) }));
  }

  /**
   * Runs `read` against one state of the summary, with the members changed since its watermark (their stored
   * timelines and their live ones); null when the summary cannot answer exactly (see the module comment). The job
   * commits timelines, net rows and watermark together: the watermark read before and after tells whether every
   * read saw the same summary; if a run committed in between, read again.
   */
  private async consistentRead<T>(t: LifecycleThresholds, read: (c: { q: Q; before: MemberState[]; live: MemberState[]; changed: Set<number> }) => Promise<T>): Promise<T | null> {
    const key = thresholdsKey(t);
    const q = this.db.q;
    for (let attempt = 0; attempt < 3; attempt++) {
      const st = await this.state(q);
      if (!st || st.until === null || st.thresholds !== key) return null;
      const changed = await this.changedSince(q, st.until, null, MAX_CORRECTIONS + 1);
      if (changed.length > MAX_CORRECTIONS) return null;
      const before = await this.stored(q, changed);
      const live = await this.load(q, { ids: changed }, null, t);
      const result = await read({ q, before, live, changed: new Set(changed) });
      const again = await this.state(q);
      if (again?.until?.getTime() === st.until.getTime() && again.thresholds === key) return result;
    }
    return null;
  }

  /**
   * The scope's members (home store, else the first purchase's, at one of the scope's stores) as a join on a member
   * id column, for the KPIs' member-attributed figures: `lifecycle_member`'s stores as of the watermark (by
   * `lifecycle_member_store_idx`), without the members changed since, plus those of them whose store is in the scope
   * now. Null when the summary cannot answer (never run, rebuilding, more than MAX_CORRECTIONS changes) or at HQ.
   * `until`: the watermark it read; a caller that read through the join checks `stillAt(until)` afterwards (a run
   * that committed in between may have moved a changed member's store).
   */
  async scopeMembers(scope: Scope): Promise<{ join: MemberJoin; until: Date } | null> {
    const stores = scope.storeIds;
    if (stores === null || stores.length === 0) return null;
    const q = this.db.q;
    const st = await this.state(q);
    if (!st || st.until === null) return null;
    const changed = await this.changedSince(q, st.until, null, MAX_CORRECTIONS + 1);
    if (changed.length > MAX_CORRECTIONS) return null;
    const now = changed.length
      ? await q.all<{ id: unknown; store_id: unknown }>(
          `SELECT m.id, ${memberStoreSql('m.id')} AS store_id FROM member m LEFT JOIN member_profile mp ON mp.member_id = m.id WHERE m.id IN (${marks(changed.length)})`,
          changed,
        )
      : [];
    const wanted = new Set(stores);
    const added = now.filter((r) => r.store_id != null && wanted.has(toInt(r.store_id))).map((r) => toInt(r.id));
    const without = changed.length ? ` AND lm.member_id NOT IN (${marks(changed.length)})` : '';
    const plus = added.length ? ` UNION ALL SELECT m.id FROM member m WHERE m.id IN (${marks(added.length)})` : '';
    const params = [...stores, ...changed, ...added];
    return {
      join: (memberId) => ({ join: `JOIN (SELECT lm.member_id FROM lifecycle_member lm WHERE lm.store_id IN (${marks(stores.length)})${without}${plus}) sm ON sm.member_id = ${memberId}`, params }),
      until: st.until,
    };
  }

  /** Whether the summary is still at the watermark `until` (no run committed since it was read). */
  async stillAt(until: Date): Promise<boolean> {
    const st = await this.state(this.db.q);
    return st?.until?.getTime() === until.getTime();
  }

  /**
   * Members per stage in `scope` at each of `points` (Shanghai midnights, ascending), from the summary; null when it
   * cannot answer exactly and the caller must classify live.
   */
  async countsAt(scope: Scope, points: Date[], t: LifecycleThresholds): Promise<StageCounts[] | null> {
    if (points.length === 0 || points.some((p) => shanghaiFloor(p.getTime()) !== p.getTime())) return null;
    return this.consistentRead(t, async ({ q, before, live }) => {
      const counts = await this.summaryCounts(q, scope, points);
      points.forEach((p, i) => {
        const c = counts[i] as StageCounts;
        // The changed members: their stored stage out, their live stage in.
        for (const [states, sign] of [[before, -1], [live, 1]] as const) {
          for (const s of states) {
            const stage = memberInScope(scope, s) ? stageAt(s.timeline, p.getTime()) : null;
            if (stage) c[stage] += sign;
          }
        }
      });
      return counts;
    });
  }

  /**
   * The scope's members DECLINING at `now`, by member id after `after`: the first `first` ids, whether more follow,
   * and how many there are in all; null when the summary cannot answer exactly.
   */
  async decliningAt(scope: Scope, now: Date, t: LifecycleThresholds, first: number, after: number): Promise<{ ids: number[]; hasNextPage: boolean; total: number } | null> {
    const n = now.getTime();
    const stores = scope.storeIds;
    if (stores !== null && stores.length === 0) return { ids: [], hasNextPage: false, total: 0 };
    const storeSql = stores === null ? '' : ` AND store_id IN (${marks(stores.length)})`;
    const storeParams = stores ?? [];
    return this.consistentRead(t, async ({ q, before, live, changed }) => {
      const declining = (s: MemberState): boolean => memberInScope(scope, s) && stageAt(s.timeline, n) === 'DECLINING';
      // The page: stored spans holding `now`, without the changed members (they come from their live timelines).
      const limit = first + 1 + changed.size;
      const rows = await q.all<{ member_id: unknown }>(
        `SELECT member_id FROM lifecycle_declining WHERE member_id > ?${storeSql} AND from_at <= ? AND (to_at IS NULL OR to_at > ?) ORDER BY member_id LIMIT ${limit}`,
        [after, ...storeParams, q.ts(now), q.ts(now)],
      );
      const fetched = rows.map((r) => toInt(r.member_id));
      const lastFetched = fetched.length === limit ? (fetched[fetched.length - 1] as number) : Infinity;
      const fromLive = live.filter((s) => s.memberId > after && s.memberId <= lastFetched && declining(s)).map((s) => s.memberId);
      const ids = [...new Set([...fetched.filter((id) => !changed.has(id)), ...fromLive])].sort((a, b) => a - b);
      // The total: the count at the last midnight, the spans that began or ended since, and the changed members.
      const midnight = new Date(shanghaiFloor(n));
      const base = ((await this.summaryCounts(q, scope, [midnight]))[0] as StageCounts).DECLINING;
      const span = async (col: string): Promise<number> =>
        toInt((await q.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM lifecycle_declining WHERE ${col} > ? AND ${col} <= ?${storeSql}`, [q.ts(midnight), q.ts(now), ...storeParams]))?.n);
      const total = base + (await span('from_at')) - (await span('to_at')) - before.filter(declining).length + live.filter(declining).length;
      return { ids: ids.slice(0, first), hasNextPage: ids.length > first, total };
    });
  }

  /** The summary's counts at each point: prefix sums of the net rows of the scope's keys. */
  private async summaryCounts(q: Q, scope: Scope, points: Date[]): Promise<StageCounts[]> {
    const keys = scope.storeIds === null ? [CHAIN] : scope.storeIds;
    const out = points.map(() => zero());
    if (keys.length === 0) return out;
    const last = points[points.length - 1] as Date;
    const rows = await q.all<Record<string, unknown>>(
      `SELECT upto, stage, SUM(net) AS n FROM lifecycle_net WHERE scope_key IN (${marks(keys.length)}) AND upto <= ? GROUP BY upto, stage ORDER BY upto`,
      [...keys, q.ts(last)],
    );
    const running = zero();
    let r = 0;
    points.forEach((p, i) => {
      for (; r < rows.length && toDate(rows[r]!.upto).getTime() <= p.getTime(); r++) running[String(rows[r]!.stage) as LifecycleStage] += toInt(rows[r]!.n);
      out[i] = { ...running };
    });
    return out;
  }
}

/**
 * Runs `read` with the scope's members as a join: from the lifecycle summary's stores when it can answer (read again
 * when one of its runs committed meanwhile, up to three times), else worked out from the members' purchases
 * (`scopeMembersJoin`). At HQ the join is empty.
 */
export async function withScopeMembers<T>(lifecycle: LifecycleSummary | null | undefined, scope: Scope, read: (members: MemberJoin) => Promise<T>): Promise<T> {
  for (let attempt = 0; lifecycle && attempt < 3; attempt++) {
    const set = await lifecycle.scopeMembers(scope);
    if (!set) break;
    const result = await read(set.join);
    if (await lifecycle.stillAt(set.until)) return result;
  }
  return read((memberId) => scopeMembersJoin(scope, memberId));
}
