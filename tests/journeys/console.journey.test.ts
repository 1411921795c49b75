/// <reference lib="dom" />
/**
 * The manager console journey (issue #13), in Debian's Chromium (playwright-core) against the real API on MariaDB,
 * which serves the console's build at /console/ (built here when packages/console/dist is missing):
 *   1. dave (HQ manager) signs in through the QR flow: the console shows a ticket as a QR code and polls; the demo
 *      button plays dave's phone (wx.login code → login → the real confirmConsoleLogin); the poll gets the session;
 *   2. he creates a store, a tier and a store earning rule (服装 ×2 at 北京国贸店); the live preview says what a ¥368
 *      purchase of 服装 at 北京国贸店 by a 金卡 member earns, and a till recordPurchase then credits exactly that;
 *   3. grace (manager of 北京国贸店 only) signs in the same way and sees only her store;
 *   4. the audit log lists dave's changes;
 *   5. (a test of its own) dave creates a coupon template and issues it to a member number, sets the sign-up bonus,
 *      refunds part of a WeChat Pay order paid through the simulator (the clawback previewed, then reversed), and
 *      opens 圈子 (a club's events and an organizer grant).
 *   6. dave opens 数据看板 (KPI tiles, lifecycle inventory, RFM grid, trade-area radar of 北京国贸店, declining members)
 *      and 服务评价 (ratings per store and per staff member, the low ratings; he resolves one with a note): each chart's
 *      canvas is drawn (non-zero size, painted pixels) and screenshotted, each has its table view.
 * Screenshots go to tests/artifacts/console/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../packages/api/test/support/harness';
import { buildStaleness, launchChromium } from '../support/h5';
import { pngStats } from '../support/png';
import { clock } from '../../packages/api/src/clock';
import { seedDemoAnalytics } from '../../packages/api/src/demo/analytics';

const ROOT = path.resolve(__dirname, '..', '..');
const CONSOLE_INDEX = path.join(ROOT, 'packages', 'console', 'dist', 'index.html');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', 'artifacts', 'console');
const UI_TIMEOUT = 30_000;

jest.setTimeout(180_000);

let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let alice: { token: string; userId: number; memberId: number; memberNo: string; codeSecret: string };
let carol: { token: string; userId: number };

function ensureConsoleBuild(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`The console journey needs Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  const stale = buildStaleness(CONSOLE_INDEX, ['packages/console/src', 'packages/console/index.html', 'packages/shared/src']);
  if (!stale) return;
  console.log(`[journey] packages/console/dist is ${stale}: building it (pnpm --filter @quanzi/console build)`);
  // NODE_ENV=production: under jest it is 'test', and Vite would bundle React's development build.
  const r = spawnSync('pnpm', ['--filter', '@quanzi/console', 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0 || !existsSync(CONSOLE_INDEX)) throw new Error(`pnpm --filter @quanzi/console build failed (exit ${r.status})`);
}

async function desktop(label: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  ctx.setDefaultTimeout(UI_TIMEOUT);
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(`[${label}] ${e.message}`));
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  const png = await page.screenshot({ path: file, fullPage: true });
  const s = pngStats(png);
  expect(s.colors).toBeGreaterThan(8); // not a blank page
  expect(s.nonBackground).toBeGreaterThan(0.005);
}

/** Picks an option of the antd Select inside `scope` (by its index) whose label is exactly `label`. */
async function pick(page: Page, scope: string, index: number, label: string): Promise<void> {
  await page.locator(`${scope} .ant-select`).nth(index).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: new RegExp(`^${label}$`) }).first().click();
  await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'detached' }).catch(() => undefined);
  await page.waitForFunction(() => document.querySelectorAll('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').length === 0, undefined, { timeout: 5000 }).catch(() => undefined);
}

/** Signs a persona in through the QR flow (the demo's confirm button); returns once the console shows the scope. */
async function signIn(page: Page, persona: string, scopeLabel: string, screenshot?: string): Promise<void> {
  await page.goto(`${t.url}/console/`);
  await page.getByText('请使用圈子小程序（经理账号）扫码').waitFor();
  await page.locator('[data-testid="login-qr"] canvas').waitFor();
  if (screenshot) await shot(page, screenshot);
  await page.getByTestId(`persona-${persona}`).click();
  await page.getByTestId('scope-label').filter({ hasText: scopeLabel }).waitFor();
}

beforeAll(async () => {
  ensureConsoleBuild();
  mkdirSync(ARTIFACTS, { recursive: true });
  t = await startTestApp('mariadb', { demo: true, pay: {} });
  // The personas the console offers sign in with their label (the simulator's openid); give them their roles.
  const dave = await t.signIn('dave');
  const grace = await t.signIn('grace');
  const carolU = await t.signIn('carol');
  await t.grant(dave.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
  await t.grant(grace.userId, { role: 'MANAGER', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
  await t.grant(carolU.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
  carol = carolU;
  // A 金卡 member for the till purchase.
  alice = await t.signIn('console-alice');
  const q = t.app.services.db.q;
  await q.run("UPDATE member SET tier_id = (SELECT id FROM tier WHERE code = 'GOLD') WHERE id = ?", [alice.memberId]);
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

test('QR sign-in, a store, a tier, an earning rule whose preview the till then credits; a store manager sees only their store', async () => {
  // 1. Sign in as dave (HQ).
  const hq = await desktop('dave');
  await signIn(hq, 'dave', '总部', '01-login-qr');
  await hq.getByText('北京三里屯店').waitFor();
  await shot(hq, '02-hq-stores');

  // 2a. A store.
  await hq.getByTestId('new-store').click();
  await hq.getByPlaceholder('bj-wangjing').fill('BJ Wangjing');
  await hq.getByRole('button', { name: '创建门店' }).click();
  await hq.getByText('编码为 2–32 位小写字母、数字或 -').waitFor(); // the API's rule, before sending
  await hq.getByPlaceholder('bj-wangjing').fill('bj-wangjing');
  await hq.getByPlaceholder('北京望京店').fill('北京望京店');
  await pick(hq, '[data-testid="store-form"]', 0, '北京');
  await hq.getByRole('button', { name: '创建门店' }).click();
  await hq.getByText('已创建门店 北京望京店').waitFor();
  await hq.locator('.ant-table-row', { hasText: 'bj-wangjing' }).waitFor();
  await shot(hq, '03-store-created');
  expect(await t.app.services.db.q.get("SELECT name FROM store WHERE code = 'bj-wangjing'")).toEqual({ name: '北京望京店' });

  // 2b. A tier.
  await hq.goto(`${t.url}/console/#/program`);
  await hq.getByRole('tab', { name: '会员等级' }).click();
  await hq.getByTestId('new-tier').click();
  const tierForm = hq.getByTestId('tier-form');
  await tierForm.getByPlaceholder('VIP').fill('VIP');
  await tierForm.getByPlaceholder('黑金').fill('黑金');
  const nums = tierForm.getByRole('spinbutton');
  await nums.nth(0).fill('5');
  await nums.nth(1).fill('100000');
  await nums.nth(2).fill('250');
  await hq.getByRole('button', { name: '保存等级' }).click();
  await hq.locator('.ant-table-row', { hasText: '黑金' }).waitFor();
  await shot(hq, '04-tier-created');

  // 2c. An earning rule at 北京国贸店: 服装 ×2.
  await hq.getByRole('tab', { name: '积分规则' }).click();
  await hq.getByTestId('new-rule').click();
  const ruleForm = '[data-testid="rule-form"]';
  await hq.getByPlaceholder('服装 2 倍积分').fill('国贸服装 2 倍');
  await pick(hq, ruleForm, 1, '门店');
  await hq.locator(`${ruleForm} .ant-form-item`, { hasText: '门店' }).locator('.ant-select').last().waitFor();
  await pick(hq, ruleForm, 2, '北京国贸店');
  await hq.locator(`${ruleForm} .ant-select-auto-complete input, ${ruleForm} .ant-select input`).last().fill('apparel');
  await hq.keyboard.press('Escape');
  await hq.getByRole('button', { name: '创建规则' }).click();
  await hq.getByText('已创建规则').waitFor();
  await hq.locator('.ant-table-row', { hasText: '国贸服装 2 倍' }).waitFor();

  // The live preview (defaults: ¥368 of apparel at 北京国贸店 by a 金卡 member) with the shared engine.
  const sentence = hq.getByTestId('preview-sentence');
  await sentence.filter({ hasText: '金卡会员在北京国贸店消费 ¥368 的服装' }).waitFor();
  // Beijing's base rate ¥10 = 1 → 36.8, × 2 (the new rule) × 1.25 (金卡) = 92.
  await hq.getByText('合计 92 积分').waitFor();
  const previewed = Number(await hq.getByTestId('preview-points').innerText());
  expect(previewed).toBe(92);
  await hq.getByTestId('preview').scrollIntoViewIfNeeded();
  await shot(hq, '05-rule-and-preview');

  // The till credits exactly that.
  const memberCode = t.codeOf(alice);
  const r = await t.gql<{ recordPurchase: { points: number } }>(
    'mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { points } }',
    { input: { memberCode, storeId: String(t.org.guomao), amountFen: 36_800, lines: [{ category: 'apparel', amountFen: 36_800 }], idempotencyKey: randomUUID() } },
    carol.token,
  );
  expect(r.errors).toBeUndefined();
  expect(r.data?.recordPurchase.points).toBe(previewed);

  // 4. The audit log shows the changes, newest first.
  await hq.goto(`${t.url}/console/#/audit`);
  await hq.locator('.ant-table-row', { hasText: '新建积分规则' }).waitFor();
  await hq.locator('.ant-table-row', { hasText: '保存会员等级' }).waitFor();
  await hq.locator('.ant-table-row', { hasText: '新建门店' }).waitFor();
  await shot(hq, '06-audit-log');

  // 3. grace manages 北京国贸店 only.
  const store = await desktop('grace');
  await signIn(store, 'grace', '门店：北京国贸店');
  await store.locator('.ant-table-row', { hasText: '北京国贸店' }).waitFor();
  expect(await store.locator('.ant-table-row').count()).toBe(1);
  expect(await store.getByText('北京三里屯店').count()).toBe(0);
  expect(await store.getByText('北京望京店').count()).toBe(0);
  expect(await store.getByTestId('new-store').count()).toBe(0);
  await shot(store, '07-store-manager-scope');
  await store.goto(`${t.url}/console/#/audit`);
  await store.locator('.ant-table-row', { hasText: '新建积分规则' }).waitFor(); // her store's rule
  expect(await store.locator('.ant-table-row', { hasText: '新建门店' }).count()).toBe(0);

  // A staff member cannot sign in to the console: confirming is refused with the API's code in Chinese.
  const staffPage = await desktop('carol');
  await staffPage.goto(`${t.url}/console/`);
  await staffPage.getByTestId('persona-carol').click();
  await staffPage.getByTestId('login-error').filter({ hasText: '没有权限执行此操作' }).waitFor();
  await shot(staffPage, '08-staff-refused');

  expect(pageErrors).toEqual([]);
});

test('coupons issued to a member number, the sign-up bonus, a partial WeChat Pay refund with its clawback, clubs with an organizer grant', async () => {
  const q = t.app.services.db.q;
  const ok = <T,>(r: { data?: T | null; errors?: unknown[] }): T => {
    if (!r.data || r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data;
  };
  // A member paid ¥100 at 北京国贸店 with WeChat Pay (the simulator plays wx.requestPayment): ¥10 = 1 → 10 points.
  const payer = await t.signIn('console-payer');
  const intent = ok(
    await t.gql<{ createPayment: { order: { outTradeNo: string }; payment: Record<string, string> } }>(
      'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { order { outTradeNo } payment { appId timeStamp nonceStr package signType paySign } } }',
      { input: { storeId: String(t.org.guomao), amountFen: 10_000 } },
      payer.token,
    ),
  ).createPayment;
  await t.paySim!.pay(intent.payment as never);
  await t.paySim!.idle();
  const no = intent.order.outTradeNo;
  expect(await q.get('SELECT state, points FROM pay_order WHERE out_trade_no = ?', [no])).toEqual({ state: 'PAID', points: 10 });
  // A club at 北京国贸店 (dave, HQ, creates it and is its first organizer); alice joins it.
  const dave = await t.signIn('dave');
  const club = ok(
    await t.gql<{ createClub: { id: string } }>(
      'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }',
      { input: { name: '国贸跑团', theme: '跑步', description: '每周六晨跑', joinPolicy: 'OPEN', storeId: String(t.org.guomao) } },
      dave.token,
    ),
  ).createClub;
  ok(await t.gql('mutation($id: ID!) { joinClub(clubId: $id) { status } }', { id: club.id }, alice.token));

  const hq = await desktop('dave-ops');
  await signIn(hq, 'dave', '总部');

  // 优惠券: a template (满 ¥100 减 ¥20, 30 days, 100 in all), then issued to alice's member number.
  await hq.goto(`${t.url}/console/#/coupons`);
  await hq.getByTestId('new-coupon').click();
  const couponForm = hq.getByTestId('coupon-form');
  await couponForm.locator('#name').fill('满 100 减 20');
  await couponForm.locator('#amountOffYuan').fill('20');
  await couponForm.locator('#minSpendYuan').fill('100');
  await couponForm.getByRole('button', { name: '创建优惠券' }).click();
  await couponForm.getByText('总量为 1–10000000 张').waitFor(); // the API's rule, before sending
  await couponForm.locator('#budget').fill('100');
  await couponForm.getByRole('button', { name: '创建优惠券' }).click();
  await hq.getByText('已创建优惠券').waitFor();
  await couponForm.waitFor({ state: 'detached' });
  const row = hq.locator('.ant-table-row', { hasText: '满 100 减 20' });
  await row.filter({ hasText: '0 / 100' }).waitFor();
  await shot(hq, '09-coupon-templates');
  await row.getByRole('button', { name: /发\s?放/ }).click();
  await hq.locator('[data-testid="issue-form"] textarea').fill(alice.memberNo);
  await hq.getByRole('button', { name: '确认发放' }).click();
  await hq.getByText('已发放 1 张，剩余 99 张').waitFor();
  await hq.getByTestId('issue-form').waitFor({ state: 'detached' });
  await row.filter({ hasText: '1 / 100' }).waitFor();
  await shot(hq, '10-coupon-issued');
  expect(await q.get("SELECT COUNT(*) AS n FROM reward_redemption r JOIN reward w ON w.id = r.reward_id WHERE r.member_id = ? AND w.name = '满 100 减 20' AND r.issue_source = 'MANAGER'", [alice.memberId])).toEqual({ n: 1 });

  // 积分方案 → 方案设置: a sign-up bonus of 50 points.
  await hq.goto(`${t.url}/console/#/program`);
  await hq.getByRole('tab', { name: '方案设置' }).click();
  const settings = hq.getByTestId('settings-form');
  await settings.locator('#signupBonusPoints').fill('50');
  await settings.getByRole('button', { name: '保存设置' }).click();
  await hq.getByText('已保存设置').waitFor();
  await shot(hq, '11-program-settings');
  expect(await q.get('SELECT signup_bonus_points AS b FROM loyalty_program WHERE id = 1')).toEqual({ b: 50 });

  // 支付与退款: ¥40 of the ¥100 order back; the form previews 4 points clawed back; WeChat Pay confirms; 4 reversed.
  await hq.goto(`${t.url}/console/#/payments`);
  const order = hq.locator('.ant-table-row', { hasText: no });
  await order.filter({ hasText: '已支付' }).waitFor();
  await order.getByRole('button', { name: /退\s?款/ }).click();
  const refundForm = hq.getByTestId('refund-form');
  await refundForm.locator('#amountYuan').fill('120');
  await refundForm.getByRole('button', { name: '确认退款' }).click();
  await refundForm.getByText('最多可退 ¥100.00').waitFor();
  await refundForm.locator('#amountYuan').fill('40');
  await refundForm.locator('#reason').fill('退货一件');
  await hq.getByTestId('clawback-preview').filter({ hasText: '将扣回 4 积分' }).waitFor();
  await shot(hq, '12-refund-preview');
  await refundForm.getByRole('button', { name: '确认退款' }).click();
  await hq.getByTestId('refund-result').filter({ hasText: '退款 ¥40' }).waitFor();
  await t.paySim!.idle();
  await hq.keyboard.press('Escape');
  await hq.reload();
  await order.filter({ hasText: '¥40（扣回 4 积分）' }).waitFor();
  await order.locator('.ant-table-row-expand-icon').click();
  await hq.locator('.ant-table-expanded-row').getByText('已退款').waitFor();
  await shot(hq, '13-payment-refunded');
  expect(await q.get('SELECT refunded_fen, points_reversed FROM pay_order WHERE out_trade_no = ?', [no])).toEqual({ refunded_fen: 4_000, points_reversed: 4 });
  expect(await t.app.services.ledger.reconcile()).toEqual([]);
  await hq.getByRole('tab', { name: '支付异常' }).click();
  await hq.getByText('微信支付发来的消息与订单不符').waitFor();
  await hq.getByRole('tab', { name: '积分对账' }).click();
  await hq.getByTestId('books-balance').waitFor();

  // 圈子: the club report, the club's members, alice made an organizer.
  await hq.goto(`${t.url}/console/#/clubs`);
  await hq.locator('.ant-table-row', { hasText: '国贸跑团' }).waitFor();
  await shot(hq, '14-clubs');
  await hq.locator('.ant-table-row', { hasText: '国贸跑团' }).click();
  await hq.getByRole('tab', { name: '成员与组织者' }).click();
  const member = hq.locator('.ant-table-row', { hasText: alice.memberNo });
  await member.getByRole('button', { name: '设为组织者' }).click();
  await hq.locator('.ant-popconfirm').getByRole('button', { name: /确\s?认/ }).click();
  await hq.getByText('已设为组织者').waitFor();
  await member.getByRole('button', { name: '撤销组织者' }).waitFor();
  await shot(hq, '15-club-organizers');
  expect(await q.get('SELECT role FROM club_member WHERE club_id = ? AND member_id = ?', [Number(club.id), alice.memberId])).toEqual({ role: 'ORGANIZER' });

  expect(pageErrors).toEqual([]);
});
/** The chart's canvas is drawn: non-zero size and a share of painted (non-transparent) pixels. */
async function chartPainted(page: Page, name: string): Promise<{ width: number; height: number; painted: number }> {
  const canvas = page.locator(`[data-testid="chart-${name}"] canvas`).first();
  await canvas.waitFor();
  // ECharts draws on the next frames: wait until something is painted.
  await page.waitForFunction(
    (n) => {
      const c = document.querySelector(`[data-testid="chart-${n}"] canvas`) as HTMLCanvasElement | null;
      const ctx = c?.getContext('2d');
      if (!c || !ctx || !c.width || !c.height) return false;
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < px.length; i += 4 * 97) if (px[i]! > 0) return true;
      return false;
    },
    name,
  );
  return page.evaluate((n) => {
    const c = document.querySelector(`[data-testid="chart-${n}"] canvas`) as HTMLCanvasElement;
    const px = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) painted++;
    return { width: c.width, height: c.height, painted: painted / (c.width * c.height) };
  }, name);
}

/** Screenshot of one chart's card (tests/artifacts/console/<file>.png), checked not blank. */
async function chartShot(page: Page, name: string, file: string): Promise<void> {
  const drawn = await chartPainted(page, name);
  expect(drawn.width).toBeGreaterThan(100);
  expect(drawn.height).toBeGreaterThan(100);
  expect(drawn.painted).toBeGreaterThan(0.01);
  const card = page.getByTestId(`card-${name}`);
  await card.scrollIntoViewIfNeeded();
  const png = await card.screenshot({ path: path.join(ARTIFACTS, `${file}.png`) });
  const st = pngStats(png);
  expect(st.colors).toBeGreaterThan(8);
  expect(st.nonBackground).toBeGreaterThan(0.01);
}

/** The chart's table view lists rows (then back to the chart). */
async function tableView(page: Page, name: string): Promise<number> {
  const card = page.getByTestId(`card-${name}`);
  await card.getByText('表格', { exact: true }).click();
  await page.getByTestId(`table-${name}`).locator('.ant-table-row').first().waitFor();
  const n = await page.getByTestId(`table-${name}`).locator('.ant-table-row').count();
  await card.getByText('图表', { exact: true }).click();
  await page.locator(`[data-testid="chart-${name}"] canvas`).first().waitFor();
  return n;
}

test('数据看板 and 服务评价: KPI tiles with numbers, every chart drawn and screenshotted, a low rating resolved', async () => {
  // The journey's own rating at 北京国贸店 on top of the demo's: alice rates the purchase the first test recorded.
  const q = t.app.services.db.q;
  const purchase = await q.get<{ id: unknown }>('SELECT id FROM purchase WHERE member_id = ? ORDER BY id DESC LIMIT 1', [alice.memberId]);
  // The demo's customers around 北京国贸店 (purchases, consented locations, three ratings), and the store's coordinates.
  await q.run('UPDATE store SET lat = ?, lng = ? WHERE id = ?', [39.9087, 116.4605, t.org.guomao]);
  await q.run("UPDATE app_user SET nickname = 'Carol' WHERE id = ?", [carol.userId]);
  await seedDemoAnalytics(t.app.services, { guomao: t.org.guomao, sanlitun: t.org.sanlitun }, carol.userId, clock.now());
  const rated = await t.gql('mutation($id: ID!) { rateOperation(kind: PURCHASE, operationId: $id, stars: 2, comment: "收银台没有零钱") { id } }', { id: String(purchase?.id) }, alice.token);
  expect(rated.errors).toBeUndefined();

  const hq = await desktop('dave-dashboard');
  await signIn(hq, 'dave', '总部');
  await hq.goto(`${t.url}/console/#/dashboard`);

  // KPI tiles: every KPI the API returns, each showing a figure; visits and spend of the last 30 days are real.
  await hq.getByTestId('kpi-tiles').waitFor();
  expect(await hq.locator('[data-testid="kpi-tiles"] .ant-statistic').count()).toBe(22);
  const visits = await hq.getByTestId('kpi-visits').locator('.ant-statistic-content').innerText();
  expect(Number(visits.replace(/,/g, ''))).toBeGreaterThan(0);
  expect(await hq.getByTestId('kpi-spendFen').locator('.ant-statistic-content').innerText()).toMatch(/^¥[\d,]+\.\d\d$/);
  expect(await hq.getByTestId('kpi-liabilityPoints').locator('.ant-statistic-content').innerText()).toMatch(/^[\d,]+$/);
  expect(await hq.getByTestId('kpi-visits-change').innerText()).toMatch(/%|新增|持平/);
  await shot(hq, 'dash-09-dashboard');

  await chartShot(hq, 'inventory', '10-chart-inventory');
  expect(await tableView(hq, 'inventory')).toBeGreaterThanOrEqual(4); // a row per week of the 30 days
  await chartShot(hq, 'rfm', '11-chart-rfm');
  expect(await tableView(hq, 'rfm')).toBe(5);
  expect(await hq.getByTestId('rfm-summary').innerText()).toMatch(/前 20% 会员贡献消费\s*[\d.]+%/);
  // The RFM window: the last 30 whole days by default; 365 days also scores the customer last seen 100 days ago.
  const scored = async (): Promise<number> => Number((/参与评分会员\s*([\d,]+)/.exec(await hq.getByTestId('rfm-summary').innerText())?.[1] ?? '').replace(/,/g, ''));
  const scored30 = await scored();
  expect(scored30).toBeGreaterThan(0);
  await hq.getByTestId('rfm-window').getByText('近 365 天').click();
  let scored365 = await scored();
  for (const until = Date.now() + 15_000; scored365 <= scored30 && Date.now() < until; scored365 = await scored()) await hq.waitForTimeout(200);
  expect(scored365).toBeGreaterThan(scored30);

  // The radar of 北京国贸店: the demo customers around it (团结湖, 建外, 望京, 通州, 中关村).
  await pick(hq, '[data-testid="card-radar"]', 0, '北京国贸店');
  // 建外, 望京 and 通州 shared a location; console-alice (a visit, no location) and nobody else is a customer here.
  await hq.getByTestId('radar-located').filter({ hasText: /已定位 3 人，未定位 [1-9]\d* 人/ }).waitFor();
  await chartShot(hq, 'radar', '12-chart-radar');
  expect(await tableView(hq, 'radar')).toBe(20); // 32 sectors, 20 a page
  await hq.getByTestId('card-radar').getByText('消费额', { exact: true }).click();
  await chartShot(hq, 'radar', '13-chart-radar-spend');
  await hq.getByTestId('table-radar-by-gender').locator('.ant-table-row', { hasText: '女' }).waitFor();

  // Declining members: masked, with the reason, never a phone.
  const declining = hq.getByTestId('declining-members');
  await declining.locator('.ant-table-row').first().waitFor();
  const text = await declining.innerText();
  expect(text).toMatch(/\d{2}\*+\d{4}/);
  expect(text).toMatch(/未消费|到店|消费/);
  expect(text).not.toMatch(/1[3-9]\d{9}/);
  await declining.scrollIntoViewIfNeeded();
  await declining.screenshot({ path: path.join(ARTIFACTS, '14-declining-members.png') });

  // 服务评价: per store and per staff member of 北京国贸店, the low ratings.
  await hq.goto(`${t.url}/console/#/ratings`);
  await chartShot(hq, 'store-ratings', '15-chart-store-ratings');
  expect(await tableView(hq, 'store-ratings')).toBeGreaterThanOrEqual(2);
  await pick(hq, '[data-testid="card-staff-ratings"]', 0, '北京国贸店');
  await chartShot(hq, 'staff-ratings', '16-chart-staff-ratings');
  await hq.getByTestId('card-staff-ratings').getByText('表格', { exact: true }).click();
  // Carol served all four rated purchases at 北京国贸店: 1, 2, 2 and 5 stars.
  const carolRow = (await hq.getByTestId('table-staff-ratings').locator('.ant-table-row', { hasText: 'Carol' }).innerText()).split('\t');
  expect(carolRow.slice(1)).toEqual(['4', '2.50', '3', '1', '2', '0', '0', '1']);

  const low = hq.getByTestId('low-ratings');
  const row = low.locator('.ant-table-row', { hasText: '收银台没有零钱' });
  await row.waitFor();
  await low.locator('.ant-table-row', { hasText: '排队结账等了二十分钟' }).waitFor();
  await row.getByRole('button', { name: /^解\s?决$/ }).click();
  await hq.getByRole('button', { name: '标记已解决' }).click();
  await hq.getByText('请填写处理说明').waitFor(); // the API's rule, before sending
  await hq.getByPlaceholder('例如：已致电会员致歉并赠送饮品券').fill('已联系会员，门店备足零钱');
  await hq.getByRole('button', { name: '标记已解决' }).click();
  await hq.getByText('已标记为已解决').waitFor();
  await row.waitFor({ state: 'detached' });
  await shot(hq, 'dash-17-ratings');
  const saved = await q.get<{ follow_up: string; resolution_note: string }>('SELECT follow_up, resolution_note FROM service_rating WHERE operation_id = ? AND kind = ?', [toNum(purchase?.id), 'PURCHASE']);
  expect(saved).toEqual({ follow_up: 'RESOLVED', resolution_note: '已联系会员，门店备足零钱' });

  expect(pageErrors).toEqual([]);
});

const toNum = (v: unknown) => Number(v);
