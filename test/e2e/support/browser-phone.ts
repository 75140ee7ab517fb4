/**
 * Browser phones for end-to-end tests: Debian's headless Chromium (driven by
 * playwright-core, never a downloaded browser) running the real JsSIP against
 * the gateway's /sip WebSocket, with a fake microphone that plays a sine tone
 * and an AnalyserNode that tells what the browser hears.
 *
 *   const browser = await launchBrowser({ toneHz: 1000 });
 *   const alice = await browser.newPhone({ wsUrl, username: 'alice', password: 'secret-a' });
 *   await alice.register();
 *   await alice.call('bob');
 *   await alice.waitEvent('confirmed');
 *   const heard = await alice.listen(); // { dominantHz, level, ... }
 *   await browser.close();
 *
 * The page (browser-phone-page.ts + JsSIP) is bundled by esbuild in memory and
 * served by a small HTTP server on 127.0.0.1 (a secure context, so
 * getUserMedia works). Each phone is a page in its own browser context; one
 * browser has one fake-microphone tone, so use one browser per tone.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
} from 'playwright-core';
import { BrowserPhone, type PhoneOptions } from './browser-phone-remote.ts';

export { describeEvent } from './browser-phone-events.ts';
export {
  BrowserPhone,
  RegistrationError,
  type ListenOptions,
  type PhoneOptions,
  type SessionOption,
  type WaitOptions,
} from './browser-phone-remote.ts';
export type {
  CallEvent,
  CallEventName,
  CallEventOf,
  Codec,
  DtmfTransport,
  ListenResult,
  MediaStats,
  SelfTestResult,
  SipHeaders,
} from './browser-phone-types.ts';
export { audioCodecNames, restrictCodecs } from './browser-phone-sdp.ts';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export interface LaunchOptions {
  /** Fake microphone tone in Hz, an integer (it loops seamlessly); 0 = silence. Default 1000. */
  toneHz?: number;
  /** Peak amplitude of the tone, 0..1 (default 0.5: RMS 0.354, -9 dBFS). */
  amplitude?: number;
}

export interface TestBrowser {
  readonly toneHz: number;
  /** The harness page's URL. */
  readonly pageUrl: string;
  /** Opens a page in a fresh browser context and connects its JsSIP UA (not registered yet). */
  newPhone(o: PhoneOptions): Promise<BrowserPhone>;
  /** A plain browser context (same fake microphone) for pages of the test's own choosing. */
  newContext(o?: BrowserContextOptions): Promise<BrowserContext>;
  /** Closes the phones (un-REGISTER, bounded), the browser, the page server; removes temp files. Never throws. */
  close(): Promise<void>;
}

const SAMPLE_RATE = 48_000;

/** One second of a sine tone, WAV PCM 16-bit mono 48 kHz (what Chromium's fake capture loops). */
export function toneWav(hz: number, amplitude = 0.5, seconds = 1): Buffer {
  const samples = Math.round(SAMPLE_RATE * seconds);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(SAMPLE_RATE, 24);
  wav.writeUInt32LE(SAMPLE_RATE * 2, 28); // byte rate
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    const v = amplitude * Math.sin((2 * Math.PI * hz * i) / SAMPLE_RATE);
    wav.writeInt16LE(Math.round(v * 32767), 44 + 2 * i);
  }
  return wav;
}

let bundled: Promise<string> | undefined;

/** The page script: browser-phone-page.ts with JsSIP, one IIFE, built once per process. */
export function pageScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [fileURLToPath(new URL('./browser-phone-page.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    sourcemap: 'inline',
    logLevel: 'silent',
  }).then((r) => {
    const [out] = r.outputFiles;
    if (!out) throw new Error('esbuild produced no output');
    return out.text;
  });
  bundled.catch(() => (bundled = undefined));
  return bundled;
}

const PAGE_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>Linegate test phone</title></head>' +
  '<body><script src="/phone.js"></script></body></html>';

async function serve(script: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/')
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE_HTML);
    else if (path === '/phone.js')
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    else if (path === '/favicon.ico') res.writeHead(204).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return server;
}

function chromiumArgs(wav: string): string[] {
  return [
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${wav}`,
    '--autoplay-policy=no-user-gesture-required',
    '--allow-loopback-in-peer-connection',
  ];
}

/** Starts headless Chromium with a fake microphone playing `toneHz`. */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<TestBrowser> {
  const toneHz = opts.toneHz ?? 1000;
  if (!Number.isInteger(toneHz) || toneHz < 0 || toneHz > 20_000) {
    throw new RangeError(`toneHz must be an integer 0..20000, not ${toneHz}`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'linegate-browser-'));
  let server: Server | undefined;
  let browser: Browser | undefined;
  const phones = new Set<BrowserPhone>();
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await Promise.all([...phones].map((p) => p.close()));
      await browser?.close().catch(() => undefined);
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server?.close(() => resolve()));
      }
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    })());
  try {
    const wav = join(dir, `tone-${toneHz}.wav`);
    await writeFile(wav, toneWav(toneHz, opts.amplitude ?? 0.5));
    server = await serve(await pageScript());
    const pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    // Chromium's own temp files go to our dir; playwright removes its profile dir on close.
    env['TMPDIR'] = dir;
    const b = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: chromiumArgs(wav),
      env,
      timeout: 30_000,
    });
    browser = b;
    b.on('disconnected', () => {
      for (const p of phones) p.die('the browser went away', closing !== undefined);
    });
    return {
      toneHz,
      pageUrl,
      newContext: (o) => b.newContext(o),
      async newPhone(o) {
        const phone = await BrowserPhone.open(await b.newContext(), pageUrl, o);
        phones.add(phone);
        return phone;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
