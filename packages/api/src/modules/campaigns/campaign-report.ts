/**
 * A campaign's response, treated vs holdout (seed 002's "60 % response rate", computed honestly against a control).
 *
 * Over the window [startsAt, startsAt + responseDays) and the materialised members by their assigned group
 * (intention to treat: a treated member whose coupon was refused still counts as treated):
 * - responders: members with at least one purchase with a positive amount in the window (anywhere);
 *   response rate = responders ÷ members;
 * - spend per member: net purchase amount in the window (refunds deducted) ÷ members, rounded to the fen;
 * - visits per member: purchases with a positive amount ÷ members;
 * - redemption rate (treated, coupon offers): the campaign's coupons used ÷ treated members;
 * - uplift: treated rate − holdout rate with Newcombe's hybrid score 95 % interval (`upliftInterval`); null while
 *   a group is empty.
 */
import { upliftInterval } from '@quanzi/shared';
import { toInt, type Db } from '../../db/sql';
import type { CampaignRow } from './campaign.service';

const DAY_MS = 86_400_000;

export interface GroupResponse {
  members: number;
  responders: number;
  responseRate: number | null;
  visits: number;
  spendFen: number;
  visitsPerMember: number | null;
  spendPerMemberFen: number | null;
}

export interface CampaignReport {
  windowStart: Date;
  windowEnd: Date;
  /** The window is over and the segment fully materialised: the figures will not change. */
  final: boolean;
  treated: GroupResponse;
  holdout: GroupResponse;
  couponsIssued: number;
  couponsRedeemed: number;
  /** Coupons used ÷ treated members. */
  redemptionRate: number | null;
  uplift: { uplift: number; lower: number; upper: number } | null;
}

export async function campaignReport(db: Db, c: CampaignRow, now: Date): Promise<CampaignReport> {
  const q = db.q;
  const windowStart = c.startsAt;
  const windowEnd = new Date(c.startsAt.getTime() + c.responseDays * DAY_MS);
  const rows = await q.all<Record<string, unknown>>(
    `SELECT cm.grp, COUNT(*) AS members, SUM(CASE WHEN v.visits > 0 THEN 1 ELSE 0 END) AS responders, COALESCE(SUM(v.visits), 0) AS visits, COALESCE(SUM(v.spend), 0) AS spend
     FROM campaign_member cm
     LEFT JOIN (
       SELECT p.member_id, SUM(CASE WHEN p.amount_fen > 0 THEN 1 ELSE 0 END) AS visits, SUM(p.amount_fen) AS spend
       FROM purchase p JOIN campaign_member c2 ON c2.member_id = p.member_id AND c2.campaign_id = ?
       WHERE p.created_at >= ? AND p.created_at < ?
       GROUP BY p.member_id
     ) v ON v.member_id = cm.member_id
     WHERE cm.campaign_id = ? GROUP BY cm.grp`,
    [c.id, q.ts(windowStart), q.ts(windowEnd), c.id],
  );
  const group = (grp: string): GroupResponse => {
    const r = rows.find((x) => x.grp === grp);
    const members = toInt(r?.members);
    const responders = toInt(r?.responders);
    const visits = toInt(r?.visits);
    const spendFen = toInt(r?.spend);
    return {
      members,
      responders,
      responseRate: members ? responders / members : null,
      visits,
      spendFen,
      visitsPerMember: members ? visits / members : null,
      spendPerMemberFen: members ? Math.round(spendFen / members) : null,
    };
  };
  const treated = group('TREATED');
  const holdout = group('HOLDOUT');
  const coupons = await q.get<{ issued: unknown; used: unknown }>(
    `SELECT COUNT(*) AS issued, COALESCE(SUM(CASE WHEN r.status = 'USED' THEN 1 ELSE 0 END), 0) AS used
     FROM campaign_member cm JOIN reward_redemption r ON r.id = cm.redemption_id WHERE cm.campaign_id = ?`,
    [c.id],
  );
  const couponsIssued = toInt(coupons?.issued);
  const couponsRedeemed = toInt(coupons?.used);
  const u = treated.members > 0 && holdout.members > 0 ? upliftInterval({ responders: treated.responders, members: treated.members }, { responders: holdout.responders, members: holdout.members }) : null;
  return {
    windowStart,
    windowEnd,
    final: c.materialisedAt !== null && now.getTime() >= windowEnd.getTime(),
    treated,
    holdout,
    couponsIssued,
    couponsRedeemed,
    redemptionRate: c.offerKind === 'COUPON' && treated.members ? couponsRedeemed / treated.members : null,
    uplift: u ? { uplift: u.uplift, lower: u.lower, upper: u.upper } : null,
  };
}
