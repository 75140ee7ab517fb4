/**
 * The PWA in a test's Chromium: open the built app served by the gateway,
 * sign in through the form, read the phone facade the app exposes with
 * ?e2e=1 (client/phone/index.ts), and measure what it hears.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { pollUntil } from '../../pbx/sys.ts';
import type { CallWorld } from './call-world.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** npm test builds the app before the e2e files; a lone run builds it here. */
export function ensureAppBuilt(): void {
  if (existsSync(`${ROOT}dist/client/index.html`)) return;
  const vite = `${ROOT}node_modules/vite/bin/vite.js`;
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT });
  assert.equal(r.status, 0, `vite build failed: ${String(r.stderr)}`);
}

/** Opens the app in a new context of the world's Chromium (closed by the caller via `contexts`). */
export async function openApp(
  w: CallWorld,
  contexts: BrowserContext[],
  viewport: { width: number; height: number },
  path = '/?e2e=1',
): Promise<Page> {
  const browser = await w.browser();
  const context = await browser.newContext({ viewport, permissions: ['microphone'] });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${w.base}${path}`);
  return page;
}

/** Signs in with the form (password "pw-<username>", as call-world configures). */
export async function signIn(page: Page, username = 'alice'): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(`pw-${username}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 15_000 });
}

export interface PhoneState {
  calls: {
    id: string;
    state: string;
    held: boolean;
    remoteHeld: boolean;
    end?: { reason: string };
  }[];
}

/** The facade the app exposes with ?e2e=1 (client/phone/index.ts). */
export function phoneState(page: Page): Promise<PhoneState> {
  return page.evaluate(() => {
    const phone = (globalThis as unknown as { __linegatePhone: PhoneState }).__linegatePhone;
    return { calls: phone.calls.map((c) => ({ ...c })) };
  });
}

/** The few browser APIs the page-side measurement uses (the test's tsconfig has no DOM lib). */
interface PageAudio {
  __linegatePhone: { calls: { id: string }[]; remoteStream(id: string): object | undefined };
  AudioContext: new () => {
    sampleRate: number;
    createAnalyser(): {
      fftSize: number;
      frequencyBinCount: number;
      getFloatFrequencyData(a: Float32Array): void;
      getFloatTimeDomainData(a: Float32Array): void;
    };
    createMediaStreamSource(s: object): { connect(n: object): void };
    close(): Promise<void>;
  };
}

export async function waitCall(
  page: Page,
  pred: (s: PhoneState) => boolean,
  what: string,
): Promise<void> {
  const ok = await pollUntil(async () => pred(await phoneState(page)), 15_000, 100);
  assert.ok(ok, `${what}: ${JSON.stringify(await phoneState(page))}`);
}

/**
 * Dominant frequency of the call's remote audio, measured in the page with
 * an AnalyserNode over 1.2 s — once sound arrives (above -60 dBFS, waiting
 * up to 5 s: on a loaded machine the first packets can trail the call's
 * "active" by a second), so the window holds the call's audio, not the
 * silence before it.
 */
export async function heardHz(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const g = globalThis as unknown as PageAudio;
    const phone = g.__linegatePhone;
    const call = phone.calls.at(-1);
    const stream = call === undefined ? undefined : phone.remoteStream(call.id);
    if (stream === undefined) return -1;
    const ctx = new g.AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 8192;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    for (let waited = 0; waited < 5000; waited += 50) {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const v of samples) sum += v * v;
      if (Math.sqrt(sum / samples.length) > 0.001) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 1200));
    const bins = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(bins);
    let best = 0;
    for (let i = 1; i < bins.length; i++) if ((bins[i] ?? -1e9) > (bins[best] ?? -1e9)) best = i;
    const hz = (best * ctx.sampleRate) / analyser.fftSize;
    await ctx.close();
    return hz;
  });
}
