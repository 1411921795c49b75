// `@tarojs/taro` in tests: Taro's H5 implementation (the transformer adds the React hooks, as the H5 build does).
import taro from '@tarojs/taro-h5';
import * as Taro from '@tarojs/taro-h5';

export * from '@tarojs/taro-h5';
export default Object.assign(taro, Taro);
