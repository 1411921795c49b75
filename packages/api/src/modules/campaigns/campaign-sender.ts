/**
 * The campaign sender (a job like the club and reward jobs: the in-process timer, or `runCampaignJobs`).
 *
 * 1. **Start**: SCHEDULED campaigns whose `startsAt` has come (the API's clock) become RUNNING; a multiplier offer's
 *    CAMPAIGN earning rule (audience: the campaign's treated members) is created in the same transaction.
 * 2. **Materialise**: the segment, evaluated as of `startsAt`, is written into `campaign_member` page by page (500
 *    member ids per page); each member is TREATED or HOLDOUT by the campaign's keyed draw (`campaignGroup`). A page
 *    commits together with the campaign's cursor (`materialised_through`), advanced by a conditional update from
 *    the value the page started at: a second runner on the same page loses that update and writes nothing, and a
 *    crash loses at most the page in flight (rolled back whole). (campaign, member) is unique besides.
 * 3. **Send**: each PENDING treated member, in its own transaction: PENDING → SENT by a conditional update (a
 *    concurrent runner waits for the row and then finds it SENT), the coupon (`issueCoupon`, keyed `campaign:<id>`
 *    for the member: once ever; a multiplier offer gives nothing here), the inbox notice (unique per member, kind CAMPAIGN and the campaign id) and, when
 *    configured and the member has a phone, the SMS (through the outbox); the notice also goes out as a WeChat
 *    subscribe message (template CAMPAIGN_OFFER, through the outbox) when the member holds a consent for it — each
 *    acceptance of wx.requestSubscribeMessage is one message; WeChat's 43101 marks the notice IN_APP, never retried
 *    (notification.service.ts). All or nothing per member: a crash before
 *    the commit leaves the member PENDING for the next run, after it the member is SENT. A refused coupon (budget
 *    used up, per-member limit, template off) rolls back and marks the member FAILED with the code. At most
 *    `sendPerRun` members per run across campaigns (the throttle).
 * 4. **Finish**: a RUNNING campaign fully materialised with nobody PENDING is DONE.
 */
import { clock } from '../../clock';
import { campaignGroup, campaignOfferText, multiplierOfferText as multiplierText, sharePaidToPercentOff, type CouponKind } from '@quanzi/shared';
import { toInt, type Db } from '../../db/sql';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import { issueCoupon } from '../coupons/coupon-issue';
import type { CouponTemplateService, TemplateRow } from '../coupons/coupon-template.service';
import { thingValue, type NotificationService } from '../notifications/notification.service';
import { voucherWindow } from '../rewards/voucher-take';
import type { SmsService } from '../sms/sms.service';
import { campaignTarget, type CampaignRow, type CampaignService } from './campaign.service';

const PAGE = 500;
const MAX_CAMPAIGNS_PER_RUN = 20;
const DAY_MS = 86_400_000;

export interface CampaignJobsResult {
  started: number;
  materialised: number;
  sent: number;
  failed: number;
  finished: number;
}

export interface SenderOptions {
  sendPerRun: number;
}

export class CampaignSender {
  /** Test hook: called after each member's offer was decided (sent or failed) and committed; throw to simulate a crash. */
  afterMember: ((memberId: number) => void) | null = null;

  constructor(
    private readonly db: Db,
    private readonly campaigns: CampaignService,
    private readonly templates: CouponTemplateService,
    private readonly notifications: NotificationService,
    private readonly sms: SmsService | null,
    private readonly log: Logger,
    private readonly opts: SenderOptions,
  ) {}

  /** One run: start due campaigns, materialise, send (at most `sendPerRun` offers), finish. */
  async run(now = clock.now()): Promise<CampaignJobsResult> {
    const q = this.db.q;
    const out: CampaignJobsResult = { started: 0, materialised: 0, sent: 0, failed: 0, finished: 0 };
    const due = await q.all<{ id: unknown }>("SELECT id FROM campaign WHERE status = 'SCHEDULED' AND starts_at <= ? ORDER BY starts_at, id LIMIT ?", [q.ts(now), MAX_CAMPAIGNS_PER_RUN]);
    for (const d of due) out.started += await this.start(toInt(d.id), now);
    let budget = this.opts.sendPerRun;
    const running = await q.all<{ id: unknown }>("SELECT id FROM campaign WHERE status = 'RUNNING' ORDER BY starts_at, id LIMIT ?", [MAX_CAMPAIGNS_PER_RUN]);
    for (const r of running) {
      const id = toInt(r.id);
      out.materialised += await this.materialise(id, now);
      if (budget > 0) {
        const s = await this.send(id, budget, now);
        out.sent += s.sent;
        out.failed += s.failed;
        budget -= s.sent + s.failed;
      }
      out.finished += await this.finishIfDone(id, now);
    }
    if (out.sent > 0) this.sms?.kick();
    if (out.started + out.materialised + out.sent + out.failed + out.finished > 0) this.log.info({ ...out }, 'campaign jobs');
    return out;
  }

  /**
   * SCHEDULED → RUNNING; a multiplier offer's CAMPAIGN earning rule (the campaign's scope, [startsAt, startsAt +
   * multiplierDays), audience: its treated members) is created in the same transaction, so it exists exactly once.
   */
  private async start(id: number, now: Date): Promise<number> {
    const c = await this.campaigns.row(id);
    const started = await this.db.tx(async (q) => {
      const r = await q.run("UPDATE campaign SET status = 'RUNNING', updated_at = ? WHERE id = ? AND status = 'SCHEDULED'", [q.ts(now), id]);
      if (r.affectedRows !== 1) return 0;
      if (c.offerKind === 'MULTIPLIER' && c.multiplierPct !== null && c.multiplierDays !== null) {
        const t = campaignTarget(c);
        const ruleId = await this.campaigns.earning.createCampaignRule(q, c.createdById, {
          kind: 'CAMPAIGN',
          name: c.name,
          scope: t.kind,
          scopeId: t.kind === 'HQ' ? null : t.kind === 'REGION' ? t.regionId : t.storeId,
          multiplierPct: c.multiplierPct,
          startsAt: c.startsAt,
          endsAt: new Date(c.startsAt.getTime() + c.multiplierDays * DAY_MS),
          campaignId: id,
        });
        await q.run('UPDATE campaign SET earning_rule_id = ? WHERE id = ?', [ruleId, id]);
      }
      return 1;
    });
    if (started && c.offerKind === 'MULTIPLIER') this.campaigns.earning.invalidate();
    return started;
  }

  /** Materialises the rest of the segment, page by page; returns the members written by this call. */
  async materialise(id: number, now: Date): Promise<number> {
    let written = 0;
    let c = await this.campaigns.row(id);
    if (c.status !== 'RUNNING' || c.materialisedAt) return 0;
    const evaluator = this.campaigns.evaluator(await this.campaigns.scopeOf(campaignTarget(c)), c.segment, c.startsAt);
    for (;;) {
      const from = c.materialisedThrough;
      const page = await evaluator.evaluatePage(from, PAGE);
      const claimed = await this.db.tx(async (q) => {
        const u = await q.run("UPDATE campaign SET materialised_through = ?, materialised_at = ?, updated_at = ? WHERE id = ? AND materialised_through = ? AND status = 'RUNNING' AND materialised_at IS NULL", [
          page.cursor, page.done ? q.ts(now) : null, q.ts(now), id, from,
        ]);
        if (u.affectedRows !== 1) return false; // another runner took this page (or the campaign was cancelled)
        if (page.memberIds.length > 0) {
          const rows = page.memberIds.map((m) => {
            const grp = campaignGroup(c.seed, m, c.holdoutPct);
            return [id, m, grp, grp === 'HOLDOUT' ? 'HELD_OUT' : 'PENDING', q.ts(now), q.ts(now)];
          });
          await q.run(`INSERT INTO campaign_member (campaign_id, member_id, grp, state, created_at, updated_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`, rows.flat());
        }
        return true;
      });
      if (claimed) written += page.memberIds.length;
      c = await this.campaigns.row(id);
      if (c.status !== 'RUNNING' || c.materialisedAt) return written;
    }
  }

  /** Gives the offer to up to `limit` PENDING treated members of the campaign. */
  async send(id: number, limit: number, now: Date): Promise<{ sent: number; failed: number }> {
    const q = this.db.q;
    let sent = 0;
    let failed = 0;
    const c = await this.campaigns.row(id);
    const template = c.couponTemplateId === null ? null : await this.templates.row(c.couponTemplateId);
    while (sent + failed < limit) {
      const status = await q.get<{ status: unknown }>('SELECT status FROM campaign WHERE id = ?', [id]);
      if (status?.status !== 'RUNNING') break;
      const pending = await q.all<{ id: unknown; member_id: unknown }>("SELECT id, member_id FROM campaign_member WHERE campaign_id = ? AND state = 'PENDING' ORDER BY id LIMIT ?", [
        id, Math.min(100, limit - sent - failed),
      ]);
      if (pending.length === 0) break;
      for (const p of pending) {
        const outcome = await this.sendOne(c, template, toInt(p.id), toInt(p.member_id), now);
        if (outcome === 'sent') sent++;
        if (outcome === 'failed') failed++;
        if (outcome !== 'skipped') this.afterMember?.(toInt(p.member_id));
      }
    }
    return { sent, failed };
  }

  /** One member, all or nothing (see the module comment). */
  private async sendOne(c: CampaignRow, t: TemplateRow | null, rowId: number, memberId: number, now: Date): Promise<'sent' | 'failed' | 'skipped'> {
    try {
      return await this.db.tx(async (q) => {
        const u = await q.run("UPDATE campaign_member SET state = 'SENT', updated_at = ? WHERE id = ? AND state = 'PENDING'", [q.ts(now), rowId]);
        if (u.affectedRows !== 1) return 'skipped' as const; // another runner sent it
        let text: string;
        if (t) {
          const coupon = await issueCoupon(q, t, memberId, { source: 'CAMPAIGN', key: `campaign:${c.id}`, now });
          await q.run('UPDATE campaign_member SET redemption_id = ? WHERE id = ?', [coupon.id, rowId]);
          text = c.message ?? this.offerText(t, now);
        } else {
          // The multiplier applies by itself (the earning engine reads the treated members); the notice tells them.
          text = c.message ?? multiplierText(c.multiplierPct ?? 100, new Date(c.startsAt.getTime() + (c.multiplierDays ?? 0) * DAY_MS));
        }
        await this.notifications.notify(
          q,
          [memberId],
          {
            kind: 'CAMPAIGN', ref: String(c.id), title: `专属优惠：${c.name}`.slice(0, 64), body: text, page: t ? 'rewards/coupons/index' : null,
            // thing1 活动名称, thing2 优惠内容 (each at most 20 characters: thingValue shortens).
            subscribe: { template: 'CAMPAIGN_OFFER', data: { thing1: thingValue(c.name), thing2: thingValue(text) } },
          },
          now,
        );
        if (c.sms && this.sms?.canSend('CAMPAIGN')) {
          const u2 = await q.get<{ phone: unknown }>('SELECT u.phone FROM member m JOIN app_user u ON u.id = m.user_id WHERE m.id = ?', [memberId]);
          if (u2?.phone) {
            await this.sms.queue(q, { kind: 'CAMPAIGN', ref: `campaign-${c.id}-${memberId}`, memberId, phone: String(u2.phone), params: [c.name.slice(0, 20)], expiresAt: new Date(now.getTime() + DAY_MS) }, now);
          }
        }
        return 'sent' as const;
      });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      // The coupon was refused (nothing of this member's transaction was kept): FAILED with the reason.
      const r = await this.db.q.run("UPDATE campaign_member SET state = 'FAILED', error = ?, updated_at = ? WHERE id = ? AND state = 'PENDING'", [String(e.code).slice(0, 32), this.db.q.ts(now), rowId]);
      return r.affectedRows === 1 ? 'failed' : 'skipped';
    }
  }

  private offerText(t: TemplateRow, now: Date): string {
    return campaignOfferText({
      name: t.name,
      kind: t.couponKind as CouponKind,
      amountOffFen: t.amountOffFen,
      percentOff: t.discountPct === null ? null : sharePaidToPercentOff(t.discountPct),
      giftName: t.giftName,
      minSpendFen: t.minSpendFen,
      expiresAt: voucherWindow(t, now).expiresAt,
    });
  }

  private async finishIfDone(id: number, now: Date): Promise<number> {
    const q = this.db.q;
    const c = await this.campaigns.row(id);
    if (c.status !== 'RUNNING' || !c.materialisedAt) return 0;
    const left = await q.get<{ id: unknown }>("SELECT id FROM campaign_member WHERE campaign_id = ? AND state = 'PENDING' LIMIT 1", [id]);
    if (left) return 0;
    return (await q.run("UPDATE campaign SET status = 'DONE', updated_at = ? WHERE id = ? AND status = 'RUNNING'", [q.ts(now), id])).affectedRows;
  }
}
