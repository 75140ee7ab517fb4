/**
 * Sign-in for the PWA (issue #6; contract in shared/api.ts):
 *
 *   POST   /api/session  {username, password} → 201 Session + HttpOnly cookie
 *   GET    /api/session  → 200 Session (the page's SIP credentials) | 401
 *   DELETE /api/session  → 204; the session's devices are unregistered
 *   GET    /api/events   → text/event-stream, `event: lines` on every change
 *
 * Guard rails: failed sign-ins are counted per client address and refused
 * with 429 + Retry-After past a budget (password guessing); a request with
 * an Origin of another site is refused (403), on top of SameSite=Strict;
 * bodies are JSON of at most 4 KiB.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  AfterSignInAction,
  ApiColleagueLine,
  ApiError,
  ApiLine,
  Session,
  SignInRequest,
} from '#shared/api.ts';
import { SESSION_COOKIE } from '#shared/api.ts';
import type { UserConfig } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import type { SessionRecord, SessionStore } from '../store/sessions.ts';
import { sendJson } from './server.ts';
import { SignInLimiter } from './sign-in-limiter.ts';

export interface SessionLookup {
  readonly sessions: SessionStore;
  /** The users of the running config. */
  readonly users: () => readonly UserConfig[];
}

export interface SessionApiOptions extends SessionLookup {
  /** The user's lines as the phone shows them. */
  readonly lines: (user: UserConfig) => ApiLine[];
  /** Colleagues' lines for pickup (empty without the permission). */
  readonly colleagues: (user: UserConfig) => ApiColleagueLine[];
  /** The user's after-sign-in action, when they have one and exactly one line. */
  readonly afterSignIn: (user: UserConfig) => AfterSignInAction | undefined;
  /** A session ended: unregister what it registered. */
  readonly revoked: (session: SessionRecord) => void;
  /** SIP domain of the AORs (sip:<user>@<domain>). */
  readonly domain: string;
  /** media.iceServers, handed to the page for its RTCPeerConnection. */
  readonly iceServers: readonly string[];
  /** Cookies get `Secure` over HTTPS. */
  readonly secure: boolean;
  readonly now: () => number;
  readonly log: Logger;
  /** How often /api/events looks for changes (ms, default 1000). */
  readonly eventsEveryMs?: number;
}

export type ApiRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

const MAX_BODY = 4096;

export function createSessionApi(opts: SessionApiOptions): ApiRoute & { close(): void } {
  const limiter = new SignInLimiter(opts.now);
  const events = new EventHub(opts);
  const route = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path !== '/api/session' && path !== '/api/events') return false;
    if (foreignOrigin(req)) {
      fail(res, 403, 'forbidden', 'requests from another site are refused');
      return true;
    }
    if (path === '/api/events') {
      if (req.method !== 'GET') fail(res, 405, 'bad-request', 'use GET', { allow: 'GET' });
      else {
        const found = current(req, opts);
        if (found === undefined) fail(res, 401, 'unauthenticated', 'sign in first');
        else events.add(res, found.user);
      }
      return true;
    }
    switch (req.method) {
      case 'POST':
        void signIn(req, res, opts, limiter);
        return true;
      case 'GET': {
        const found = current(req, opts);
        if (found === undefined) fail(res, 401, 'unauthenticated', 'no session: sign in');
        else sendJson(res, 200, sessionBody(found.session, found.secret, found.user, opts));
        return true;
      }
      case 'DELETE': {
        const found = current(req, opts);
        if (found !== undefined) {
          const gone = opts.sessions.revoke(found.session.id);
          if (gone !== undefined) opts.revoked(gone);
          opts.log.info({ user: found.user.username }, 'signed out');
        }
        res.writeHead(204, { 'set-cookie': cookie('', 0, opts.secure) });
        res.end();
        return true;
      }
      default:
        fail(res, 405, 'bad-request', `${req.method ?? '?'} is not supported on /api/session`, {
          allow: 'GET, POST, DELETE',
        });
        return true;
    }
  };
  return Object.assign(route, { close: () => events.close() });
}

async function signIn(
  req: IncomingMessage,
  res: ServerResponse,
  opts: SessionApiOptions,
  limiter: SignInLimiter,
): Promise<void> {
  const client = req.socket.remoteAddress ?? '?';
  const wait = limiter.blockedFor(client);
  if (wait > 0) {
    fail(res, 429, 'rate-limited', 'too many failed sign-ins: wait a little', {
      'retry-after': String(Math.ceil(wait / 1000)),
    });
    return;
  }
  const body = await readJson(req);
  if (!body.ok) {
    fail(res, body.status, 'bad-request', body.error);
    return;
  }
  const creds = signInRequest(body.value);
  if (creds === undefined) {
    fail(res, 400, 'bad-request', 'send {"username": "…", "password": "…"} as JSON');
    return;
  }
  const user = opts.users().find((u) => u.username === creds.username);
  if (user === undefined || !samePassword(user.password, creds.password)) {
    limiter.failed(client);
    opts.log.info({ user: creds.username.slice(0, 64), client }, 'sign-in refused');
    fail(res, 401, 'credentials', 'wrong username or password');
    return;
  }
  limiter.succeeded(client);
  const session = opts.sessions.create(user.username);
  opts.log.info({ user: user.username, client }, 'signed in');
  sendJson(res, 201, sessionBody(session, session.secret, user, opts), {
    'set-cookie': cookie(session.token, session.expiresAt - opts.now(), opts.secure),
  });
}

function sessionBody(
  session: SessionRecord,
  secret: string,
  user: UserConfig,
  opts: SessionApiOptions,
): Session {
  return {
    user: { username: user.username, displayName: user.displayName ?? user.username },
    sip: {
      uri: `sip:${user.username}@${opts.domain}`,
      authUser: session.authUser,
      password: secret,
      wsPath: '/sip',
      iceServers: opts.iceServers,
    },
    lines: opts.lines(user),
    colleagues: opts.colleagues(user),
    ...afterSignInOf(user, opts),
    expiresAt: new Date(session.expiresAt).toISOString(),
  };
}

function afterSignInOf(user: UserConfig, opts: SessionApiOptions): Pick<Session, 'afterSignIn'> {
  const action = opts.afterSignIn(user);
  return action === undefined ? {} : { afterSignIn: action };
}

/** The signed-in user of this request, or undefined after answering 401. */
export function signedIn(
  req: IncomingMessage,
  res: ServerResponse,
  opts: SessionLookup,
): UserConfig | undefined {
  const who = current(req, opts);
  if (who === undefined) fail(res, 401, 'unauthenticated', 'sign in first');
  return who?.user;
}

/** The session of this request (cookie, else `Authorization: Bearer`) and its user. */
export function current(
  req: IncomingMessage,
  opts: SessionLookup,
): { session: SessionRecord; secret: string; user: UserConfig } | undefined {
  const token = tokenOf(req);
  if (token === undefined) return undefined;
  const session = opts.sessions.byToken(token);
  if (session === undefined) return undefined;
  const user = opts.users().find((u) => u.username === session.username);
  return user === undefined ? undefined : { session, secret: session.secret, user };
}

function tokenOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function cookie(value: string, maxAgeMs: number, secure: boolean): string {
  const attrs = [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`,
  ];
  if (secure) attrs.push('Secure');
  return attrs.join('; ');
}

/** A browser says where a request comes from; another site may not sign in or out here. */
export function foreignOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/** Compares in constant time, whatever the lengths (hashes first). */
function samePassword(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

function signInRequest(v: unknown): SignInRequest | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { username, password } = v as Record<string, unknown>;
  if (typeof username !== 'string' || typeof password !== 'string') return undefined;
  if (username.length === 0 || username.length > 64 || password.length > 256) return undefined;
  return { username, password };
}

type Body = { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; error: string };

export function readJson(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve) => {
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) {
      req.resume();
      resolve({ ok: false, status: 415, error: 'send JSON (Content-Type: application/json)' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('error', () => resolve({ ok: false, status: 400, error: 'the request body broke off' }));
    req.on('end', () => {
      if (size > MAX_BODY) {
        resolve({ ok: false, status: 413, error: `the body is larger than ${MAX_BODY} bytes` });
        return;
      }
      try {
        resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      } catch {
        resolve({ ok: false, status: 400, error: 'the body is not valid JSON' });
      }
    });
  });
}

export function fail(
  res: ServerResponse,
  status: number,
  code: string,
  error: string,
  headers: Record<string, string> = {},
): void {
  const body: ApiError = { error, code };
  sendJson(res, status, body, headers);
}

interface Listener {
  readonly res: ServerResponse;
  readonly user: UserConfig;
  last: string;
  lastColleagues: string;
}

/**
 * /api/events: one ticker for all listeners looks at each listening user's
 * lines and sends a `lines` event when they changed (plus a comment every
 * 25 s, so proxies keep the stream open).
 */
class EventHub {
  readonly #listeners = new Set<Listener>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #ticks = 0;

  constructor(private readonly opts: SessionApiOptions) {}

  add(res: ServerResponse, user: UserConfig): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const listener: Listener = { res, user, last: '', lastColleagues: '' };
    this.#listeners.add(listener);
    this.#send(listener);
    res.on('close', () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#stop();
    });
    this.#timer ??= setInterval(() => this.#tick(), this.opts.eventsEveryMs ?? 1000);
    this.#timer.unref();
  }

  close(): void {
    for (const l of this.#listeners) l.res.end();
    this.#listeners.clear();
    this.#stop();
  }

  #tick(): void {
    const keepAlive = ++this.#ticks % 25 === 0;
    for (const l of this.#listeners) {
      this.#send(l);
      if (keepAlive) l.res.write(': keep-alive\n\n');
    }
  }

  #send(l: Listener): void {
    const user = this.opts.users().find((u) => u.username === l.user.username);
    if (user === undefined) {
      l.res.end(); // the user left the config
      return;
    }
    const text = JSON.stringify(this.opts.lines(user));
    if (text !== l.last) {
      l.last = text;
      l.res.write(`event: lines\ndata: ${text}\n\n`);
    }
    if (!user.pickup) return;
    const colleagues = JSON.stringify(this.opts.colleagues(user));
    if (colleagues === l.lastColleagues) return;
    l.lastColleagues = colleagues;
    l.res.write(`event: colleagues\ndata: ${colleagues}\n\n`);
  }

  #stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
