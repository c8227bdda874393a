import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { parse } from 'yaml';
import { defineConfig, type Plugin } from 'vitest/config';

const openapiPath = fileURLToPath(new URL('../../docs/openapi.yaml', import.meta.url));

/** Ships the API contract with the app (as JSON, for the in-app API page, and as YAML). */
function openapiAssets(): Plugin {
  return {
    name: 'quiver-openapi',
    configureServer(server) {
      server.middlewares.use('/openapi.json', (_request, response) => {
        response.setHeader('Content-Type', 'application/json');
        response.end(JSON.stringify(parse(readFileSync(openapiPath, 'utf8'))));
      });
    },
    generateBundle() {
      const text = readFileSync(openapiPath, 'utf8');
      this.emitFile({ type: 'asset', fileName: 'openapi.yaml', source: text });
      this.emitFile({ type: 'asset', fileName: 'openapi.json', source: JSON.stringify(parse(text)) });
    },
  };
}

// In development the app talks to a running quiverd through this proxy (QUIVER_URL).
const quiverUrl = process.env.QUIVER_URL ?? 'http://127.0.0.1:8080';
const proxy = { '/api': { target: quiverUrl, changeOrigin: false } };

export default defineConfig({
  plugins: [react(), openapiAssets()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy },
  preview: { proxy },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
