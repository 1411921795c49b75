import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';

// jsdom lacks what Ant Design's responsive utilities read.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({ matches: false, media: query, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false }),
});
window.getComputedStyle = ((orig) => (el: Element) => orig(el))(window.getComputedStyle);
// …and what tables and popovers observe (no layout in jsdom: nothing to report).
if (!('ResizeObserver' in window)) {
  class NoResizeObserver { observe() {} unobserve() {} disconnect() {} }
  Object.defineProperty(window, 'ResizeObserver', { writable: true, value: NoResizeObserver });
  Object.defineProperty(globalThis, 'ResizeObserver', { writable: true, value: NoResizeObserver });
}
afterEach(() => cleanup());
