/**
 * Redeeming a catalogue reward at the till (F6 "in the mini-program or at the till"): staff of a store scan the
 * member's code (or send the till ticket `memberByCode` gave) and redeem a reward for that member. The rules, limits,
 * stock, tier locks and one-time codes are the mall's: this service only checks who may act where and who is served,
 * then calls the member path's own `RedemptionService.redeemAs` with the store and staff user.
 *
 * A reward that needs a one-time code: staff ask for it with `requestOtp` (it goes to the member's bound phone, naming
 * the store), the member reads it out, staff enter it with the redemption.
 */
import { clock } from '../../clock';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import type { Db } from '../../db/sql';
import { spendableBalance } from '../ledger/ledger.service';
import type { OrgService } from '../org/org.service';
import type { TillIdentifier, TillIdentity } from '../purchases/till-identity';
import type { RedemptionRow } from './redemption.rows';
import type { OtpTicket, RedeemInput, RedemptionService } from './redemption.service';
import type { RateLimitService } from '../../limits/rate-limit.service';

export interface TillRedeemInput extends TillIdentity, RedeemInput { storeId: number }
export interface TillOtpInput extends TillIdentity { storeId: number; rewardId: number; target?: string | null }

export interface TillRedemptionResult { redemption: RedemptionRow; replayed: boolean; balance: number; memberNo: string }

export class TillRedemptionService {
  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly till: TillIdentifier,
    private readonly redemptions: RedemptionService,
    private readonly limits: RateLimitService,
  ) {}

  /**
   * Staff/managers of the store redeem a reward for the scanned member, once per idempotency key: a replay (also after
   * the code has rotated) returns the first order; the key used for something else, or at another store, is
   * IDEMPOTENCY_CONFLICT. Refusals (the mall's, plus the code's CODE_*) change nothing.
   */
  async redeem(ctx: RequestContext, input: TillRedeemInput, now = clock.now()): Promise<TillRedemptionResult> {
    const store = await this.org.store(input.storeId);
    const staffId = await authorize(ctx, 'till.redeem', { kind: 'STORE', storeId: store.id, regionId: store.regionId });
    const who = await this.till.identify(input, store.id, staffId);
    const member = await this.till.member(who);
    const me = await this.redemptions.memberById(member.id);
    const { redemption, replayed } = await this.redemptions.redeemAs(
      me,
      { rewardId: input.rewardId, target: input.target, idempotencyKey: input.idempotencyKey, otp: input.otp },
      {
        storeId: store.id,
        storeName: store.name,
        staffId,
        verify: async (replay) => {
          const v = await this.till.verifyOrReplay(who, now, replay);
          return 'replay' in v ? v : { step: v.step };
        },
      },
      now,
    );
    return { redemption, replayed, balance: await this.balance(member.id), memberNo: member.memberNo };
  }

  /**
   * Staff/managers of the store send the member's one-time code for a high-value reward (and target) to the member's
   * bound phone. The code (or ticket) must be current and unused, but is not consumed: the redemption consumes it.
   */
  async requestOtp(ctx: RequestContext, input: TillOtpInput, now = clock.now()): Promise<OtpTicket> {
    const store = await this.org.store(input.storeId);
    const staffId = await authorize(ctx, 'till.redeem', { kind: 'STORE', storeId: store.id, regionId: store.regionId });
    const who = await this.till.identify(input, store.id, staffId);
    const { member } = await this.till.verify(who, now);
    // Each code is an SMS to the member's phone: one budget per member, whoever asks.
    await this.limits.hit(this.limits.otpPerMember, member.id, now.getTime());
    return this.redemptions.sendOtp(await this.redemptions.memberById(member.id), input.rewardId, input.target ?? null, store.name, now);
  }

  private balance(memberId: number): Promise<number> {
    return spendableBalance(this.db.q, memberId, clock.now());
  }
}
