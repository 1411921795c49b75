import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';

// jsdom lacks what Ant Design's responsive utilities read.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({ matches: false, media: query, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false }),
});
window.getComputedStyle = ((orig) => (el: Element) => orig(el))(window.getComputedStyle);
afterEach(() => cleanup());
