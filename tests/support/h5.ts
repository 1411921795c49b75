/// <reference lib="dom" />
// (DOM types for the page.evaluate / waitForFunction callbacks, which run in the browser)
/**
 * Driving the H5 build of the mini-program in Debian's Chromium (playwright-core): launch, a phone-sized context,
 * waiting for text to be really on screen, NutUI buttons, and Taro's H5 <Picker> popup.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..', '..');
const H5_INDEX = path.join(ROOT, 'packages', 'miniapp', 'dist', 'h5', 'index.html');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Generous: the first page load compiles a few hundred KB of JS on 2 cores. */
export const UI_TIMEOUT = 30_000;

/** Chromium with a CJK font, and the H5 build (built when missing or stale: before the API starts, which serves / only when it exists). */
export function requireH5(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The H5 journeys need Debian's Chromium at ${CHROMIUM} (never a downloaded browser): run \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH).`);
  }
  // Chinese text renders as boxes without a CJK font; the screenshots would be useless.
  const fc = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  if (!fc.error && fc.status === 0 && fc.stdout.trim() === '') {
    throw new Error('No Chinese font is installed, so the screenshots would show boxes: run `apt-get install -y fonts-wqy-zenhei`.');
  }
  const stale = h5BuildStaleness();
  if (!stale) return;
  console.log(`[journey] packages/miniapp/dist/h5 is ${stale}: building it (pnpm --filter miniapp build:h5)`);
  const r = spawnSync('pnpm', ['--filter', 'miniapp', 'build:h5'], { cwd: ROOT, stdio: 'inherit' });
  if (r.error) throw new Error(`Could not run pnpm to build the H5 mini-program: ${r.error.message}`);
  if (r.status !== 0 || !existsSync(H5_INDEX)) throw new Error(`pnpm --filter miniapp build:h5 failed (exit ${r.status}); ${H5_INDEX} is missing`);
}

/** Why the H5 build must be (re)built — missing, or older than a source it is built from — or null when it is current. */
function h5BuildStaleness(): string | null {
  return buildStaleness(H5_INDEX, ['packages/miniapp/src', 'packages/miniapp/config', 'packages/shared/src']);
}

/**
 * Why a build whose entry is `index` must be (re)built: 'missing', or 'older than <a source file>' under `sourceDirs`
 * (relative to the repository); null when it is current. A journey must never test yesterday's build.
 */
export function buildStaleness(index: string, sourceDirs: string[]): string | null {
  if (!existsSync(index)) return 'missing';
  const built = statSync(index).mtimeMs;
  const newer = (dir: string): string | null => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        const n = newer(p);
        if (n) return n;
      } else if (statSync(p).mtimeMs > built) return p;
    }
    return null;
  };
  for (const dir of sourceDirs.map((d) => path.join(ROOT, d))) {
    if (!existsSync(dir)) continue;
    const n = statSync(dir).isFile() ? (statSync(dir).mtimeMs > built ? dir : null) : newer(dir);
    if (n) return `older than ${path.relative(ROOT, n)}`;
  }
  return null;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A phone (390×844, zh-CN) in the given time zone; uncaught page errors go to `errors`. */
export async function newPhone(b: Browser, label: string, errors: string[], timezoneId = 'Asia/Shanghai'): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await b.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId });
  ctx.setDefaultTimeout(UI_TIMEOUT);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(`[${label}] ${e.message}`));
  return { ctx, page };
}

/** A visible element with this text (hidden tab pages stay in the DOM, so only visible ones count). */
export function textOn(page: Page, text: string) {
  return page.getByText(text).filter({ visible: true }).first();
}

/**
 * Waits until each text is on screen: visible, inside the viewport (Taro's H5 router slides pages in and out), and no
 * finite animation still running.
 */
export async function see(page: Page, ...texts: string[]): Promise<void> {
  for (const text of texts) {
    await textOn(page, text).waitFor({ state: 'visible' });
    await page
      .waitForFunction((want) => {
        const onScreen = (e: Element) => {
          const r = e.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && r.left >= -1 && r.right <= window.innerWidth + 1 && r.bottom > 0 && r.top < window.innerHeight;
        };
        for (const e of Array.from(document.body.querySelectorAll('*'))) {
          if (!(e instanceof HTMLElement) || !e.textContent?.includes(want)) continue;
          if (Array.from(e.children).some((c) => c.textContent?.includes(want))) continue;
          if (e.checkVisibility({ opacityProperty: true, visibilityProperty: true }) && e.innerText.includes(want) && onScreen(e)) return true;
        }
        return false;
      }, text)
      .catch((err: Error) => {
        throw new Error(`"${text}" never came on screen: ${err.message}`);
      });
  }
  await settle(page);
}

/**
 * Open a route of the signed-in app by address, as a shared link would: a full load at that hash. (Changing only the
 * hash while Taro's router is still finishing the sign-in's switchTab is dropped: the URL changes, the page does not.)
 */
export async function openRoute(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.reload();
}

/** Until no finite animation (page slide, picker popup) is running. */
export async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
  );
}

/** A NutUI button by its text (click the Taro button element: the inner text can be covered). */
export function button(page: Page, text: string) {
  return page.locator(`taro-button-core:visible:has-text("${text}")`).first();
}

/** One row of Taro's H5 picker columns (picker/constant.js LINE_HEIGHT). */
const PICKER_ROW_PX = 34;

/**
 * Operates a Taro <Picker> the way a finger does on H5: taps it (Taro appends its popup, `.weui-picker__overlay`,
 * to <body>), drags column i by `rows[i]` rows (positive: towards later values, i.e. upwards), then taps 确定.
 * For mode="time" the columns are hours and minutes; for mode="date" year, month, day.
 */
export async function turnPicker(page: Page, selector: string, rows: number[]): Promise<void> {
  await page.locator(selector).filter({ visible: true }).first().click();
  // The overlay itself has no size (its mask and sheet are fixed): the sheet, `.weui-picker`, is what shows.
  const popup = page.locator('.weui-picker__overlay .weui-picker').filter({ visible: true });
  await popup.waitFor();
  await settle(page); // the popup slides up
  const columns = popup.locator('taro-picker-group');
  for (const [i, n] of rows.entries()) {
    if (!n) continue;
    const box = await columns.nth(i).boundingBox();
    if (!box) throw new Error(`picker ${selector} has no column ${i}`);
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x, y - n * PICKER_ROW_PX, { steps: 10 });
    await page.mouse.up();
    await settle(page); // the column snaps to a row
  }
  await popup.locator('.weui-picker__action', { hasText: '确定' }).click();
  await popup.waitFor({ state: 'hidden' });
}
