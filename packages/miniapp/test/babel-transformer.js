// babel-jest for the component tests: TS/TSX + React (automatic runtime) + CommonJS, NutUI per-component imports,
// and Taro's React hooks (useDidShow, usePullDownRefresh, …) injected into the H5 API object like the real build.
const path = require('node:path');
const babelJest = require('babel-jest');
const apiLoader = require('@tarojs/plugin-framework-react/dist/api-loader.js');

const transformer = (babelJest.default ?? babelJest).createTransformer({
  configFile: false,
  babelrc: false,
  presets: [
    [require.resolve('@babel/preset-env'), { targets: { node: 'current' }, modules: 'commonjs' }],
    [require.resolve('@babel/preset-react'), { runtime: 'automatic' }],
    require.resolve('@babel/preset-typescript'),
  ],
  plugins: [[require.resolve('babel-plugin-import'), require('../config/nutui-import'), 'nutui-react-taro']],
});

const RUNTIME = path.join(__dirname, 'taro-runtime.js');

module.exports = {
  ...transformer,
  process(source, file, options) {
    return transformer.process(file === RUNTIME ? apiLoader(source) : source, file, options);
  },
  processAsync(source, file, options) {
    return transformer.processAsync(file === RUNTIME ? apiLoader(source) : source, file, options);
  },
  getCacheKey(source, file, options) {
    return transformer.getCacheKey(file === RUNTIME ? apiLoader(source) : source, file, options);
  },
};
