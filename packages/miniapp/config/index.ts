import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

/** @quanzi/shared is consumed from source (TypeScript): compile it like our own files. */
const SHARED_SRC = path.resolve(__dirname, '../../shared');

/**
 * Taro build configuration (webpack5 runner). Outputs go to dist/weapp and dist/h5; the API serves dist/h5 at /.
 * The API URL comes from TARO_APP_API_URL at build time (see src/env.ts for the defaults).
 */
export default defineConfig<'webpack5'>(() => {
  const env = process.env.TARO_ENV ?? 'weapp';
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'quanzi-miniapp',
    date: '2026-11-23',
    // NutUI's styles are written for a 375 px design; ours too.
    designWidth: 375,
    deviceRatio: { 375: 2, 640: 2.34 / 2, 750: 1, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${env}`,
    plugins: [],
    env: {
      TARO_APP_API_URL: JSON.stringify(process.env.TARO_APP_API_URL ?? ''),
    },
    defineConstants: {},
    // weapp: the sitemap (app.json sitemapLocation) is a plain file Taro doesn't emit by itself.
    copy: { patterns: env === 'weapp' ? [{ from: 'src/sitemap.json', to: 'dist/weapp/sitemap.json' }] : [], options: {} },
    framework: 'react',
    // No prebundle: it would run esbuild + module federation, which the offline production build doesn't need.
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    logger: { quiet: true, stats: false },
    mini: {
      compile: { include: [SHARED_SRC] },
      // Per-component NutUI CSS is imported in different orders by different pages; the order doesn't matter.
      miniCssExtractPluginOption: { ignoreOrder: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      optimizeMainPackage: { enable: true },
    },
    h5: {
      publicPath: '/',
      compile: { include: [SHARED_SRC] },
      staticDirectory: 'static',
      router: { mode: 'hash' },
      // `dev:h5` serves with full reloads (no React fast refresh, which would need two more dev dependencies).
      // The API (pnpm start) answers /graphql and /demo/* on :4000.
      devServer: {
        hot: false,
        port: 10086,
        proxy: [{ context: ['/graphql', '/demo'], target: 'http://localhost:4000' }],
      },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      // Pages load as async chunks on H5: share their common modules (React, Taro components, NutUI, shared)
      // instead of repeating them in every page chunk.
      webpackChain(chain) {
        const split = chain.optimization.get('splitChunks');
        if (split) chain.optimization.splitChunks({ ...split, chunks: 'all' });
        chain.performance.hints(false);
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  };
  return config;
});
