/**
 * The manager view of rewards (F6, F10): redemptions per reward and per partner with the points spent and the cost,
 * the own-vs-partner redemption ratio (seed 000: members who redeem the brand's own products rather than partners'
 * are the loyal ones) and the failure rate per provider. Over the orders placed since `since`.
 */
import { ownRedemptionRatio, type RewardKind } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import { toInt, type Db } from '../../db/sql';

export interface RewardReportRow {
  rewardId: number;
  name: string;
  kind: RewardKind;
  partnerName: string | null;
  redemptions: number;
  /** DELIVERED or USED. */
  fulfilled: number;
  /** PENDING or PROCESSING (stuck ones included). */
  inProgress: number;
  failed: number;
  /** ISSUED vouchers not used yet. */
  unused: number;
  /** Points spent, refunds deducted. */
  points: number;
  /** Cost of what was not refunded (fen). */
  costFen: number;
  stock: number;
}

export interface PartnerReportRow { partnerId: number | null; name: string; redemptions: number; failed: number; points: number; costFen: number }

export interface ProviderReportRow {
  provider: string;
  orders: number;
  delivered: number;
  failed: number;
  inProgress: number;
  stuck: number;
  /** failed ÷ settled (delivered + failed); null before any order settled. */
  failureRate: number | null;
}

export interface RewardReport {
  since: Date;
  rewards: RewardReportRow[];
  partners: PartnerReportRow[];
  /** Redemptions (failed ones excluded) of own rewards (no partner) and of partners' rewards. */
  own: number;
  partner: number;
  ownRatio: number | null;
  providers: ProviderReportRow[];
}

const COUNTS = `COUNT(x.id) AS redemptions,
  COALESCE(SUM(CASE WHEN x.status IN ('DELIVERED', 'USED') THEN 1 ELSE 0 END), 0) AS fulfilled,
  COALESCE(SUM(CASE WHEN x.status IN ('PENDING', 'PROCESSING') THEN 1 ELSE 0 END), 0) AS in_progress,
  COALESCE(SUM(CASE WHEN x.status = 'FAILED' THEN 1 ELSE 0 END), 0) AS failed,
  COALESCE(SUM(CASE WHEN x.status = 'ISSUED' THEN 1 ELSE 0 END), 0) AS unused,
  COALESCE(SUM(x.points - x.points_refunded), 0) AS points,
  COALESCE(SUM(CASE WHEN x.status = 'FAILED' THEN 0 ELSE x.cost_fen END), 0) AS cost_fen`;

export class RewardReportService {
  constructor(private readonly db: Db) {}

  async report(ctx: RequestContext, since: Date): Promise<RewardReport> {
    await authorize(ctx, 'reward.report');
    const q = this.db.q;
    const at = q.ts(since);
    const rewards = await q.all<Record<string, unknown>>(
      `SELECT r.id, r.name, r.kind, r.stock, p.name AS partner_name, ${COUNTS}
       FROM reward r LEFT JOIN reward_partner p ON p.id = r.partner_id LEFT JOIN reward_redemption x ON x.reward_id = r.id AND x.created_at >= ?
       GROUP BY r.id, r.name, r.kind, r.stock, p.name ORDER BY redemptions DESC, r.id`,
      [at],
    );
    const partners = await q.all<Record<string, unknown>>(
      `SELECT r.partner_id, p.name AS partner_name, ${COUNTS}
       FROM reward_redemption x JOIN reward r ON r.id = x.reward_id LEFT JOIN reward_partner p ON p.id = r.partner_id
       WHERE x.created_at >= ? GROUP BY r.partner_id, p.name ORDER BY redemptions DESC`,
      [at],
    );
    const providers = await q.all<Record<string, unknown>>(
      `SELECT x.provider, COUNT(*) AS orders,
         COALESCE(SUM(CASE WHEN x.status = 'DELIVERED' THEN 1 ELSE 0 END), 0) AS delivered,
         COALESCE(SUM(CASE WHEN x.status = 'FAILED' THEN 1 ELSE 0 END), 0) AS failed,
         COALESCE(SUM(CASE WHEN x.status IN ('PENDING', 'PROCESSING') THEN 1 ELSE 0 END), 0) AS in_progress,
         COALESCE(SUM(CASE WHEN x.stuck_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS stuck
       FROM reward_redemption x WHERE x.provider IS NOT NULL AND x.created_at >= ? GROUP BY x.provider ORDER BY x.provider`,
      [at],
    );
    const partnerRows: PartnerReportRow[] = partners.map((p) => ({
      partnerId: p.partner_id == null ? null : toInt(p.partner_id),
      name: p.partner_id == null ? '自有' : String(p.partner_name),
      redemptions: toInt(p.redemptions),
      failed: toInt(p.failed),
      points: toInt(p.points),
      costFen: toInt(p.cost_fen),
    }));
    const own = partnerRows.filter((p) => p.partnerId === null).reduce((s, p) => s + p.redemptions - p.failed, 0);
    const partner = partnerRows.filter((p) => p.partnerId !== null).reduce((s, p) => s + p.redemptions - p.failed, 0);
    return {
      since,
      rewards: rewards.map((r) => ({
        rewardId: toInt(r.id),
        name: String(r.name),
        kind: r.kind as RewardKind,
        partnerName: r.partner_name == null ? null : String(r.partner_name),
        redemptions: toInt(r.redemptions),
        fulfilled: toInt(r.fulfilled),
        inProgress: toInt(r.in_progress),
        failed: toInt(r.failed),
        unused: toInt(r.unused),
        points: toInt(r.points),
        costFen: toInt(r.cost_fen),
        stock: toInt(r.stock),
      })),
      partners: partnerRows,
      own,
      partner,
      ownRatio: ownRedemptionRatio(own, partner),
      providers: providers.map((p) => {
        const delivered = toInt(p.delivered);
        const failed = toInt(p.failed);
        return {
          provider: String(p.provider),
          orders: toInt(p.orders),
          delivered,
          failed,
          inProgress: toInt(p.in_progress),
          stuck: toInt(p.stuck),
          failureRate: delivered + failed > 0 ? failed / (delivered + failed) : null,
        };
      }),
    };
  }
}
