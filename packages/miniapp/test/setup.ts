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
