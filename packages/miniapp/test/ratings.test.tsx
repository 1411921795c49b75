import Taro from '@tarojs/taro';
import { act } from 'react';
import { errorMessageZh } from '@quanzi/shared';
import PointsPage from '../src/pages/points';
import RatePage from '../src/member/rate';
import LowRatingsPage from '../src/manager/ratings';
import ProfilePage from '../src/pages/profile';
import { aliceMe, ledgerPage } from './fixtures';
import { $, api, click, fail, flush, mount, openWith, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

// One fixed reference for the fixtures (a display case: the pages only print these times).
const NOW = Date.parse('2030-06-10T06:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3600_000;

const pendingItem = (over: Record<string, unknown> = {}) => ({
  kind: 'PURCHASE',
  operationId: '41',
  summary: '门店消费 ¥123.45',
  storeName: '北京国贸店',
  occurredAt: iso(NOW - 2 * HOUR),
  closesAt: iso(NOW + 22 * HOUR),
  bonusPoints: 0,
  ...over,
});

const noRatings = { myRatings: [], me: { id: '1', ratingStats: { count: 0, average: null, distribution: [0, 0, 0, 0, 0], lastRatedAt: null } } };

/** Types into a Taro <Textarea> (its inner <textarea>, rendered on an animation frame). */
async function typeArea(className: string, value: string): Promise<void> {
  let el: HTMLTextAreaElement | null = null;
  for (let i = 0; i < 100 && !el; i++) {
    el = $(`.${className}`).querySelector('textarea');
    if (!el) await act(() => new Promise<void>((r) => requestAnimationFrame(() => r())));
  }
  if (!el) throw new Error(`no <textarea> inside .${className}`);
  const target = el;
  await act(async () => {
    target.value = value;
    target.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await flush();
}

describe('rating prompt on the points page', () => {
  it('invites the member to rate a service of today and opens the rating page', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('Ledger', ledgerPage(1, 2, false));
    api.on('MyPendingRatings', { myPendingRatings: [pendingItem({ bonusPoints: 5 })] });
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    await mount(PointsPage);
    await waitForText('评价一下：门店消费 ¥123.45');
    expect(text()).toContain('每次评价得 5 积分');
    await click('去评价 ›');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/member/rate/index' });
  });

  it('shows nothing when nothing is open, or when the list fails', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('Ledger', ledgerPage(1, 2, false));
    api.on('MyPendingRatings', fail('INTERNAL'));
    await mount(PointsPage);
    await waitForText('北京国贸店消费 #1');
    expect(text()).not.toContain('评价');
  });
});

describe('rating page', () => {
  it('rates a service with stars and a comment, then thanks the member', async () => {
    signIn();
    let rated = false;
    api.on('MyPendingRatings', () => ({ myPendingRatings: rated ? [] : [pendingItem(), pendingItem({ kind: 'CHECKIN', operationId: '7', summary: '活动签到 · 奥森夜跑', storeName: null })] }));
    api.on('MyRatings', () =>
      rated
        ? { myRatings: [{ id: '9', kind: 'PURCHASE', operationId: '41', summary: '门店消费 ¥123.45', storeName: '北京国贸店', stars: 2, comment: '排队太久', pointsAwarded: 0, operationAt: iso(NOW - 2 * HOUR), createdAt: iso(NOW) }], me: { id: '1', ratingStats: { count: 1, average: 2, distribution: [0, 1, 0, 0, 0], lastRatedAt: iso(NOW) } } }
        : noRatings,
    );
    api.on('RateOperation', () => {
      rated = true;
      return { rateOperation: { id: '9', kind: 'PURCHASE', operationId: '41', summary: '门店消费 ¥123.45', storeName: '北京国贸店', stars: 2, comment: '排队太久', pointsAwarded: 0, operationAt: iso(NOW - 2 * HOUR), createdAt: iso(NOW) } };
    });
    const toast = jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' } as never);
    await mount(RatePage);
    await waitForText('活动签到 · 奥森夜跑');
    expect(text()).toContain('门店消费 ¥123.45');
    // The first sheet (the purchase): two stars, a comment.
    const sheet = document.querySelectorAll<HTMLElement>('.rating-sheet')[0] as HTMLElement;
    await click(sheet.querySelectorAll<HTMLElement>('.rating-sheet__star')[1] as HTMLElement);
    expect(sheet.textContent).toContain('不满意');
    await typeArea('rating-sheet__comment', '排队太久');
    await click(sheet.querySelector<HTMLElement>('.nut-button') as HTMLElement);
    await waitForText('全部评价完成');
    expect(api.callsOf('RateOperation')[0]?.variables).toEqual({ kind: 'PURCHASE', operationId: '41', stars: 2, comment: '排队太久' });
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '感谢您的评价' }));
    await waitForText('共 1 次，平均 2 星');
    expect(text()).toContain('★★☆☆☆');
  });

  it('cannot send without stars, and shows ALREADY_RATED and RATING_CLOSED in Chinese', async () => {
    signIn();
    api.on('MyPendingRatings', { myPendingRatings: [pendingItem()] });
    api.on('MyRatings', noRatings);
    api.on('RateOperation', fail('RATING_CLOSED'));
    await mount(RatePage);
    await waitForText('门店消费 ¥123.45');
    await click('提交评价');
    expect(api.callsOf('RateOperation')).toHaveLength(0); // disabled until a star is picked
    await click(document.querySelectorAll<HTMLElement>('.rating-sheet__star')[4] as HTMLElement);
    await click('提交评价');
    await waitForText(errorMessageZh.RATING_CLOSED);
    api.on('RateOperation', fail('ALREADY_RATED'));
    await click('提交评价');
    await waitForText(errorMessageZh.ALREADY_RATED);
  });

  it('says so when nothing is open', async () => {
    signIn();
    api.on('MyPendingRatings', { myPendingRatings: [] });
    api.on('MyRatings', noRatings);
    await mount(RatePage);
    await waitForText('暂无待评价的服务');
  });
});

describe('profile links', () => {
  it('members find 服务评价; managers also 差评跟进 with the open count', async () => {
    signIn({ userId: '2', roles: [{ role: 'MANAGER', scope: 'STORE', storeId: '1', regionId: '1' }], staffStores: [] } as never);
    api.on('Me', aliceMe);
    api.on('LowRatings', { serviceRatings: { total: 2, items: [] } });
    await mount(ProfilePage);
    await waitForText('2 条待处理');
    expect(text()).toContain('服务评价');
    expect(api.callsOf('LowRatings')[0]?.variables).toEqual({ filter: { lowOnly: true, followUp: 'OPEN' }, first: 1, offset: 0 });
  });

  it('a member sees no manager link and sends no manager query', async () => {
    signIn();
    api.on('Me', aliceMe);
    await mount(ProfilePage);
    await waitForText('服务评价');
    expect(text()).not.toContain('差评跟进');
    expect(api.callsOf('LowRatings')).toHaveLength(0);
  });
});

describe('manager: low ratings', () => {
  const low = (over: Record<string, unknown> = {}) => ({
    id: '31',
    kind: 'PURCHASE',
    summary: '门店消费 ¥123.45',
    storeName: '北京国贸店',
    staffName: '小王（用户 5）',
    memberNo: '10000042',
    memberRatings: 3,
    memberAverage: 3.33,
    stars: 1,
    comment: '收银员态度差',
    operationAt: iso(NOW - 3 * HOUR),
    createdAt: iso(NOW - HOUR),
    followUp: 'OPEN',
    acknowledgedAt: null,
    resolvedAt: null,
    resolutionNote: null,
    ...over,
  });

  it('lists open low ratings with the staff member and comment; acknowledges and resolves with a note', async () => {
    signIn({ userId: '2', roles: [{ role: 'MANAGER', scope: 'STORE', storeId: '1', regionId: '1' }], staffStores: [] } as never);
    let state = 'OPEN';
    api.on('LowRatings', (v: { filter: { followUp: string } }) => ({ serviceRatings: { total: v.filter.followUp === state ? 1 : 0, items: v.filter.followUp === state ? [low({ followUp: state })] : [] } }));
    api.on('AcknowledgeRating', () => {
      state = 'ACKNOWLEDGED';
      return { acknowledgeRating: { id: '31', followUp: 'ACKNOWLEDGED', acknowledgedAt: iso(NOW), resolvedAt: null, resolutionNote: null } };
    });
    api.on('ResolveRating', () => {
      state = 'RESOLVED';
      return { resolveRating: { id: '31', followUp: 'RESOLVED', acknowledgedAt: iso(NOW), resolvedAt: iso(NOW), resolutionNote: '已致电致歉' } };
    });
    jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' } as never);
    await mount(LowRatingsPage);
    await waitForText('“收银员态度差”');
    expect(text()).toContain('服务人员：小王（用户 5）');
    expect(text()).toContain('会员 10000042（共评价 3 次，平均 3.33 星）');
    expect(text()).toContain('★☆☆☆☆');
    expect(api.callsOf('LowRatings')[0]?.variables).toEqual({ filter: { lowOnly: true, followUp: 'OPEN' }, first: 20, offset: 0 });
    await click('知悉跟进');
    expect(api.callsOf('AcknowledgeRating')[0]?.variables).toEqual({ id: '31' });
    await waitForText('没有待处理的差评');
    await click('处理中');
    await waitForText('“收银员态度差”');
    await click('解决');
    await typeArea('low-rating__input', '已致电致歉');
    await click('确认解决');
    expect(api.callsOf('ResolveRating')[0]?.variables).toEqual({ id: '31', note: '已致电致歉' });
  });

  it('opens the rating the RATING_LOW notice links to, above the list', async () => {
    signIn({ userId: '2', roles: [{ role: 'MANAGER', scope: 'REGION', storeId: null, regionId: '1' }], staffStores: [] } as never);
    openWith({ id: '77' });
    api.on('LowRatings', { serviceRatings: { total: 0, items: [] } });
    api.on('ServiceRating', (v: { id: string }) => ({ serviceRating: low({ id: v.id, stars: 2, comment: '等了半小时', followUp: 'RESOLVED', resolutionNote: '已致电致歉' }) }));
    await mount(LowRatingsPage);
    await waitForText('来自差评提醒');
    expect(text()).toContain('“等了半小时”');
    expect(text()).toContain('处理结果：已致电致歉');
    expect(text()).toContain('没有待处理的差评');
    expect(api.callsOf('ServiceRating')[0]?.variables).toEqual({ id: '77' });
  });

  it('following a low rating up asks, in the same tap, for one more WeChat alert (RATING_ALERT) and records the consent', async () => {
    const taro = Taro as unknown as { requestSubscribeMessage: unknown };
    const original = taro.requestSubscribeMessage;
    try {
      const ask = jest.fn().mockResolvedValue({ errMsg: 'requestSubscribeMessage:ok', 'T-RATE': 'accept' });
      taro.requestSubscribeMessage = ask;
      signIn({ userId: '2', roles: [{ role: 'MANAGER', scope: 'STORE', storeId: '1', regionId: '1' }], staffStores: [] } as never);
      api.on('SubscribeTemplates', { subscribeTemplates: [{ kind: 'EVENT_REMINDER', templateId: 'T-REM' }, { kind: 'RATING_ALERT', templateId: 'T-RATE' }] });
      api.on('RecordSubscribeConsent', { recordSubscribeConsent: [{ templateId: 'T-RATE', remaining: 1 }] });
      api.on('LowRatings', { serviceRatings: { total: 1, items: [low()] } });
      api.on('AcknowledgeRating', { acknowledgeRating: { id: '31', followUp: 'ACKNOWLEDGED', acknowledgedAt: iso(NOW), resolvedAt: null, resolutionNote: null } });
      jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' } as never);
      await mount(LowRatingsPage);
      await waitForText('“收银员态度差”');
      await click('知悉跟进');
      await flush(10);
      expect(ask).toHaveBeenCalledWith({ tmplIds: ['T-RATE'] });
      expect(api.callsOf('RecordSubscribeConsent')[0]?.variables).toEqual({ templateIds: ['T-RATE'] });
    } finally {
      taro.requestSubscribeMessage = original;
    }
  });

  it('shows FORBIDDEN in Chinese for a manager acting outside their scope', async () => {
    signIn({ userId: '2', roles: [{ role: 'MANAGER', scope: 'STORE', storeId: '1', regionId: '1' }], staffStores: [] } as never);
    api.on('LowRatings', { serviceRatings: { total: 1, items: [low()] } });
    api.on('AcknowledgeRating', fail('FORBIDDEN'));
    await mount(LowRatingsPage);
    await waitForText('“收银员态度差”');
    await click('知悉跟进');
    await waitForText(errorMessageZh.FORBIDDEN);
  });
});
