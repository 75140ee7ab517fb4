/**
 * The gateway as one object: started from a validated config, stopped in
 * reverse order. main.ts adds the process around it (argv, signals, exit
 * codes); tests start it in-process.
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Config } from './config/schema.ts';
import { createMetrics, type Metrics } from './http/metrics.ts';
import { createHttpServer, type HttpServer } from './http/server.ts';
import { category, type Logger } from './log.ts';
import { openStore, type Store } from './store/db.ts';
import { VERSION } from './version.ts';
import { createCore } from './calls/core.ts';
import { createB2bua } from './calls/b2bua.ts';
import { createMediaEngine } from './media/index.ts';
import { BindingStore } from './registrar/bindings.ts';
import { createSipStack, type SipStack } from './sip/stack.ts';
import { metaSecret } from './store/meta.ts';
import { LineManager } from './lines/manager.ts';
import { failureLabel, type LinesStatus } from './lines/status.ts';
import { readReload, watchConfigFile, type ReloadResult } from './lines/config-watch.ts';
import { createLinesApi } from './http/api-lines.ts';
import { createSessionApi } from './http/api-session.ts';
import { SessionStore } from './store/sessions.ts';
import { Journal } from './store/journal.ts';
import { createJournalApi } from './http/api-journal.ts';
import { createLineSettingsApi } from './http/api-line-settings.ts';
import { LineSettings } from './store/line-settings.ts';
import { ForwardingStore } from './store/forwarding.ts';
import { createForwardingApi } from './http/api-forwarding.ts';
import { afterSignInAction, createAfterSignInApi } from './http/api-after-sign-in.ts';
import { UserSettings } from './store/user-settings.ts';
import { createAccounts } from './accounts.ts';

/** Digest realm of the browser side (users and their sessions). */
const REALM = 'linegate';

export interface GatewayOptions {
  config: Config;
  log: Logger;
  now?: () => number;
  /** Built PWA; default dist/client of this checkout. */
  staticDir?: string;
  /** The file `config` came from: watched, and re-read by reload(); line groups and users apply live. */
  configFile?: string;
  /** Watch configFile for changes (default true; reload() works either way). */
  watchConfig?: boolean;
  /** Upper bound for the lines' un-REGISTER on stop (default 3 s). */
  linesStopMs?: number;
}

export interface Gateway {
  readonly http: AddressInfo;
  /** The bound SIP UDP address. */
  readonly sip: { readonly address: string; readonly port: number };
  /** Registration state of every SIP line (also GET /api/lines). */
  lines(): LinesStatus;
  /** Re-reads configFile and applies its line groups and users (SIGHUP). */
  reload(): ReloadResult;
  stop(): Promise<void>;
}

export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../dist/client', import.meta.url));

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const { config, log } = opts;
  const now = opts.now ?? Date.now;
  const startedAt = now();
  const stack: Part[] = [];
  const stopAll = async () => {
    for (const part of stack.reverse()) {
      try {
        await part.stop();
        log.debug({ part: part.name }, 'stopped');
      } catch (err) {
        log.error({ err, part: part.name }, 'stop failed');
      }
    }
    stack.length = 0;
  };
  try {
    const store: Store = openStore(config.data);
    stack.push({ name: 'store', stop: () => store.close() });
    const metrics = createMetrics(VERSION);
    // The SIP stack starts before HTTP so that HTTP (and its WebSockets)
    // stops first and the stack last.
    const sip = await createSipStack({
      udp: {
        host: config.sip.host,
        port: config.sip.port,
        publicAddress: config.sip.publicAddress,
      },
      timers: config.sip.timers,
      log,
    });
    stack.push({ name: 'sip', stop: () => sip.close() });
    const side = createLineSide(opts, sip, metrics, stack);
    const media = createMediaEngine({
      workers: config.media.workers,
      rtpPorts: config.media.rtpPorts,
      publicAddress: mediaAddress(config),
      log,
    });
    stack.push({ name: 'media', stop: () => media.close() });
    const bindings = new BindingStore();
    const lineSettings = new LineSettings(store.db);
    const forwarding = new ForwardingStore(store.db);
    const userSettings = new UserSettings(store.db);
    const journal = openJournal(store, config, now, log);
    stack.push({ name: 'journal', stop: () => journal.stop() });

    const b2bua = createB2bua({
      sip,
      media,
      bindings,
      lineInfo: (id) => side.lines.lineInfo(id),
      users: () => side.config().users,
      log: category(log, 'calls'),
      now,
      timers: { t1: config.sip.timers.t1, t2: config.sip.timers.t2 },
      clientContact: {
        kind: 'sip',
        scheme: 'sip',
        user: 'linegate',
        password: undefined,
        host: config.server.host,
        port: undefined,
        params: new Map([['transport', 'ws']]),
        headers: new Map(),
      },
      clientDomain: config.server.host,
      userAgent: `Linegate/${VERSION}`,
      iceServers: config.media.iceServers,
      journal: journal.journal,
      dnd: (line) => lineSettings.dnd(line),
      forwardingRules: (user) => forwarding.rules(user),
      onCall: (e) =>
        e.type === 'started'
          ? metrics.calls.started(e.direction)
          : metrics.calls.ended(e.direction, e.cause, e.seconds),
    });
    metrics.calls.setSource(() => ({
      active: b2bua.active,
      portsAvailable: media.status().portsAvailable,
    }));
    // Calls end (BYE on both legs) before media, lines and the SIP stack stop.
    stack.push({ name: 'calls', stop: () => b2bua.stop() });
    const sessions = new SessionStore(store.db, { realm: REALM, now });
    sessions.prune();
    side.onUsers((users) => sessions.retainUsers(new Set(users.map((u) => u.username))));
    const accounts = createAccounts({
      users: () => side.config().users,
      sessions,
      lineInfo: (id) => side.lines.lineInfo(id),
      activity: (id) => b2bua.lineActivity(id),
      dnd: (id) => lineSettings.dnd(id),
      groupLines: (group) => side.lines.groupLineIds(group),
    });
    const sessionApi = createSessionApi({
      sessions,
      users: () => side.config().users,
      lines: (user) => accounts.linesOf(user),
      colleagues: (user) => accounts.colleaguesOf(user),
      afterSignIn: (user) => afterSignInAction(user, userSettings.afterSignIn(user.username)),
      revoked: (s) => bindings.removeAuth(s.authUser),
      domain: config.server.publicAddress ?? config.server.host,
      iceServers: config.media.iceServers,
      secure: config.server.tls !== undefined,
      now,
      log: category(log, 'http'),
    });
    stack.push({ name: 'events', stop: () => sessionApi.close() });
    const journalApi = createJournalApi({
      sessions,
      users: () => side.config().users,
      journal: journal.journal,
    });
    const lineSettingsApi = createLineSettingsApi({
      sessions,
      users: () => side.config().users,
      setDnd: (line, on, user) => {
        lineSettings.setDnd(line, on);
        log.info({ cat: 'calls', line, on, user }, 'do-not-disturb changed');
      },
    });
    const forwardingApi = createForwardingApi({
      sessions,
      users: () => side.config().users,
      rules: (user) => forwarding.rules(user),
      setRules: (user, rules) => {
        forwarding.set(user, rules);
        log.info({ cat: 'calls', user, rules: rules.length }, 'forwarding rules changed');
      },
    });
    const afterSignInApi = createAfterSignInApi({
      sessions,
      users: () => side.config().users,
      get: (user) => userSettings.afterSignIn(user),
      set: (user, value) => {
        userSettings.set(user, 'after-sign-in', value);
        log.info({ cat: 'http', user, dial: value.dial }, 'after-sign-in action changed');
      },
    });
    const linesApi = createLinesApi({
      status: () => side.lines.status(),
      log: category(log, 'http'),
    });
    const core = createCore({
      sip,
      bindings,
      b2bua,
      credentials: (user, hash) => accounts.credentials(user, hash),
      realm: REALM,
      log: category(log, 'registrar'),
      now,
      nonceSecret: metaSecret(store.db, 'digest-nonce-secret'),
      lines: { match: (a, u) => side.lines.match(a, u), log: category(log, 'lines.inbound') },
    });
    stack.push({ name: 'core', stop: () => core.close() });
    sip.onRequest((tx) => core.handle(tx));
    const http: HttpServer = createHttpServer({
      config: config.server,
      log: category(log, 'http'),
      metrics,
      version: VERSION,
      startedAt,
      now,
      staticDir: opts.staticDir ?? DEFAULT_STATIC_DIR,
      onSipSocket: (ws, req) => sip.attachWebSocket(ws, req),
      api: (req, res) =>
        sessionApi(req, res) ||
        journalApi(req, res) ||
        lineSettingsApi(req, res) ||
        forwardingApi(req, res) ||
        afterSignInApi(req, res) ||
        linesApi(req, res),
    });
    const address = await http.listen();
    stack.push({ name: 'http', stop: () => http.close() });
    // Last: nothing else holds up the first REGISTERs, so the stagger holds from the first line on.
    side.start();
    const scheme = config.server.tls ? 'https' : 'http';
    log.info(
      {
        cat: 'gateway',
        url: `${scheme}://${address.address}:${address.port}/`,
        sip: `${sip.udpAddress.address}:${sip.udpAddress.port}`,
        version: VERSION,
      },
      'gateway started',
    );
    return {
      http: address,
      sip: sip.udpAddress,
      lines: () => side.lines.status(),
      reload: () => side.reload(),
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/**
 * The journal: calls a crash left open are repaired now; a heartbeat every
 * HEARTBEAT_MS bounds what the next crash can lose of a call's length;
 * entries past the retention go daily (and now).
 */
// One row rewritten in WAL mode: cheap enough that a crash costs a call at most 15 s of its length.
const HEARTBEAT_MS = 15_000;

function openJournal(store: Store, config: Config, now: () => number, log: Logger) {
  const journal = new Journal(store.db);
  const repaired = journal.repair(now());
  if (repaired > 0)
    log.warn({ cat: 'journal', calls: repaired }, 'calls left open by a crash repaired');
  const retention = () => journal.prune(now() - config.journal.retentionDays * 86_400_000);
  retention();
  journal.heartbeat(now());
  const beat = setInterval(() => journal.heartbeat(now()), HEARTBEAT_MS);
  const daily = setInterval(retention, 86_400_000);
  beat.unref();
  daily.unref();
  return {
    journal,
    stop: () => {
      clearInterval(beat);
      clearInterval(daily);
      journal.heartbeat(now());
    },
  };
}

/**
 * The address in our SDP and ICE candidates: media.publicAddress, else the
 * address browsers reach (server.publicAddress), else the SIP address the
 * PBX reaches, else the bound SIP host when it is a real address.
 */
function mediaAddress(config: Config): string {
  const candidates = [
    config.media.publicAddress,
    config.server.publicAddress,
    config.sip.publicAddress,
    config.sip.host,
  ];
  for (const a of candidates) if (a !== undefined && a !== '0.0.0.0' && a !== '::') return a;
  return '127.0.0.1';
}

type Part = { name: string; stop: () => Promise<void> | void };

interface LineSide {
  readonly lines: LineManager;
  /** The running config (changes with reloads). */
  config(): Config;
  /** Called with the new users after a reload changed them. */
  onUsers(listener: (users: Config['users']) => void): void;
  reload(): ReloadResult;
  /** Starts registering the configured lines (staggered). */
  start(): void;
}

/** The SIP lines and the live config around them (issue #4). */
function createLineSide(
  opts: GatewayOptions,
  sip: SipStack,
  metrics: Metrics,
  stack: Part[],
): LineSide {
  const { config, log } = opts;
  const lines = new LineManager({
    sip,
    log,
    userAgent: `Linegate/${VERSION}`,
    onFailure: (group, reason) => metrics.lines.failure(group, failureLabel(reason)),
  });
  metrics.lines.setSource(() => lines.counts());
  // Stopped before the SIP stack (pushed after it): the un-REGISTERs need it.
  stack.push({ name: 'lines', stop: () => lines.stop(opts.linesStopMs) });
  let running = config;
  const userListeners: ((users: Config['users']) => void)[] = [];
  const reload = (): ReloadResult => {
    try {
      const r = reloadFrom(opts.configFile, running, lines, category(log, 'config'));
      if (r.kind === 'changed') {
        running = r.config;
        if (r.usersChanged) for (const l of userListeners) l(running.users);
      }
      return r;
    } catch (err) {
      // A reload runs from a file watcher or a signal: it must never take the process down.
      log.error({ cat: 'config', err }, 'config reload failed, the running config stays');
      return { kind: 'invalid', message: String(err) };
    }
  };
  if (opts.configFile !== undefined && opts.watchConfig !== false) {
    const watcher = watchConfigFile(opts.configFile, reload, { log: category(log, 'config') });
    stack.push({ name: 'config-watch', stop: () => watcher.close() });
  }
  return {
    lines,
    config: () => running,
    onUsers: (l) => userListeners.push(l),
    reload,
    start: () => startLines(lines, config, log),
  };
}

function startLines(lines: LineManager, config: Config, log: Logger): void {
  const summary = lines.apply(config);
  const l = category(log, 'lines.register');
  if (config.lineGroups.length === 0) {
    l.info(
      'no line groups configured: no SIP lines to register (see lineGroups in linegate.example.yaml)',
    );
  } else {
    l.info({ groups: config.lineGroups.length, lines: summary.added }, 'registering SIP lines');
  }
}

/** One reload of the config file: apply line groups and users, or keep running what runs. */
function reloadFrom(
  file: string | undefined,
  running: Config,
  lines: LineManager,
  log: Logger,
): ReloadResult {
  if (file === undefined) {
    log.warn('no config file to reload: the gateway runs on built-in defaults');
    return { kind: 'unchanged' };
  }
  const r = readReload(file, running);
  switch (r.kind) {
    case 'invalid':
      log.error({ file }, `config change refused, the running config stays: ${r.message}`);
      break;
    case 'unchanged':
      log.debug({ file }, 'config file touched, nothing changed');
      break;
    case 'changed':
      if (r.restartNeeded.length > 0) {
        log.warn(
          { file, sections: r.restartNeeded },
          `config change in ${r.restartNeeded.join(', ')} needs a restart; only lineGroups and users apply while running`,
        );
      }
      if (r.linesChanged) {
        const summary = lines.apply(r.config);
        log.info({ file, ...summary }, 'config change applied to the SIP lines');
      }
      if (r.usersChanged)
        log.info({ file, users: r.config.users.length }, 'config change applied to the users');
      break;
  }
  return r;
}
