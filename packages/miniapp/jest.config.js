// Component tests under jsdom with @tarojs/test-utils-react: Taro's H5 runtime and components stand in for the
// mini-program. Own config (the root jest.base.js is for node packages).
process.env.TARO_ENV = 'h5';
process.env.TARO_PLATFORM = 'web';

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testEnvironmentOptions: { url: 'http://localhost/', customExportConditions: ['node', 'node-addons'] },
  testMatch: ['<rootDir>/test/**/*.test.{ts,tsx}'],
  setupFiles: ['<rootDir>/test/setup-env.js'],
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  transform: { '^.+\\.(mjs|cjs|js|jsx|ts|tsx)$': '<rootDir>/test/babel-transformer.js' },
  // Taro, NutUI, Stencil and their helpers ship ESM (pnpm path: node_modules/.pnpm/<name>@<v>/node_modules/<name>):
  // transform node_modules except the big CommonJS packages (jest caches the rest after the first run).
  transformIgnorePatterns: ['/node_modules/\\.pnpm/(react|react-dom|scheduler|lodash|core-js|core-js-pure|@babel\\+runtime|jsdom)@'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'jsx', 'json'],
  moduleNameMapper: {
    '^@tarojs/taro$': '<rootDir>/test/taro-runtime.js',
    '^@tarojs/components$': '@tarojs/components/lib/react/index',
    '\\.(css|scss|less)$': '<rootDir>/test/style-stub.js',
  },
  globals: {
    ENABLE_INNER_HTML: true,
    ENABLE_ADJACENT_HTML: true,
    ENABLE_SIZE_APIS: true,
    DEPRECATED_ADAPTER_COMPONENT: false,
    ENABLE_TEMPLATE_CONTENT: true,
    ENABLE_MUTATION_OBSERVER: true,
    ENABLE_CLONE_NODE: true,
    ENABLE_CONTAINS: true,
    __TARO_FRAMEWORK__: 'react',
  },
};
