import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  root: 'client',
  publicDir: '../public',
  build: { outDir: '../dist/client', emptyOutDir: true, target: 'es2022', sourcemap: true },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/healthz': 'http://127.0.0.1:8080',
      '/sip': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
  plugins: [
    VitePWA({
      strategies: 'injectManifest',
      srcDir: '.',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      injectManifest: {
        rollupFormat: 'iife',
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
      },
      manifest: {
        id: '/',
        name: 'Linegate',
        short_name: 'Linegate',
        description: "Your company's phone lines in the browser.",
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        // An installed app opens tel: and sip: links in its dial view (issue #6).
        protocol_handlers: [
          { protocol: 'tel', url: '/?dial=%s' },
          { protocol: 'sip', url: '/?dial=%s' },
        ],
        shortcuts: [
          {
            name: 'Dial pad',
            short_name: 'Dial',
            url: '/#/phone',
            icons: [{ src: '/icons/icon-192.png', sizes: '192x192' }],
          },
          {
            name: 'Journal',
            short_name: 'Journal',
            url: '/#/journal',
            icons: [{ src: '/icons/icon-192.png', sizes: '192x192' }],
          },
        ],
        categories: ['business', 'productivity'],
        background_color: '#ffffff',
        theme_color: '#0b5cad',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          {
            src: '/icons/icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
    }),
  ],
});
