/**
 * PWA budget (issue #6): `npm run bench:pwa` builds the app (vite build),
 * prints one JSON object with the gzip size of the app shell (the JS, CSS
 * and HTML the first load needs, JsSIP included; the service worker apart)
 * and first paint / first contentful paint of the sign-in page in headless
 * Chromium on loopback, served by a gateway: 15 cold loads, each in a
 * fresh browser context, median and p95. Budget: ≤ 150 KB gzip, < 1 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { configSchema } from '../../gateway/config/schema.ts';
import { startGateway } from '../../gateway/gateway.ts';
import { createLogger } from '../../gateway/log.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist', 'client');
const LOADS = 15;

function build(): void {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT });
  if (r.status !== 0) throw new Error(`vite build failed: ${String(r.stderr)}`);
}

function shellSizes(): { files: Record<string, number>; gzipBytes: number; rawBytes: number } {
  const files: Record<string, number> = {};
  let gzipBytes = 0;
  let rawBytes = 0;
  const add = (rel: string) => {
    const data = readFileSync(join(DIST, rel));
    const gz = gzipSync(data, { level: 9 }).length;
    files[rel] = gz;
    gzipBytes += gz;
    rawBytes += data.length;
  };
  add('index.html');
  for (const f of readdirSync(join(DIST, 'assets'))) {
    if (/\.(js|css)$/.test(f) && statSync(join(DIST, 'assets', f)).isFile()) add(`assets/${f}`);
  }
  return { files, gzipBytes, rawBytes };
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN);
};

async function main(): Promise<void> {
  build();
  const size = shellSizes();
  const data = mkdtempSync(join(tmpdir(), 'lg-bench-pwa-'));
  const gw = await startGateway({
    config: configSchema.parse({ server: { port: 0 }, sip: { port: 0 }, data }),
    log: createLogger('silent'),
    staticDir: DIST,
  });
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const fp: number[] = [];
  const fcp: number[] = [];
  try {
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${gw.http.port}/`);
      await page.getByLabel('Username').waitFor();
      const paints = await page.evaluate(() =>
        (
          globalThis as unknown as {
            performance: { getEntriesByType(t: string): { name: string; startTime: number }[] };
          }
        ).performance
          .getEntriesByType('paint')
          .map((e) => [e.name, e.startTime] as const),
      );
      for (const [name, t] of paints) {
        if (name === 'first-paint') fp.push(t);
        if (name === 'first-contentful-paint') fcp.push(t);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await gw.stop();
    rmSync(data, { recursive: true, force: true });
  }
  console.log(
    JSON.stringify(
      {
        bench: 'pwa',
        machine: { cpu: cpus()[0]?.model ?? '?', cores: cpus().length, node: process.version },
        shell: {
          gzipKB: Math.round(size.gzipBytes / 102.4) / 10,
          rawKB: Math.round(size.rawBytes / 102.4) / 10,
          files: size.files,
          budgetKB: 150,
        },
        firstPaintMs: { median: pct(fp, 0.5), p95: pct(fp, 0.95) },
        firstContentfulPaintMs: { median: pct(fcp, 0.5), p95: pct(fcp, 0.95), budget: 1000 },
        loads: LOADS,
      },
      null,
      2,
    ),
  );
}

await main();
