/**
 * Renders public/icons/*.png from public/icons/icon.svg with Debian's Chromium
 * (run by hand after changing the SVG: `npx tsx scripts/make-icons.ts`).
 * The maskable icon keeps the glyph inside the 80 % safe zone on a
 * full-bleed background (W3C Web App Manifest, "maskable" purpose).
 */
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync('public/icons/icon.svg', 'utf8');
const maskable = svg
  .replace('rx="112"', 'rx="0"')
  .replace('<path', '<g transform="translate(76.8 76.8) scale(0.7)"><path')
  .replace('/>\n</svg>', '/></g>\n</svg>');

const targets: [file: string, size: number, source: string][] = [
  ['icon-192.png', 192, svg],
  ['icon-512.png', 512, svg],
  ['icon-maskable-512.png', 512, maskable],
  ['apple-touch-icon.png', 180, maskable],
];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  for (const [file, size, source] of targets) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{width:${size}px;height:${size}px;display:block}</style>${source}`,
    );
    await page.screenshot({ path: `public/icons/${file}`, omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
