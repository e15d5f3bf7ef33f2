import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Tauri serves ui/dist through its own protocol with a strict CSP (no inline styles or scripts,
// fonts from 'self' only), so assets are never inlined as data: URLs.
export default defineConfig({
  base: './',
  plugins: [react()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
