/**
 * Journey (F6) through GraphQL over HTTP against MariaDB and the simulators, as the mini-program and the manager
 * pages drive it: an HQ manager sets up a partner and a ¥30 China Mobile top-up; a member earns points at the till,
 * binds a phone, finds the top-up affordable and redeems it; the recharge provider delivers (callback) and the
 * member sees DELIVERED and a notice; another redemption fails at the provider and the points come back; the manager
 * view shows the failure rate and the books balance. The simulators play WeChat and the provider; the fulfilment
 * worker is run through `runRewardJobs` as the scheduler would. Only the first HQ manager is granted directly.
 */
import { randomUUID } from 'node:crypto';
import { startTestApp, type GqlResult, type TestApp } from '../../packages/api/test/support/harness';

type Persona = Awaited<ReturnType<TestApp['signIn']>>;
type Redemption = { id: string; status: string; points: number; pointsRefunded: number; target: string; failReason: string | null };

function ok<T>(r: GqlResult<T>): T {
  if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data;
}

const REDEMPTION = 'id status points pointsRefunded target failReason';

describe('journey: a member swaps points for a phone top-up', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('mariadb', { rewards: {} });
  }, 60_000);
  afterAll(async () => t?.close());

  test('member redeems a ¥30 top-up → provider delivers → member sees delivered; another redemption fails → points come back', async () => {
    const manager = await t.signIn('rj-hq');
    await t.grant(manager.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    const staff = await t.signIn('rj-staff');
    ok(await t.gql('mutation($input: AssignRoleInput!) { assignRole(input: $input) { role } }', { input: { userId: String(staff.userId), role: 'STAFF', scope: 'STORE', storeId: String(t.org.zhonglou) } }, manager.token));

    // The manager adds the partner and the reward.
    const partner = ok(await t.gql<{ createRewardPartner: { id: string } }>('mutation($input: RewardPartnerInput!) { createRewardPartner(input: $input) { id } }', { input: { code: 'cmcc', name: '中国移动' } }, manager.token)).createRewardPartner;
    const topup = ok(
      await t.gql<{ createReward: { id: string; needsOtp: boolean } }>(
        'mutation($input: CreateRewardInput!) { createReward(input: $input) { id needsOtp } }',
        { input: { kind: 'MOBILE_TOPUP', name: '¥30 中国移动话费', description: '充值到绑定手机', pointsPrice: 3000, brand: 'CMCC', faceValueFen: 3000, partnerId: partner.id, costFen: 2950, stock: 50, limitPerDay: 3 } },
        manager.token,
      ),
    ).createReward;
    expect(topup.needsOtp).toBe(false);

    // A member earns 6,800 points at the till in Xi'an (¥1 = 1 point) and binds a phone.
    const member: Persona = await t.signIn('rj-member');
    const receipt = ok(
      await t.gql<{ recordPurchase: { points: number } }>(
        'mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { points } }',
        { input: { memberCode: t.codeOf(member), storeId: String(t.org.zhonglou), amountFen: 680_000, lines: [{ category: 'general', amountFen: 680_000 }], idempotencyKey: `rj-${randomUUID()}` } },
        staff.token,
      ),
    );
    expect(receipt.recordPurchase.points).toBe(6800);
    ok(await t.gql('mutation($code: String!) { bindPhone(code: $code) { phone } }', { code: t.sim.phoneCode('13812345678') }, member.token));

    // The catalogue: the top-up is affordable.
    const list = ok(await t.gql<{ rewards: { id: string; affordable: boolean; brandName: string }[] }>('{ rewards(kind: MOBILE_TOPUP) { id affordable brandName } }', {}, member.token)).rewards;
    expect(list).toEqual([{ id: topup.id, affordable: true, brandName: '中国移动' }]);

    // Redeem to the bound phone.
    const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { replayed balance redemption { ${REDEMPTION} } } }`;
    const first = ok(await t.gql<{ redeemReward: { balance: number; redemption: Redemption } }>(REDEEM, { input: { rewardId: topup.id, idempotencyKey: `rj-${randomUUID()}` } }, member.token)).redeemReward;
    expect(first).toMatchObject({ balance: 3800, redemption: { status: 'PENDING', points: 3000, target: '138****5678' } });

    // The worker runs (the scheduler's job); the provider accepts and calls back.
    const runJobs = async () => {
      ok(await t.gql('mutation { runRewardJobs { done retried dead } }', {}, manager.token));
      await t.rechargeSim!.idle();
    };
    await runJobs();
    const seen = ok(await t.gql<{ redemption: Redemption }>(`query($id: ID!) { redemption(id: $id) { ${REDEMPTION} } }`, { id: first.redemption.id }, member.token)).redemption;
    expect(seen).toMatchObject({ status: 'DELIVERED', pointsRefunded: 0 });
    const inbox = ok(await t.gql<{ myNotifications: { kind: string; title: string; body: string }[] }>('{ myNotifications(first: 10) { kind title body } }', {}, member.token)).myNotifications;
    expect(inbox[0]).toMatchObject({ kind: 'REWARD_DELIVERED', title: '兑换成功', body: '¥30 中国移动话费已充值到 138****5678。' });

    // Another redemption, for a number the operator refuses to top up: it fails and the points come back.
    t.rechargeSim!.behave('13900001111', { outcome: 'FAILED', failReason: '号码已停机' });
    const second = ok(await t.gql<{ redeemReward: { balance: number; redemption: Redemption } }>(REDEEM, { input: { rewardId: topup.id, target: '139 0000 1111', idempotencyKey: `rj-${randomUUID()}` } }, member.token)).redeemReward;
    expect(second).toMatchObject({ balance: 800, redemption: { status: 'PENDING', target: '139****1111' } });
    await runJobs();
    const failed = ok(await t.gql<{ myRedemptions: Redemption[] }>(`{ myRedemptions(first: 5) { ${REDEMPTION} } }`, {}, member.token)).myRedemptions;
    expect(failed.map((r) => r.status)).toEqual(['FAILED', 'DELIVERED']);
    expect(failed[0]).toMatchObject({ failReason: '号码已停机', pointsRefunded: 3000 });
    const me = ok(await t.gql<{ me: { points: number; ledger: { edges: { node: { delta: number; kind: string } }[] } } }>('{ me { points ledger(first: 3) { edges { node { delta kind } } } } }', {}, member.token)).me;
    expect(me.points).toBe(3800);
    expect(me.ledger.edges.map((e) => e.node)).toEqual([
      { delta: 3000, kind: 'REVERSAL' },
      { delta: -3000, kind: 'REDEEM' },
      { delta: -3000, kind: 'REDEEM' },
    ]);

    // The manager view and the books.
    const report = ok(
      await t.gql<{ rewardReport: { partner: number; own: number; providers: { provider: string; delivered: number; failed: number; failureRate: number }[]; rewards: { rewardId: string; redemptions: number; costFen: number; stock: number }[] } }>(
        '{ rewardReport { own partner providers { provider delivered failed failureRate } rewards { rewardId redemptions costFen stock } } }',
        {},
        manager.token,
      ),
    ).rewardReport;
    expect(report).toMatchObject({ own: 0, partner: 1, providers: [{ provider: 'recharge', delivered: 1, failed: 1, failureRate: 0.5 }] });
    expect(report.rewards.find((r) => r.rewardId === topup.id)).toMatchObject({ redemptions: 2, costFen: 2950, stock: 49 });
    expect(ok(await t.gql<{ pointsReconciliation: unknown[] }>('{ pointsReconciliation { memberId } }', {}, manager.token)).pointsReconciliation).toEqual([]);
  });
});
