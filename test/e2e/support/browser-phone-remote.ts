/**
 * The Node-side handle of one harness page (one JsSIP UA in its own browser
 * context): page calls with timeouts, JsSIP events with consumable waits, and
 * errors that say what the page saw.
 */
import type { BrowserContext, Page } from 'playwright-core';
import {
  PAGE_API,
  PAGE_EVENT_BINDING,
  type CallEvent,
  type CallEventName,
  type CallEventOf,
  type Codec,
  type DtmfTransport,
  type ListenResult,
  type MediaStats,
  type PageApi,
  type ReferOutcome,
  type SelfTestResult,
} from './browser-phone-types.ts';
import { describeEvent, EventLog } from './browser-phone-events.ts';

export interface PhoneOptions {
  /** The gateway's SIP WebSocket, ws://127.0.0.1:PORT/sip. */
  wsUrl: string;
  username: string;
  password: string;
  /** AOR domain (default 'linegate'; the gateway is the registrar for any host). */
  domain?: string;
  displayName?: string;
  /**
   * Codecs the browser sends in SDP (offers and answers), in this order, plus
   * telephone-event of a matching rate. Received offers are restricted too,
   * so Chromium's answer cannot choose another codec. Default: Chromium's list.
   */
  codecs?: Codec[];
  /** Name in error messages (default the username). */
  label?: string;
}

/** Selects one of the phone's calls; default the newest call that has not ended. */
export interface SessionOption {
  session?: number;
}

export interface WaitOptions<N extends CallEventName> extends SessionOption {
  /** Default 10 000 ms. */
  timeoutMs?: number;
  match?: (event: CallEventOf<N>) => boolean;
}

export interface ListenOptions extends SessionOption {
  /** Measuring time, default 1000 ms. */
  ms?: number;
  /** How long to wait for sound (> -60 dBFS) before measuring, default 3000; 0 measures right away. */
  waitForSoundMs?: number;
}

export class RegistrationError extends Error {
  constructor(
    message: string,
    readonly event: CallEventOf<'registrationFailed'>,
  ) {
    super(message);
  }
}

const DEFAULT_WAIT_MS = 10_000;
const PAGE_CALL_MS = 15_000;

export class BrowserPhone {
  private readonly log = new EventLog((message) => this.failure(message));
  private readonly consoleErrors: string[] = [];
  private readonly startedAt = Date.now();
  private dead: Error | null = null;
  private closing: Promise<void> | null = null;

  private constructor(
    readonly label: string,
    /** The page, for experiments beyond this API (globalThis.JsSIP is JsSIP). */
    readonly page: Page,
    private readonly context: BrowserContext,
  ) {
    page.on('console', (m) => {
      if (m.type() === 'error') this.note(`console.error: ${m.text()}`);
    });
    page.on('pageerror', (err) => this.note(`page error: ${err.message}`));
    page.on('crash', () => this.die('the page crashed'));
    page.on('close', () => this.die('the page was closed', true));
  }

  /** Loads the harness page and connects JsSIP's WebSocket (resolves on 'connected'). */
  static async open(context: BrowserContext, url: string, o: PhoneOptions): Promise<BrowserPhone> {
    const page = await context.newPage();
    const phone = new BrowserPhone(o.label ?? o.username, page, context);
    try {
      await page.exposeFunction(PAGE_EVENT_BINDING, (e: CallEvent) => phone.log.push(e));
      await page.goto(url);
      await phone.invoke('start', [
        {
          wsUrl: o.wsUrl,
          uri: `sip:${o.username}@${o.domain ?? 'linegate'}`,
          password: o.password,
          displayName: o.displayName ?? null,
          codecs: o.codecs ?? null,
          userAgent: 'JsSIP (Linegate browser test)',
        },
      ]);
      await phone.waitEvent('connected');
      return phone;
    } catch (err) {
      await phone.close();
      throw err;
    }
  }

  /** REGISTER; resolves on 'registered', throws RegistrationError on 'registrationFailed'. */
  async register(timeoutMs = DEFAULT_WAIT_MS): Promise<CallEventOf<'registered'>> {
    await this.invoke('register', []);
    const e = await this.log.waitFor(
      ['registered', 'registrationFailed'],
      () => true,
      timeoutMs,
      'registered or registrationFailed',
    );
    if (e.name === 'registered') return e;
    if (e.name !== 'registrationFailed') throw new Error('unreachable');
    const status =
      e.statusCode === null ? 'no response' : `${e.statusCode} ${e.reasonPhrase ?? ''}`;
    throw new RegistrationError(`${this.label}: registration failed: ${e.cause} (${status})`, e);
  }

  /** un-REGISTER; resolves on 'unregistered'. */
  async unregister(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    await this.invoke('unregister', []);
    await this.waitEvent('unregistered', timeoutMs);
  }

  /** Starts a call (returns once JsSIP created the session) and returns its session number. */
  call(
    target: string,
    o: { extraHeaders?: string[]; dtmfTransport?: DtmfTransport } = {},
  ): Promise<number> {
    return this.invoke('call', [
      target,
      { extraHeaders: o.extraHeaders ?? [], dtmfTransport: o.dtmfTransport ?? null },
    ]);
  }

  /** Answers an incoming call (default the newest); returns its session number. */
  answer(o: SessionOption & { extraHeaders?: string[] } = {}): Promise<number> {
    return this.invoke('answer', [o.session ?? null, { extraHeaders: o.extraHeaders ?? [] }]);
  }

  /** session.terminate(): CANCEL, reject (480 unless `status`) or BYE, whatever fits the state. */
  hangup(o: SessionOption & { status?: number } = {}): Promise<void> {
    return this.invoke('hangup', [o.session ?? null, o.status ?? null]);
  }

  /** Puts the call on hold; resolves when the re-INVITE got its 2xx. */
  hold(o: SessionOption = {}): Promise<void> {
    return this.invoke('hold', [o.session ?? null]);
  }

  unhold(o: SessionOption = {}): Promise<void> {
    return this.invoke('unhold', [o.session ?? null]);
  }

  /** Default transport: the call's dtmfTransport, else INFO. */
  sendDtmf(
    tones: string,
    o: SessionOption & { transport?: DtmfTransport; durationMs?: number } = {},
  ): Promise<void> {
    return this.invoke('sendDtmf', [
      o.session ?? null,
      tones,
      o.transport ?? null,
      o.durationMs ?? null,
    ]);
  }

  /** Blind transfer of the call to `target` (REFER); resolves with JsSIP's outcome. */
  transfer(target: string, o: SessionOption & { timeoutMs?: number } = {}): Promise<ReferOutcome> {
    const timeoutMs = o.timeoutMs ?? 10_000;
    return this.invoke('refer', [o.session ?? null, target, timeoutMs], timeoutMs + PAGE_CALL_MS);
  }

  sendInfo(contentType: string, body: string, o: SessionOption = {}): Promise<void> {
    return this.invoke('sendInfo', [o.session ?? null, contentType, body]);
  }

  /**
   * What the browser hears from the call's remote track, through an
   * AnalyserNode (the track also plays in a muted <audio>, without which
   * Chromium decodes nothing). A number is the measuring time in ms.
   */
  listen(o: number | ListenOptions = {}): Promise<ListenResult> {
    const opts: ListenOptions = typeof o === 'number' ? { ms: o } : o;
    const ms = opts.ms ?? 1000;
    const waitMs = opts.waitForSoundMs ?? 3000;
    return this.invoke('listen', [opts.session ?? null, ms, waitMs], ms + waitMs + PAGE_CALL_MS);
  }

  /**
   * Polls the analyser (every 20 ms) until the last ~190 ms of the remote
   * audio were sound (waitSound) or silence (waitSilence), above/below
   * -60 dBFS; resolves with the time it took, throws after timeoutMs (default 5000).
   */
  waitSound(o: SessionOption & { timeoutMs?: number } = {}): Promise<number> {
    return this.waitLevel('sound', o);
  }

  waitSilence(o: SessionOption & { timeoutMs?: number } = {}): Promise<number> {
    return this.waitLevel('silence', o);
  }

  private async waitLevel(
    want: 'sound' | 'silence',
    o: SessionOption & { timeoutMs?: number },
  ): Promise<number> {
    const timeoutMs = o.timeoutMs ?? 5000;
    const r = await this.invoke(
      'waitLevel',
      [o.session ?? null, want, timeoutMs],
      timeoutMs + PAGE_CALL_MS,
    );
    if (!r.reached) {
      throw this.failure(`no ${want} within ${timeoutMs} ms (level ${r.level.toFixed(4)} RMS)`);
    }
    return r.ms;
  }

  /** getStats of the call's peer connection. */
  mediaStats(o: SessionOption = {}): Promise<MediaStats> {
    return this.invoke('mediaStats', [o.session ?? null]);
  }

  /** Polls mediaStats until `packets` (default 10) were both sent and received. */
  async waitMedia(
    o: SessionOption & { packets?: number; timeoutMs?: number } = {},
  ): Promise<MediaStats> {
    const packets = o.packets ?? 10;
    const until = Date.now() + (o.timeoutMs ?? DEFAULT_WAIT_MS);
    let last: MediaStats | null = null;
    while (Date.now() < until) {
      last = await this.mediaStats(o);
      if (last.packetsSent >= packets && last.packetsReceived >= packets) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw this.failure(`media did not flow (${packets} packets each way)`, JSON.stringify(last));
  }

  /**
   * Checks the measuring chain without a call: the fake microphone straight
   * into the analyser ('direct') or through a local RTCPeerConnection pair
   * ('loopback', offer restricted to `codecs` like the phone's SDP).
   */
  selfTest(
    o: { via?: 'direct' | 'loopback'; codecs?: Codec[]; ms?: number; waitMs?: number } = {},
  ): Promise<SelfTestResult> {
    const ms = o.ms ?? 1000;
    const waitMs = o.waitMs ?? 5000;
    const opts = { via: o.via ?? 'direct', codecs: o.codecs ?? null, ms, waitMs } as const;
    return this.invoke('selfTest', [opts], ms + waitMs + PAGE_CALL_MS);
  }

  /** Every event so far, oldest first. */
  events(): CallEvent[] {
    return this.log.all();
  }

  /**
   * The oldest event of that name not yet returned by a wait (so a wait made
   * after the fact still sees it, and each event is returned once), else the
   * next one to come. A number is the timeout in ms.
   */
  waitEvent<N extends CallEventName>(
    name: N,
    o: number | WaitOptions<N> = {},
  ): Promise<CallEventOf<N>> {
    const opts: WaitOptions<N> = typeof o === 'number' ? { timeoutMs: o } : o;
    const test = (e: CallEvent): boolean =>
      (opts.session === undefined || ('session' in e && e.session === opts.session)) &&
      (opts.match?.(e as CallEventOf<N>) ?? true);
    const what = opts.session === undefined ? `'${name}'` : `'${name}' of call #${opts.session}`;
    return this.log.waitFor([name], test, opts.timeoutMs ?? DEFAULT_WAIT_MS, what) as Promise<
      CallEventOf<N>
    >;
  }

  /** Stops the UA (un-REGISTER, bounded) and closes the page. Never throws. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (!this.dead) await this.invoke('stop', [2000], 4000).catch(() => undefined);
      this.die('the phone was closed', true);
      await this.context.close().catch(() => undefined);
    })();
    return this.closing;
  }

  /**
   * Rejects every pending and future wait (page crash, page or browser gone).
   * `closed`: an orderly end; waits pending then reject without counting as
   * unhandled if nobody awaits them any more.
   */
  die(reason: string, closed = false): void {
    this.dead ??= new Error(reason);
    this.log.close(reason, closed);
  }

  private note(line: string): void {
    this.consoleErrors.push(line);
    if (this.consoleErrors.length > 10) this.consoleErrors.shift();
  }

  /** Calls PageApi[method](...args) in the page, bounded by timeoutMs and the page's death. */
  private async invoke<M extends keyof PageApi>(
    method: M,
    args: Parameters<PageApi[M]>,
    timeoutMs = PAGE_CALL_MS,
  ): Promise<Awaited<ReturnType<PageApi[M]>>> {
    if (this.dead) throw this.failure(`${method}(): ${this.dead.message}`);
    let timer: NodeJS.Timeout | undefined;
    const work = this.page.evaluate(
      ({ name, method, args }) => {
        const api = (globalThis as unknown as Record<string, PageApi>)[name];
        if (!api) throw new Error('the harness page script did not load');
        const fn = api[method] as (...a: unknown[]) => unknown;
        return fn.apply(api, args);
      },
      { name: PAGE_API, method, args },
    );
    const expiry = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return (await Promise.race([work, expiry])) as Awaited<ReturnType<PageApi[M]>>;
    } catch (err) {
      const message = err instanceof Error ? err.message.replace(/^page\.evaluate: /, '') : err;
      throw this.failure(`${method}() failed: ${String(message).split('\n')[0] ?? ''}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** An error naming the phone, with the events seen so far and the page's last errors. */
  private failure(message: string, detail?: string): Error {
    const seen = this.log.all();
    const events = seen.slice(-40).map((e) => `  +${e.at - this.startedAt}ms ${describeEvent(e)}`);
    return new Error(
      [
        `${this.label}: ${message}`,
        ...(detail === undefined ? [] : [`  ${detail}`]),
        `events so far (${seen.length}):`,
        ...(events.length > 0 ? events : ['  (none)']),
        `last page errors:`,
        ...(this.consoleErrors.length > 0 ? this.consoleErrors.map((l) => `  ${l}`) : ['  (none)']),
      ].join('\n'),
    );
  }
}
