/// <reference lib="dom" />
// (DOM types for the page.evaluate callbacks, which run in the browser)
/**
 * The offline demo as a newcomer meets it: `pnpm start` (scripts/start.mjs, nothing configured but a free port and a
 * fresh database file), then each persona's headline action in the H5 build, in Chromium:
 *   1. alice redeems the ¥30 top-up and sees it delivered (the demo's in-process recharge simulator and reward jobs);
 *   2. alice redeems a latte voucher: her page shows the code exactly as the API returns it, and carol (staff of
 *      北京国贸店) finds the same code at the till's voucher desk and marks it used;
 *   3. erin publishes the draft event waiting for her.
 * Screenshots go to tests/artifacts/demo/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { button, launchChromium, newPhone, openRoute, requireH5, see, textOn } from '../support/h5';

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(__dirname, '..', 'artifacts', 'demo');

jest.setTimeout(180_000);

let server: ChildProcess | undefined;
let serverLog = '';
let dataDir = '';
let url = '';
let browser: Browser | undefined;
const pageErrors: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) throw new Error(`pnpm start exited with ${server.exitCode}:\n${serverLog.slice(-3000)}`);
    const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the demo did not answer /health within ${ms / 1000} s:\n${serverLog.slice(-3000)}`);
}

/** GraphQL as the signed-in phone (its token from the H5 storage), to compare what the page shows with the API. */
async function gqlAs<T>(page: Page, query: string, variables: Record<string, unknown>): Promise<T> {
  const token = await page.evaluate(() => {
    const raw = localStorage.getItem('quanzi.token');
    if (!raw) return null;
    try {
      const v = JSON.parse(raw) as { data?: unknown } | string;
      return typeof v === 'string' ? v : typeof v.data === 'string' ? v.data : null;
    } catch {
      return raw;
    }
  });
  expect(token).toBeTruthy();
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data as T;
}

async function signIn(page: Page, persona: string): Promise<void> {
  await page.goto(url);
  await see(page, '选择演示身份');
  await button(page, persona).click();
  // The card is the first page already: wait for the session itself, not for a URL.
  await page.waitForFunction(() => !!localStorage.getItem('quanzi.token'));
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

beforeAll(async () => {
  requireH5();
  mkdirSync(ARTIFACTS, { recursive: true });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'quanzi-demo-'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  // Only a port and a fresh database file: everything else is the demo's defaults.
  const env = { ...process.env, PORT: String(port), SQLITE_FILE: path.join(dataDir, 'quanzi.db') };
  for (const k of ['DATABASE_URL', 'NODE_ENV', 'DEMO', 'WECHAT_APPID', 'WECHAT_SECRET']) delete (env as NodeJS.ProcessEnv)[k];
  server = spawn('node', ['scripts/start.mjs'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (b: Buffer) => {
    serverLog = (serverLog + b.toString()).slice(-20_000);
  };
  server.stdout?.on('data', keep);
  server.stderr?.on('data', keep);
  await waitForHealth(url, 150_000);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  if (server?.pid) {
    try {
      process.kill(-server.pid, 'SIGTERM'); // the whole group: node → pnpm → the API
    } catch {
      /* already gone */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (pageErrors.length) console.warn(`[demo journey] errors in the pages:\n${pageErrors.join('\n')}`);
}, 30_000);

describe('the offline demo from pnpm start: every persona’s first minute (H5 in Chromium)', () => {
  test('alice redeems the ¥30 top-up and sees it delivered; her latte voucher reads the same on her phone and at carol’s till', async () => {
    const { page: alice } = await newPhone(browser as Browser, 'alice', pageErrors);
    await signIn(alice, 'Alice');
    await alice.waitForURL(/#\/pages\/card\/index/);

    // The mall opens on top-ups; the ¥30 one is affordable for her.
    await openRoute(alice, `${url}/#/rewards/mall/index`);
    await see(alice, '¥30 中国移动话费');
    await shot(alice, 'demo-00-mall');
    await textOn(alice, '¥30 中国移动话费').click();
    await see(alice, '立即兑换');
    await button(alice, '立即兑换').click();
    await see(alice, '请确认兑换信息', '充值号码：绑定手机');
    await button(alice, '确认兑换').click();
    await alice.waitForURL(/#\/pages\/redemption\/index\?id=/);
    // The reward jobs run every 10 s in the demo; the recharge simulator calls back; the page polls.
    await textOn(alice, '已到账').waitFor({ timeout: 90_000 });
    await shot(alice, 'demo-01-alice-topup-delivered');
    const topupId = new URL(alice.url().replace('/#/', '/')).searchParams.get('id');
    const topup = await gqlAs<{ redemption: { status: string; rewardName: string } }>(alice, 'query($id: ID!) { redemption(id: $id) { status rewardName } }', { id: topupId });
    expect(topup.redemption.status).toBe('DELIVERED');

    // A latte voucher: the code on her page is the API's, character for character.
    await openRoute(alice, `${url}/#/rewards/mall/index`);
    await textOn(alice, '门店好礼').click();
    await textOn(alice, '招牌拿铁一杯').click();
    await button(alice, '立即兑换').click();
    await see(alice, '请确认兑换信息');
    await button(alice, '确认兑换').click();
    await alice.waitForURL(/#\/pages\/redemption\/index\?id=/);
    await see(alice, '到店出示券码');
    const latteId = new URL(alice.url().replace('/#/', '/')).searchParams.get('id');
    const api = await gqlAs<{ redemption: { voucherCode: string } }>(alice, 'query($id: ID!) { redemption(id: $id) { voucherCode } }', { id: latteId });
    expect(api.redemption.voucherCode).toMatch(/^[0-9A-Z]{4} [0-9A-Z]{4} [0-9A-Z]{4}$/);
    const shown = (await alice.locator('.redemption__code:visible').innerText()).trim();
    expect(shown).toBe(api.redemption.voucherCode);
    expect(await alice.locator('.redemption__qr:visible').getAttribute('data-code')).toBe(api.redemption.voucherCode);
    await shot(alice, 'demo-02-alice-voucher');

    // Carol, at 北京国贸店's till, types the code: she sees the same code and marks it used.
    const { page: carol } = await newPhone(browser as Browser, 'carol', pageErrors);
    await signIn(carol, 'Carol');
    await carol.waitForURL(/#\/pages\/till\/index/);
    await openRoute(carol, `${url}/#/staff/voucher/index`);
    await see(carol, '券码 · 北京国贸店');
    await carol.locator('.voucher-desk__code input:visible').fill(shown);
    await button(carol, '查询').click();
    await see(carol, '招牌拿铁一杯', `券码 ${api.redemption.voucherCode}`);
    await shot(carol, 'demo-03-carol-voucher-found');
    await button(carol, '确认核销').click();
    await see(carol, '已核销 · 招牌拿铁一杯');
    await shot(carol, 'demo-04-carol-voucher-used');
    const after = await gqlAs<{ redemption: { status: string } }>(alice, 'query($id: ID!) { redemption(id: $id) { status } }', { id: latteId });
    expect(after.redemption.status).toBe('USED');
  });

  test('erin publishes the draft event waiting for her', async () => {
    const { page: erin } = await newPhone(browser as Browser, 'erin', pageErrors);
    await signIn(erin, 'Erin');
    await erin.waitForURL(/#\/pages\/card\/index/);
    await openRoute(erin, `${url}/#/pages/club/discover/index`);
    await see(erin, '周末骑行俱乐部');
    await shot(erin, 'demo-05-erin-clubs');
    await textOn(erin, '周末骑行俱乐部').click();
    await see(erin, '长安街夜骑 20 公里');
    await textOn(erin, '长安街夜骑 20 公里').click();
    await see(erin, '组织者工具');
    await button(erin, '编辑活动').click();
    await see(erin, '开始时间（北京时间）');
    await button(erin, '保存并发布').click();
    await see(erin, '距离开始');
    await shot(erin, 'demo-06-erin-published');
    const id = new URL(erin.url().replace('/#/', '/')).searchParams.get('id');
    const ev = await gqlAs<{ event: { status: string; title: string } }>(erin, 'query($id: ID!) { event(id: $id) { status title } }', { id });
    expect(ev.event).toEqual({ status: 'PUBLISHED', title: '长安街夜骑 20 公里' });
    expect(pageErrors).toEqual([]);
  });
});
