// Before the test framework: the platform flags the build would define.
process.env.TARO_ENV = 'h5';
process.env.TARO_PLATFORM = 'web';
process.env.TARO_APP_API_URL = 'http://api.test/graphql';
globalThis.defineAppConfig = (c) => c;
globalThis.definePageConfig = (c) => c;
