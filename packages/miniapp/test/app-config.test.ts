import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import appConfig from '../src/app.config';

/**
 * WeChat review readiness of app.json (src/app.config.ts): the privacy check, the sitemap, and declarations for
 * exactly the location APIs and permission scopes the code uses. The "used" sets are read from the source, so adding
 * wx.getLocation without declaring it fails here.
 */
const SRC = path.resolve(__dirname, '../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    // The weapp build: H5 variants never reach WeChat.
    return /\.(ts|tsx)$/.test(e.name) && !/\.h5\.tsx?$/.test(e.name) && e.name !== 'app.config.ts' ? [p] : [];
  });
}

/** API names called in the code (`Taro.x(` / `wx.x(`; comments stripped). */
function calledApis(): Set<string> {
  const used = new Set<string>();
  for (const file of sources(SRC)) {
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
    for (const m of code.matchAll(/\b(?:Taro|wx)\.(\w+)\s*\(/g)) used.add(m[1]!);
  }
  return used;
}

/** https://developers.weixin.qq.com/miniprogram/dev/reference/configuration/app.html#requiredPrivateInfos */
const LOCATION_APIS = [
  'getFuzzyLocation',
  'getLocation',
  'onLocationChange',
  'startLocationUpdate',
  'startLocationUpdateBackground',
  'chooseLocation',
  'choosePoi',
  'chooseAddress',
] as const;

/** Scopes that need a `permission` description, and the APIs that ask for them. */
const SCOPE_APIS: Record<string, readonly string[]> = {
  'scope.userLocation': ['getLocation', 'startLocationUpdate', 'onLocationChange'],
  'scope.userFuzzyLocation': ['getFuzzyLocation'],
  'scope.userLocationBackground': ['startLocationUpdateBackground'],
};

type AppJson = typeof appConfig & {
  __usePrivacyCheck__?: boolean;
  sitemapLocation?: string;
  requiredPrivateInfos?: string[];
  permission?: Record<string, { desc: string }>;
};
const app = appConfig as AppJson;

describe('app.json for WeChat review', () => {
  it('turns the privacy check on', () => {
    expect(app.__usePrivacyCheck__).toBe(true);
  });

  it('registers the privacy listener at launch and gates the scanner behind consent', () => {
    const appTs = readFileSync(path.join(SRC, 'app.ts'), 'utf8');
    expect(appTs).toMatch(/useLaunch\(\(\) => \{\s*installPrivacyHandler\(\);/);
    expect(readFileSync(path.join(SRC, 'utils/scan.ts'), 'utf8')).toMatch(/ensurePrivacyConsent\('扫码'\)[\s\S]*Taro\.scanCode/);
  });

  it('points at a sitemap with rules, which the weapp build copies', () => {
    expect(app.sitemapLocation).toBe('sitemap.json');
    const sitemap = JSON.parse(readFileSync(path.join(SRC, app.sitemapLocation!), 'utf8')) as { rules: { action?: string; page: string }[] };
    expect(sitemap.rules.length).toBeGreaterThan(0);
    const pages = [...(app.pages ?? []), ...(app.subPackages ?? []).flatMap((p) => p.pages.map((page) => `${p.root}/${page}`))];
    for (const rule of sitemap.rules) {
      expect(['allow', 'disallow', undefined]).toContain(rule.action);
      if (rule.page !== '*') expect(pages).toContain(rule.page);
    }
    const config = readFileSync(path.resolve(__dirname, '../config/index.ts'), 'utf8');
    expect(config).toContain("{ from: 'src/sitemap.json', to: 'dist/weapp/sitemap.json' }");
  });

  it('declares requiredPrivateInfos for exactly the location APIs the code calls', () => {
    const used = calledApis();
    expect(used.has('scanCode')).toBe(true); // the scan is found, so the scan for location APIs is real
    const needed = LOCATION_APIS.filter((api) => used.has(api));
    expect([...(app.requiredPrivateInfos ?? [])].sort()).toEqual([...needed].sort());
  });

  it('describes exactly the permission scopes the code asks for', () => {
    const used = calledApis();
    const needed = Object.entries(SCOPE_APIS)
      .filter(([, apis]) => apis.some((api) => used.has(api)))
      .map(([scope]) => scope);
    expect(Object.keys(app.permission ?? {}).sort()).toEqual(needed.sort());
    for (const { desc } of Object.values(app.permission ?? {})) {
      expect(desc.length).toBeGreaterThan(0);
      expect(desc.length).toBeLessThanOrEqual(30); // WeChat's limit
    }
  });
});
