import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the API at /console/ (packages/api/src/http/console-static.ts). `pnpm --filter @quanzi/console dev`
// proxies the API from http://localhost:4000.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/graphql': 'http://localhost:4000', '/demo': 'http://localhost:4000' } },
});
