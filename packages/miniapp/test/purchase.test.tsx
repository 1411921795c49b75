import { act } from 'react';
import { computeEarning, errorMessageZh } from '@quanzi/shared';
import PurchasePage from '../src/staff/purchase';
import { previewEarning, tillMember, toRuleSet } from '../src/state/till';
import { carolViewer, rules } from './fixtures';
import { api, click, fail, flush, mount, pending, resetAll, signIn, text, type, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(resetAll);

const CODE = 'QZ1.10000042.123456';
const gold = { memberNo: '10000042', phone: '138****5678', tierName: '金卡', tierMultiplierPct: 150, points: 1280, tillTicket: 'ticket-1' };

function scanned() {
  signIn(carolViewer);
  act(() => tillMember.set({ code: CODE, storeId: '11', member: gold, scannedAt: Date.now() }));
}

/** Chooses option `index` in the n-th line's category picker (Taro's Picker fires `change` with the index). */
async function pickCategory(line: number, index: number) {
  const picker = document.body.querySelectorAll('.purchase__line taro-picker-core')[line] as HTMLElement;
  await act(async () => {
    picker.dispatchEvent(new CustomEvent('change', { detail: { value: index } }));
  });
  await flush();
}

async function amount(line: number, value: string) {
  const inputs = document.body.querySelectorAll('.purchase__amount');
  (inputs[line] as HTMLElement).classList.add(`line-${line}`);
  await type(`line-${line}`, value);
}

describe('record purchase page (staff)', () => {
  it('asks to scan a member first', async () => {
    signIn(carolViewer);
    await mount(PurchasePage);
    expect(text()).toContain('还没有识别会员');
    expect(text()).toContain('返回收银台');
  });

  it('shows loading while the store rules load', async () => {
    scanned();
    api.on('EarningRules', () => pending());
    await mount(PurchasePage);
    expect(text()).toContain('加载中');
  });

  it('shows a rules error in Chinese', async () => {
    scanned();
    api.on('EarningRules', fail('FORBIDDEN'));
    await mount(PurchasePage);
    await waitForText(errorMessageZh.FORBIDDEN);
  });

  it('previews the points with the shared rule engine as lines are entered', async () => {
    scanned();
    api.on('EarningRules', rules);
    await mount(PurchasePage);
    await waitForText('消费明细');
    expect(text()).toContain('预计积分 —');
    await amount(0, '100');
    // ¥100 general at ¥10 = 1 point, gold ×1.5 → 15
    await waitForText('预计积分 15');
    await click('+ 添加一行');
    await pickCategory(1, 1); // 生鲜 ×1.5
    await amount(1, '50');
    // (10000×1 + 5000×1.5) / 1000 × 1.5 = 26.25 → FLOOR 26
    await waitForText('预计积分 26');
    expect(text()).toContain('合计 ¥150');
    expect(text()).toContain('生鲜');
    const expected = computeEarning(toRuleSet(rules.earningRules), {
      storeId: '11',
      regionId: '1',
      at: new Date(),
      tierMultiplierPct: 150,
      tierName: '金卡',
      lines: [
        { category: 'general', amountFen: 10000 },
        { category: 'fresh', amountFen: 5000 },
      ],
    });
    expect(expected.points).toBe(26);
    for (const step of expected.steps) expect(text()).toContain(step.description);
    expect(text()).toContain('确认消费，积 26 分');
  });

  it('flags a malformed amount and keeps submit disabled', async () => {
    scanned();
    api.on('EarningRules', rules);
    await mount(PurchasePage);
    await waitForText('消费明细');
    await amount(0, '12.345');
    await waitForText('第 1 行金额格式不正确');
    await click('确认消费');
    expect(api.callsOf('RecordPurchase')).toHaveLength(0);
  });

  it('submits lines with an idempotency key and shows the receipt', async () => {
    scanned();
    api.on('EarningRules', rules);
    api.on('RecordPurchase', {
      recordPurchase: { id: '900', memberNo: '10000042', points: 15, balance: 1295, steps: [{ rule: 'total', description: '合计 15 积分', points: 15 }] },
    });
    await mount(PurchasePage);
    await waitForText('消费明细');
    await amount(0, '100');
    await click('确认消费，积 15 分');
    await waitForText('已积分 15');
    expect(document.querySelector('.page-shell__glyph--success')).not.toBeNull();
    expect(text()).toContain('会员 10000042 当前积分 1295');
    const input = api.callsOf('RecordPurchase')[0]?.variables?.input as Record<string, unknown>;
    expect(input).toMatchObject({ tillTicket: 'ticket-1', storeId: '11', amountFen: 10000, lines: [{ category: 'general', amountFen: 10000 }] });
    expect(input.idempotencyKey).toMatch(/^[A-Za-z0-9_:.-]{8,96}$/);
    expect(tillMember.get()?.member.points).toBe(1295);
  });

  it('applies a coupon code the member shows: sent without spaces, the receipt names the discount and what was paid', async () => {
    scanned();
    api.on('EarningRules', rules);
    api.on('RecordPurchase', {
      recordPurchase: { id: '902', memberNo: '10000042', points: 10, balance: 1290, steps: [{ rule: 'total', description: '合计 10 积分', points: 10 }], discountFen: 2000, paidFen: 10000 },
    });
    await mount(PurchasePage);
    await waitForText('优惠券（选填）');
    await amount(0, '120');
    await type('purchase__coupon', 'hlcn 2e6v rvjy');
    expect(text()).toContain('抵扣后按实付金额积分');
    // With a coupon the points depend on the discount: the button promises none.
    await click('确认消费');
    await waitForText('已积分 10');
    expect(text()).toContain('优惠券抵扣 ¥20，实付 ¥100（按实付积分）');
    const input = api.callsOf('RecordPurchase')[0]?.variables?.input as Record<string, unknown>;
    expect(input).toMatchObject({ amountFen: 12000, couponCode: 'hlcn2e6vrvjy' });
  });

  it("the preview's explanation reads line for line like the server's receipt (names, not ids)", async () => {
    scanned();
    api.on('EarningRules', rules);
    // The receipt as the API builds it: its own rule set (earning.service names every scope) through the same engine.
    const lines = [
      { category: 'general', amountFen: 10000 },
      { category: 'fresh', amountFen: 5000 },
    ];
    const server = computeEarning(
      {
        baseRates: [{ id: 'b1', scope: 'REGION', scopeId: '1', scopeName: '北京', fenPerPoint: 1000 }],
        categories: [{ id: 'c1', category: 'fresh', multiplierPct: 150, scope: 'HQ', scopeId: null }],
        campaigns: [],
        capPerPurchase: null,
        rounding: 'FLOOR',
      },
      { storeId: '11', regionId: '1', at: new Date(0), tierMultiplierPct: 150, tierName: '金卡', lines },
    );
    api.on('RecordPurchase', { recordPurchase: { id: '901', memberNo: '10000042', points: server.points, balance: 1280 + server.points, steps: server.steps } });
    await mount(PurchasePage);
    await waitForText('消费明细');
    await amount(0, '100');
    await click('+ 添加一行');
    await pickCategory(1, 1);
    await amount(1, '50');
    await waitForText(`预计积分 ${server.points}`);
    const stepTexts = () => Array.from(document.body.querySelectorAll('.purchase__step')).map((el) => el.firstElementChild?.textContent);
    const preview = stepTexts();
    expect(preview[0]).toBe('基础积分：北京 每 ¥10 = 1 积分，消费 ¥150.00');
    expect(text()).not.toContain('区域 #');
    await click(`确认消费，积 ${server.points} 分`);
    await waitForText(`已积分 ${server.points}`);
    expect(stepTexts()).toEqual(server.steps.map((s) => s.description));
    expect(preview).toEqual(stepTexts());
  });

  it('shows a rejected code in Chinese and retries with the same idempotency key', async () => {
    scanned();
    api.on('EarningRules', rules);
    api.on('RecordPurchase', fail('CODE_REUSED'));
    await mount(PurchasePage);
    await waitForText('消费明细');
    await amount(0, '88');
    await click('确认消费，积 13 分');
    await waitForText(errorMessageZh.CODE_REUSED);
    api.on('RecordPurchase', fail('INTERNAL'));
    await click('确认消费，积 13 分');
    await waitForText(errorMessageZh.INTERNAL);
    const keys = api.callsOf('RecordPurchase').map((c) => (c.variables?.input as { idempotencyKey: string }).idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });
});

describe('previewEarning (shared engine, no mocks)', () => {
  // Any instant: previewEarning takes the time explicitly and compares it only with the campaigns' windows.
  const AT = new Date('2026-11-23T10:00:00Z');
  const DAY = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();

  it('matches computeEarning for mixed categories, including a category that earns nothing', () => {
    const lines = [
      { category: 'general', amountFen: 12345 },
      { category: 'tobacco', amountFen: 5000 },
    ];
    const at = AT;
    const preview = previewEarning(rules.earningRules, gold, lines, at);
    expect(preview).toEqual(
      computeEarning(toRuleSet(rules.earningRules), { storeId: '11', regionId: '1', at, tierMultiplierPct: 150, tierName: '金卡', lines }),
    );
    expect(preview?.points).toBe(18); // 123.45 / 10 × 1.5 = 18.5175 → 18; tobacco ×0
  });

  it('applies a campaign only inside its window', () => {
    const view = {
      ...rules.earningRules,
      campaigns: [
        { id: 'k1', name: '周末双倍', multiplierPct: 200, startsAt: iso(AT.getTime() - DAY), endsAt: iso(AT.getTime() + DAY), scope: 'HQ' as const, scopeId: null, categories: null },
      ],
    };
    const lines = [{ category: 'general', amountFen: 10000 }];
    const points = (ms: number) => previewEarning(view, gold, lines, new Date(ms))?.points;
    expect(points(AT.getTime() - DAY - 1)).toBe(15); // just before the start
    expect(points(AT.getTime() - DAY)).toBe(30); // from the start
    expect(points(AT.getTime())).toBe(30);
    expect(points(AT.getTime() + DAY - 1)).toBe(30);
    expect(points(AT.getTime() + DAY)).toBe(15); // the end is exclusive
  });

  it('has nothing to preview without valid lines', () => {
    expect(previewEarning(rules.earningRules, gold, [], AT)).toBeNull();
    expect(previewEarning(rules.earningRules, gold, [{ category: 'general', amountFen: 0 }], AT)).toBeNull();
  });
});
