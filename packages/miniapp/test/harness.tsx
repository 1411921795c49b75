import { clock } from '../src/utils/clock';
import TestUtils from '@tarojs/test-utils-react';
import { act, type ComponentType } from 'react';
import { Current, getPageInstance } from '@tarojs/runtime';
import { session, type Viewer } from '../src/state/session';
import { tillMember } from '../src/state/till';
import { choosePayStore } from '../src/state/pay';
import { currentTab } from '../src/state/tabs';
import { api } from './fake-api';

export { api, fail, OFFLINE, pending } from './fake-api';

/** Mounts a page or component with Taro's H5 runtime (components are Taro's web components) in jsdom. */
const mounted: TestUtils[] = [];

export async function mount(ui: ComponentType<object>): Promise<TestUtils> {
  const t = new TestUtils();
  mounted.push(t);
  await act(async () => {
    await t.mount(ui, {});
  });
  await flush();
  return t;
}

/** Lets pending promises and React updates settle. */
export async function flush(ms = 0): Promise<void> {
  const fake = typeof (setTimeout as unknown as { clock?: unknown }).clock === 'object';
  await act(async () => {
    if (fake) {
      jest.advanceTimersByTime(ms);
      await Promise.resolve();
    } else {
      await new Promise((r) => setTimeout(r, ms));
    }
  });
}

export const text = (): string => document.body.textContent ?? '';

/** Waits until the page shows `s` (or matches the regexp). */
export async function waitForText(s: string | RegExp, timeout = 3000): Promise<void> {
  const start = Date.now();
  for (;;) {
    const t = text();
    if (typeof s === 'string' ? t.includes(s) : s.test(t)) return;
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${String(s)}; page shows:\n${t}`);
    await flush(10);
  }
}

/** The innermost element whose text is exactly `s`, else the innermost that contains it. */
export function byText(s: string): HTMLElement {
  const all = Array.from(document.body.querySelectorAll<HTMLElement>('*')).filter((el) => el.textContent?.includes(s));
  const innermost = (match: (e: HTMLElement) => boolean) =>
    all.filter(match).find((e) => !Array.from(e.children).some((c) => match(c as HTMLElement)));
  const el = innermost((e) => e.textContent?.trim() === s) ?? innermost((e) => !!e.textContent?.includes(s));
  if (!el) throw new Error(`no element with text ${s}; page shows:\n${text()}`);
  return el;
}

/** Clicks the element showing `s` (the event bubbles to the Taro component's handler), then settles. */
export async function click(s: string | HTMLElement): Promise<void> {
  const el = typeof s === 'string' ? byText(s) : s;
  await act(async () => {
    el.click();
  });
  await flush();
}

export function $(selector: string): HTMLElement {
  const el = document.body.querySelector<HTMLElement>(selector);
  if (!el) throw new Error(`no element ${selector}; page shows:\n${text()}`);
  return el;
}

/** Types into a Taro <Input> (found by its className). */
export async function type(className: string, value: string): Promise<void> {
  // Taro's <Input> is a web component that renders its inner <input> asynchronously, on an animation frame (real
  // time, also under fake timers).
  let target: HTMLInputElement | null = null;
  for (let i = 0; i < 100 && !target; i++) {
    const host = $(`.${className}`);
    target = host.tagName === 'INPUT' ? (host as HTMLInputElement) : host.querySelector('input');
    if (!target) {
      await flush(10);
      await act(() => new Promise<void>((r) => requestAnimationFrame(() => r())));
    }
  }
  if (!target) throw new Error(`no <input> inside .${className}`);
  const input = target;
  await act(async () => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await flush();
}

/** Fires a page lifecycle (hooks outside a routed page attach to Taro's app-level instance). */
export async function firePage(lifecycle: 'onPullDownRefresh' | 'onReachBottom' | 'onShow'): Promise<void> {
  const inst = getPageInstance('taro-app') as unknown as Record<string, unknown> | undefined;
  const fns = inst?.[lifecycle];
  await act(async () => {
    (Array.isArray(fns) ? fns : typeof fns === 'function' ? [fns] : []).forEach((f: () => void) => f());
  });
  await flush();
}

export const MEMBER_VIEWER: Viewer = { userId: '1', roles: [], staffStores: [] };

export function signIn(viewer: Viewer = MEMBER_VIEWER, token = 'test-token'): void {
  act(() => session.signIn(token, viewer));
}

/** Unmounts every mounted tree (the session and stores stay). */
export function unmountAll(): void {
  for (const t of mounted.splice(0)) act(() => t.unmout());
  document.body.innerHTML = '';
}

/** The page's query parameters as Taro's router would hand them over (`useRouter().params`). */
export function openWith(params: Record<string, string>, path = '/'): void {
  Current.router = { params, path, onReady: '', onHide: '', onShow: '' } as typeof Current.router;
}

export function resetAll(): void {
  unmountAll();
  clock.reset();
  api.reset();
  Current.router = null;
  act(() => {
    session.signOut();
    tillMember.set(null);
    choosePayStore(null);
    currentTab.set('card');
  });
  document.body.innerHTML = '';
}
