/**
 * Everything a call test needs, real and on loopback: the test PBX
 * (Kamailio) with baresip phones, a gateway started in-process with SIP
 * lines at that PBX and users owning them, and headless Chromium running
 * JsSIP against the gateway. One world per test file; stop() tears all
 * of it down whatever state it is in.
 *
 *   const w = await startCallWorld({ lines: '201-203', users: [{ username: 'alice', lines: ['pbx/201'] }] });
 *   const alice = await w.phone('alice');           // registered browser
 *   const bob = await w.pbx.addPhone('202', { toneHz: 440 });
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { JournalEntry, JournalPage } from '#shared/api.ts';
import { configSchema } from '../../../gateway/config/schema.ts';
import { startGateway, type Gateway } from '../../../gateway/gateway.ts';
import { createLogger } from '../../../gateway/log.ts';
import { startPbx, type Pbx } from '../../pbx/world.ts';
import { pollUntil } from '../../pbx/sys.ts';
import { launchBrowser, type BrowserPhone, type Codec, type TestBrowser } from './browser-phone.ts';

export interface WorldUser {
  readonly username: string;
  readonly lines: readonly string[];
  readonly mailbox?: string;
  /** May pick up colleagues' calls (users[].pickup). */
  readonly pickup?: boolean;
}

export interface CallWorldOptions {
  /** Lines of group "pbx" at the test PBX, e.g. "201-203" (passwords pw<ext>). */
  readonly lines: string;
  readonly users: readonly WorldUser[];
  /** The browser's microphone tone (default 1000 Hz). */
  readonly browserToneHz?: number;
  /** Line group codecs.client (default the schema's: opus, PCMA). */
  readonly clientCodecs?: readonly Codec[];
  /** Line group location (seed 004 "Standort"). */
  readonly location?: {
    readonly countryCode: string;
    readonly areaCode?: string;
    readonly outsideLine?: string;
    readonly pbxNumber?: string;
    readonly extensionDigits?: number;
    readonly dialAreaCodeLocally?: boolean;
  };
  /** Line group functions (seed 003 "Funktionen"); default all on. */
  readonly functions?: {
    readonly hold?: boolean;
    readonly transfer?: boolean;
    readonly dtmf?: boolean;
    readonly secondCall?: boolean;
  };
  /** Line group profile (config/profiles.ts): its feature codes and pickup code. */
  readonly profile?: 'generic' | 'hfo-crown-centrex';
  /** Line group pickupCode, e.g. "*8<NUMBER>". */
  readonly pickupCode?: string;
  /** Line group mailboxForwarding (seed 002). */
  readonly mailboxForwarding?: boolean;
  /**
   * More line groups at the same PBX, with their own lines (e.g. "203") and
   * decline settings; users name their lines "<id>/<ext>".
   */
  readonly moreGroups?: readonly {
    readonly id: string;
    readonly lines: string;
    readonly decline?: CallWorldOptions['decline'];
  }[];
  /** Line group decline settings (seed 003); default the schema's. */
  readonly decline?: {
    readonly noClient?: 486 | 480 | 603 | 180;
    readonly byClient?: 'clientChoice' | 486 | 480 | 603 | 180;
    readonly hideDeclineButton?: boolean;
  };
}

export interface LogRecord {
  /** pino's level label ("debug", "info", "warn", "error", "fatal"). */
  readonly level: string;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export interface CallWorld {
  readonly pbx: Pbx;
  /** The running gateway (a new object after restartGateway()). */
  readonly gateway: Gateway;
  /** Stops the gateway and starts it again on the same ports and database (a deploy, a crash). */
  restartGateway(): Promise<void>;
  readonly wsUrl: string;
  /** Gateway log records so far. */
  readonly logs: LogRecord[];
  /** A browser page registered as `username` (password "pw-<username>"); Chromium starts on first use. */
  phone(username: string, opts?: { codecs?: Codec[] }): Promise<BrowserPhone>;
  /** The test's Chromium (started on first use), for pages of the test's own. */
  browser(): Promise<TestBrowser>;
  /** The gateway's HTTP base ("http://127.0.0.1:PORT"); the same after restartGateway(). */
  readonly base: string;
  /** Signs `username` in over the session API; the session cookie ("lg_session=…"). */
  signIn(username: string): Promise<string>;
  /** The user's journal (GET /api/journal?limit=200), newest first. */
  journal(cookie: string, query?: string): Promise<readonly JournalEntry[]>;
  /** Polls the gateway log for a record. */
  waitLog(match: (r: LogRecord) => boolean, timeoutMs?: number): Promise<LogRecord>;
  stop(): Promise<void>;
}

export async function startCallWorld(opts: CallWorldOptions): Promise<CallWorld> {
  const parts: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const p of parts.reverse()) await p().catch(() => undefined);
    parts.length = 0;
  };
  try {
    const pbx = await startPbx();
    parts.push(() => pbx.stop());
    const rtp = await pbx.reservePorts({ count: 40 });
    const data = mkdtempSync(join(tmpdir(), 'lg-calls-'));
    parts.push(() => {
      rmSync(data, { recursive: true, force: true });
      return Promise.resolve();
    });
    const logs: LogRecord[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (line.length > 0) logs.push(JSON.parse(line) as LogRecord);
        }
        done();
      },
    });
    const allLines = [opts.lines, ...(opts.moreGroups ?? []).map((g) => g.lines)].flatMap(expand);
    const config = configSchema.parse({
      server: { port: 0 },
      sip: { port: 0, timers: { t1: 500 } },
      media: { rtpPorts: [rtp, rtp + 39], workers: 1 },
      data,
      lineGroups: [
        {
          id: 'pbx',
          registrar: { host: '127.0.0.1', port: pbx.port },
          registerDelayMs: 0,
          natRefreshSeconds: 0,
          // Kamailio's built-in accounts have password pw<ext>.
          lines: expand(opts.lines).map((ext) => ({ usernames: ext, password: `pw${ext}` })),
          ...(opts.clientCodecs === undefined ? {} : { codecs: { client: opts.clientCodecs } }),
          ...(opts.decline === undefined ? {} : { decline: opts.decline }),
          ...(opts.location === undefined ? {} : { location: opts.location }),
          ...(opts.pickupCode === undefined ? {} : { pickupCode: opts.pickupCode }),
          ...(opts.profile === undefined ? {} : { profile: opts.profile }),
          ...(opts.functions === undefined ? {} : { functions: opts.functions }),
          ...(opts.mailboxForwarding === undefined
            ? {}
            : { mailboxForwarding: opts.mailboxForwarding }),
        },
        ...(opts.moreGroups ?? []).map((g) => ({
          id: g.id,
          registrar: { host: '127.0.0.1', port: pbx.port },
          registerDelayMs: 0,
          natRefreshSeconds: 0,
          lines: expand(g.lines).map((ext) => ({ usernames: ext, password: `pw${ext}` })),
          ...(g.decline === undefined ? {} : { decline: g.decline }),
        })),
      ],
      users: opts.users.map((u) => ({
        username: u.username,
        password: `pw-${u.username}`,
        lines: u.lines,
        ...(u.mailbox === undefined ? {} : { mailbox: u.mailbox }),
        ...(u.pickup === undefined ? {} : { pickup: u.pickup }),
      })),
    });
    const log = createLogger('debug', sink);
    let gateway = await startGateway({ config, log, linesStopMs: 1000 });
    parts.push(() => gateway.stop());
    await pbx.waitRegistered(allLines, 15_000);
    let browser: Promise<TestBrowser> | undefined;
    const launched = (): Promise<TestBrowser> => {
      if (browser === undefined) {
        const starting = launchBrowser({ toneHz: opts.browserToneHz ?? 1000 });
        parts.push(() => starting.then((b) => b.close()));
        browser = starting;
      }
      return browser;
    };
    const wsUrl = `ws://127.0.0.1:${gateway.http.port}/sip`;
    const world: CallWorld = {
      pbx,
      get gateway() {
        return gateway;
      },
      restartGateway: async () => {
        const { port } = gateway.http;
        const sipPort = gateway.sip.port;
        await gateway.stop();
        const again: typeof config = {
          ...config,
          server: { ...config.server, port },
          sip: { ...config.sip, port: sipPort },
        };
        gateway = await startGateway({ config: again, log, linesStopMs: 1000 });
        await pbx.waitRegistered(allLines, 15_000);
      },
      wsUrl,
      base: `http://127.0.0.1:${gateway.http.port}`,
      signIn: async (username) => {
        const res = await fetch(`http://127.0.0.1:${gateway.http.port}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: `pw-${username}` }),
        });
        if (res.status !== 201) throw new Error(`sign-in of ${username}: ${res.status}`);
        return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      },
      journal: async (cookie, query = '') => {
        const res = await fetch(
          `http://127.0.0.1:${gateway.http.port}/api/journal?limit=200${query}`,
          { headers: { cookie } },
        );
        if (res.status !== 200) throw new Error(`journal: ${res.status}`);
        return ((await res.json()) as JournalPage).entries;
      },
      logs,
      browser: launched,
      phone: async (username, o = {}) => {
        const phone = await (
          await launched()
        ).newPhone({
          wsUrl,
          username,
          password: `pw-${username}`,
          ...(o.codecs === undefined ? {} : { codecs: o.codecs }),
        });
        await phone.register();
        return phone;
      },
      waitLog: async (match, timeoutMs = 10_000) => {
        let found: LogRecord | undefined;
        await pollUntil(() => (found = logs.find(match)) !== undefined, timeoutMs);
        if (found === undefined) throw new Error('log record not found');
        return found;
      },
      stop,
    };
    return world;
  } catch (err) {
    await stop();
    throw err;
  }
}

/** "201-203;207" → ["201", "202", "203", "207"]. */
function expand(spec: string): string[] {
  return spec.split(';').flatMap((part) => {
    const [a, b] = part.split('-');
    if (b === undefined) return [part];
    const out: string[] = [];
    for (let n = Number(a); n <= Number(b); n++) out.push(String(n));
    return out;
  });
}

const SEVERITY: Readonly<Record<string, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

/** The record is at least `level` ("warn": warnings, errors and fatals). */
export function atLeast(r: LogRecord, level: 'warn' | 'error'): boolean {
  return (SEVERITY[r.level] ?? 0) >= (SEVERITY[level] ?? 0);
}
