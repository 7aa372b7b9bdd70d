// Vite: builds the console into dist/ (served by `callq serve` from [api] web_root), and in
// development proxies /api (HTTP and the WebSocket stream) to a running callq.
import { defineConfig } from 'vitest/config';

const api = process.env.CALLQ_API ?? 'http://127.0.0.1:18080';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 400,
    reportCompressedSize: false,
  },
  server: {
    proxy: {
      '/api': {
        target: api,
        ws: true,
        changeOrigin: true,
        // The stream refuses a foreign Origin: present the server's own.
        configure: (proxy) => {
          proxy.on('proxyReqWs', (proxyReq) => proxyReq.setHeader('Origin', api));
        },
      },
    },
  },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
