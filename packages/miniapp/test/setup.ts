// Taro's API object must exist before @tarojs/router (pulled in by test-utils) initialises.
import '@tarojs/taro';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import { createH5NativeComponentConfig } from '@tarojs/plugin-framework-react/dist/runtime';

(globalThis as unknown as { React: typeof React; IS_REACT_ACT_ENVIRONMENT: boolean }).React = React;
(globalThis as unknown as { IS_REACT_ACT_ENVIRONMENT: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
// Gives Taro's page hooks (useDidShow, usePullDownRefresh, useReachBottom) their React outside a routed page: they
// then attach to the app-level instance, which the harness fires by hand.
createH5NativeComponentConfig(null as never, React, ReactDOM);

// test-utils-react still calls react-dom/test-utils' act; React 18.3 warns about it once per test.
const consoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('ReactDOMTestUtils.act')) return;
  consoleError(...args);
};

// jsdom has no IntersectionObserver; Taro's H5 <Image lazyLoad> uses it to start loading once on screen. Here
// everything counts as on screen at once.
class OnScreenObserver {
  constructor(private readonly cb: (entries: { isIntersecting: boolean; intersectionRatio: number; target: Element }[]) => void) {}
  observe(target: Element): void {
    this.cb([{ isIntersecting: true, intersectionRatio: 1, target }]);
  }
  unobserve(): void {}
  disconnect(): void {}
  takeRecords(): [] {
    return [];
  }
}
(globalThis as unknown as { IntersectionObserver: unknown }).IntersectionObserver ??= OnScreenObserver;
