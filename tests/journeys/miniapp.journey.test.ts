/// <reference lib="dom" />
// (DOM types for the page.evaluate / waitForFunction callbacks, which run in the browser)
/**
 * The end-to-end journey on the H5 build of the mini-program, in Debian's Chromium driven by playwright-core,
 * against the real API (MariaDB, the WeChat simulators, the demo sign-in helpers):
 *   1. a member (alice) signs in, binds her phone and shows her card with 0 points and a rotating QR code;
 *   2. a store clerk (carol, staff of 北京国贸店) signs in on a second browser, types the member's code at the till,
 *      sees the member (masked phone, tier), records a ¥128.50 purchase, sees the shared engine's preview (12
 *      points in Beijing) and the receipt; the same code is refused a second time;
 *   3. the member's points page shows 12 points and the ledger line.
 * The database is checked behind the UI (ledger reconciliation, row counts). Screenshots of every step go to
 * tests/artifacts/journey/ (git-ignored), each checked for its expected text and for not being blank.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { computeEarning, maskPhone, secondsToRotate } from '@quanzi/shared';
import { simulatedOpenid } from '@quanzi/simulators';
import { APPID, startTestApp, type TestApp } from '../../packages/api/test/support/harness';
import { demoPhoneOf } from '../../packages/api/src/demo/seed';
import { pngStats } from '../support/png';
import { button, launchChromium, newPhone, requireH5, see, textOn } from '../support/h5';

const ARTIFACTS = path.join(__dirname, '..', 'artifacts', 'journey');

const AMOUNT_YUAN = '128.50';
const AMOUNT_FEN = 12_850;
const ALICE_PHONE = maskPhone(demoPhoneOf('alice')) as string; // 138****5678

jest.setTimeout(120_000);

let t: TestApp | undefined;
let browser: Browser | undefined;
let memberCtx: BrowserContext | undefined;
let staffCtx: BrowserContext | undefined;
let member: Page;
let staff: Page;
const pageErrors: string[] = [];
const shots: string[] = [];

/** The code alice showed at the till, and the points the shared engine computes for the purchase. */
let code = '';
let expectedPoints = 0;

function tab(page: Page, text: string) {
  return page.locator('.role-tab-bar__item:visible', { hasText: text }).first();
}

/** What the user can read now (innerText skips hidden pages). */
async function screenText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

/** Checks the page shows `texts`, then saves a screenshot and checks it is a real picture, not a blank page. */
async function snap(page: Page, name: string, texts: string[]): Promise<void> {
  await see(page, ...texts);
  const visible = await screenText(page);
  for (const s of texts) expect(visible).toContain(s);
  // Let fonts and the QR image finish before the picture.
  await page.evaluate(async () => {
    await document.fonts.ready;
    await Promise.all(Array.from(document.images).filter((i) => !i.complete).map((i) => new Promise((r) => ((i.onload = r), (i.onerror = r)))));
  });
  const file = path.join(ARTIFACTS, `${name}.png`);
  const png = await page.screenshot({ path: file }); // checked from memory: a concurrent run may overwrite the file
  shots.push(file);
  expect(png.length).toBeGreaterThan(15_000);
  const stats = pngStats(png);
  expect(stats.width).toBe(390);
  expect(stats.colors).toBeGreaterThan(50); // anti-aliased text and icons; a blank page has one or two
  expect(stats.nonBackground).toBeGreaterThan(0.05);
}

/** Signs a persona in from the H5 login page (the demo's persona buttons mint a WeChat login code). */
async function signInAs(page: Page, persona: string): Promise<void> {
  await see(page, '演示环境：选择一个身份登录');
  await button(page, persona).click();
}

/** The member's current code from the QR image, fresh enough (≥ 10 s left in its step, so valid for ≥ 40 s) to finish the till flow. */
async function freshMemberCode(page: Page): Promise<string> {
  const qr = page.locator('.member-qr__image:visible').first();
  await qr.waitFor();
  let value = await qr.getAttribute('data-code');
  if (secondsToRotate(Date.now()) < 10) {
    const previous = value;
    await page.waitForFunction(
      (prev) => {
        const el = Array.from(document.querySelectorAll('.member-qr__image')).find((e) => (e as HTMLElement).offsetParent !== null);
        const now = el?.getAttribute('data-code');
        return !!now && now !== prev;
      },
      previous,
      { timeout: 40_000 },
    );
    value = await qr.getAttribute('data-code');
  }
  expect(value).toMatch(/^QZ1\.\d+\.\d{6}$/);
  // The QR's caption is the same code, shown in text for people who can't scan.
  await expect(textOn(page, value as string).isVisible()).resolves.toBe(true);
  return value as string;
}

beforeAll(async () => {
  requireH5(); // Chromium, a CJK font and a current H5 build, before the app starts: the API serves / only when the build exists
  mkdirSync(ARTIFACTS, { recursive: true }); // each run overwrites its files by name

  t = await startTestApp('mariadb', { demo: true, pay: {} });
  // The test database isn't demo-seeded: make carol a clerk of 北京国贸店 before she signs in.
  const { userId } = await t.app.services.users.ensureUser(simulatedOpenid(APPID, 'carol'), null, 'DEMO');
  await t.grant(userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });

  browser = await launchChromium();
  ({ ctx: memberCtx, page: member } = await newPhone(browser, 'member', pageErrors));
  ({ ctx: staffCtx, page: staff } = await newPhone(browser, 'staff', pageErrors));
}, 180_000);

afterAll(async () => {
  if (pageErrors.length) console.warn(`[journey] errors in the pages:\n${pageErrors.join('\n')}`);
  // Where each phone ended up (the first thing to look at when a step failed).
  for (const [name, p] of [['member', member], ['staff', staff]] as const) {
    await (p as Page | undefined)?.screenshot({ path: path.join(ARTIFACTS, `zz-last-${name}.png`) }).catch(() => undefined);
  }
  await memberCtx?.close().catch(() => undefined);
  await staffCtx?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await t?.close();
}, 60_000);

describe('mini-program journey (H5 in Chromium, real API on MariaDB)', () => {
  it('the API serves the H5 build at /', async () => {
    const res = await fetch(`${t!.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="app">');
  });

  it('member: signs in as alice, binds her phone, and sees her card with 0 points and a QR code', async () => {
    await member.goto(t!.url);
    // The card is the first page; signed out, the demo offers its personas right there (every persona listed).
    await see(member, '选择演示身份');
    await snap(member, '01-member-signed-out', ['选择演示身份', 'Alice（金卡会员）', 'Bob（新会员）', 'Carol（北京国贸店 店员）', 'Dave（总部经理）', 'Erin（俱乐部组织者）']);
    await signInAs(member, 'Alice');

    await member.waitForURL(/#\/pages\/card\/index/);
    await see(member, '可用积分', '会员号');
    await expect(member.locator('.member-card__points-value:visible').innerText()).resolves.toBe('0');
    await expect(member.locator('.role-tab-bar__item:visible').allInnerTexts()).resolves.toEqual(['会员卡', '积分', '我的']); // no till for members
    const qr = member.locator('.member-qr__image:visible');
    await qr.waitFor();
    expect(await qr.getAttribute('data-code')).toMatch(/^QZ1\.\d+\.\d{6}$/);
    // The QR is a real image (a data URL drawn in JS), laid out at a scannable size.
    const img = member.locator('.member-qr__image:visible img');
    await expect(img.getAttribute('src')).resolves.toMatch(/^data:image\//);
    const box = await qr.boundingBox();
    expect(box!.width).toBeGreaterThan(120);
    // The drawn code (the <img> inside) fills its box and sits centred on the card, within 4 px.
    const imgBox = (await img.boundingBox())!;
    const cardBox = (await member.locator('.member-qr:visible').first().locator('xpath=ancestor::*[contains(@class,"card")][1]').boundingBox())!;
    expect(Math.abs(imgBox.width - box!.width)).toBeLessThanOrEqual(1);
    expect(Math.abs(imgBox.x + imgBox.width / 2 - (cardBox.x + cardBox.width / 2))).toBeLessThanOrEqual(4);
    await snap(member, '02-member-card', ['可用积分', '秒后自动刷新']);

    // 我的: bind the phone (the demo helper mints a getPhoneNumber code for the persona).
    await tab(member, '我的').click();
    await see(member, '会员信息', '未绑定');
    await button(member, '绑定手机号（演示）').click();
    await see(member, ALICE_PHONE);
    await snap(member, '03-member-profile-phone', ['会员信息', ALICE_PHONE]);
    await tab(member, '会员卡').click();
    await member.locator('.member-qr__image:visible').waitFor();
  });

  it('staff: carol signs in and lands on the till of 北京国贸店', async () => {
    await staff.goto(`${t!.url}/#/pages/login/index`);
    await signInAs(staff, 'Carol');
    await staff.waitForURL(/#\/pages\/till\/index/);
    await see(staff, '识别会员', '北京国贸店');
    await expect(staff.locator('.role-tab-bar__item:visible').allInnerTexts()).resolves.toEqual(['会员卡', '积分', '收银台', '我的']);
    await expect(staff.locator('.role-tab-bar__item--active:visible').innerText()).resolves.toBe('收银台');
    await snap(staff, '04-staff-till', ['收银台', '北京国贸店', '识别会员', '请顾客打开会员卡，扫描其会员码']);
  });

  it("staff: looks the member's code up, records a ¥128.50 purchase with the engine's preview, and gets the receipt", async () => {
    code = await freshMemberCode(member);
    const before = await t!.counts();

    // The till: type the code (H5 has no scanner) and look it up.
    await staff.locator('.till__input input:visible').fill(code);
    await button(staff, '查询').click();
    const panel = staff.locator('.till-member:visible').first();
    await panel.waitFor();
    await see(staff, ALICE_PHONE);
    const panelText = await panel.innerText();
    expect(panelText).toContain(ALICE_PHONE);
    expect(panelText).not.toContain(demoPhoneOf('alice')); // masked, never the full number
    expect(panelText).toContain('普通'); // entry tier
    await expect(panel.locator('.till-member__points').innerText()).resolves.toBe('0');
    await snap(staff, '05-staff-member-found', ['会员号', ALICE_PHONE, '普通', '记录消费']);
    // Looking up doesn't consume the code or change anything.
    expect(await t!.counts()).toEqual(before);

    // Record the purchase.
    await button(staff, '记录消费').click();
    await see(staff, '消费明细');
    await staff.locator('.purchase__amount input:visible').first().fill(AMOUNT_YUAN);

    // The preview is the shared engine's own result for this store and the member's tier (Beijing: ¥10 = 1 point).
    const storeIds = { storeId: String(t!.org.guomao), regionId: String(t!.org.beijing) };
    const engine = computeEarning(await t!.app.services.earning.ruleSet(), {
      ...storeIds,
      at: new Date(),
      tierMultiplierPct: 100,
      tierName: '普通',
      lines: [{ category: 'general', amountFen: AMOUNT_FEN }],
    });
    expectedPoints = engine.points;
    expect(expectedPoints).toBe(12);
    await see(staff, `预计积分 ${expectedPoints}`, `合计 ¥${AMOUNT_YUAN}`);
    await expect(staff.locator('.purchase__points:visible').innerText()).resolves.toBe(`预计积分 ${expectedPoints}`);
    // A page below the tabs has the H5 header: its title and a back arrow.
    await expect(staff.locator('.page-header__title:visible').innerText()).resolves.toBe('记录消费');
    await expect(staff.locator('.page-header__back:visible').count()).resolves.toBe(1);
    // The preview explains like the receipt will: the engine's lines with the region's name, not its id.
    const previewSteps = await staff.locator('.purchase__step:visible > :first-child').allInnerTexts();
    expect(previewSteps).toEqual(engine.steps.map((s) => s.description));
    expect(previewSteps[0]).toContain('北京');
    await snap(staff, '06-staff-purchase-preview', ['消费明细', `合计 ¥${AMOUNT_YUAN}`, `预计积分 ${expectedPoints}`, `确认消费，积 ${expectedPoints} 分`]);

    await button(staff, `确认消费，积 ${expectedPoints} 分`).click();
    await see(staff, `已积分 ${expectedPoints}`);
    await expect(staff.locator('.purchase__step:visible > :first-child').allInnerTexts()).resolves.toEqual(previewSteps);
    await see(staff, `当前积分 ${expectedPoints}`);
    await snap(staff, '07-staff-receipt', [`已积分 ${expectedPoints}`, `当前积分 ${expectedPoints}`, '完成']);

    // Behind the UI: one purchase, one ledger entry and lot, and the books balance.
    const after = await t!.counts();
    expect(after.purchase).toBe(before.purchase! + 1);
    expect(after.points_entry).toBe(before.points_entry! + 1);
    expect(after.points_lot).toBe(before.points_lot! + 1);
    expect(after.balances).toBe(before.balances! + expectedPoints);
    await expect(t!.app.services.ledger.reconcile()).resolves.toEqual([]);
  });

  it('staff: the same member code cannot be used twice', async () => {
    const before = await t!.counts();
    await button(staff, '完成').click();
    await see(staff, '识别会员');
    await staff.locator('.till__input input:visible').fill(code);
    await button(staff, '查询').click();
    await see(staff, '会员码已使用，请刷新后重试');
    await snap(staff, '08-staff-code-reused', ['识别会员', '会员码已使用，请刷新后重试']);
    await expect(staff.locator('.till-member:visible').count()).resolves.toBe(0);
    // The server says so too, and nothing was written.
    await expect(t!.app.services.members.verifyCode(code)).rejects.toMatchObject({ code: 'CODE_REUSED' });
    expect(await t!.counts()).toEqual(before);
  });

  it('member: the points page shows 12 points and the purchase in the history; the card too', async () => {
    await tab(member, '积分').click();
    await member.waitForURL(/#\/pages\/points\/index/);
    const reason = `门店消费 ¥${AMOUNT_YUAN}`;
    await see(member, reason);
    await expect(member.locator('.points-page__balance:visible').innerText()).resolves.toBe(String(expectedPoints));
    const rows = member.locator('.ledger-row:visible');
    await expect(rows.count()).resolves.toBe(1);
    const row = await rows.first().innerText();
    expect(row).toContain(reason);
    expect(row).toContain(`+${expectedPoints}`);
    expect(row).toContain('获得');
    await snap(member, '09-member-points', [String(expectedPoints), '可用积分', reason, '没有更多了']);

    // Back on the card (re-fetched when shown again) and after a reload (the session survives it).
    await tab(member, '会员卡').click();
    await member.locator('.member-card__points-value:visible', { hasText: String(expectedPoints) }).waitFor();
    await member.reload();
    await member.locator('.member-card__points-value:visible', { hasText: String(expectedPoints) }).waitFor();
    await member.locator('.member-qr__image:visible').waitFor();
    await snap(member, '10-member-card-after', [String(expectedPoints), '可用积分', '秒后自动刷新']);

    await expect(t!.app.services.ledger.reconcile()).resolves.toEqual([]);
    const counts = await t!.counts();
    expect(counts).toMatchObject({ purchase: 1, points_entry: 1, points_lot: 1, lot_allocation: 0, balances: expectedPoints });
  });

  it('an unknown address shows 页面不存在 (not the previous page); its back arrow leads to the card', async () => {
    await member.goto(`${t!.url}/#/pages/no-such-page/index`);
    await see(member, '页面不存在', '链接可能已失效或输入有误');
    await expect(member.locator('.page-header__title:visible').innerText()).resolves.toBe('页面不存在');
    await member.locator('.page-header__back:visible').click();
    await member.waitForURL(/#\/pages\/card\/index/);
    await see(member, '可用积分');
  });

  it('left no uncaught errors in the pages and a screenshot of every step', () => {
    expect(pageErrors).toEqual([]);
    expect(shots.map((f) => path.basename(f))).toHaveLength(10);
  });
});
