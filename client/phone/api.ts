/**
 * The gateway's session API (shared/api.ts) from the page: sign in, resume,
 * sign out with the HttpOnly session cookie, the call journal, the
 * forwarding rules, the after-sign-in action, and the event stream
 * (`lines`, `colleagues`); the parsing of what the gateway sends is
 * api-parse.ts. Errors arrive as PhoneErrors: 401 'credentials' (journal,
 * do-not-disturb, forwarding, after-sign-in: 'not-connected'), 429
 * 'rate-limited', 409 'not-single-line' (after-sign-in), no answer at all
 * 'network', anything else 'failed' with the gateway's text.
 */
import type {
  AfterSignIn,
  ApiColleagueLine,
  ApiError,
  ApiLine,
  ForwardRule,
  ForwardingRules,
  JournalPage,
  Session,
  SignInRequest,
} from '#shared/api.ts';
import {
  parseAfterSignIn,
  parseColleagues,
  parseForwarding,
  parseJournalPage,
  parseLines,
  parseSession,
} from './api-parse.ts';
import { PhoneError, type Phone } from './types.ts';
import { retryDelayMs } from './connection-state.ts';
import { apiUrl } from './urls.ts';

export {
  parseAfterSignIn,
  parseAfterSignInAction,
  parseColleagues,
  parseFeatureCodes,
  parseForwarding,
  parseFunctions,
  parseJournalPage,
  parseLines,
  parseLocation,
  parseSession,
} from './api-parse.ts';

export const SESSION_PATH = '/api/session';
export const EVENTS_PATH = '/api/events';
export const JOURNAL_PATH = '/api/journal';
export const FORWARDING_PATH = '/api/forwarding';
export const AFTER_SIGN_IN_PATH = '/api/after-sign-in';

export type JournalQuery = NonNullable<Parameters<Phone['journal']>[0]>;

export interface SessionApi {
  signIn(username: string, password: string): Promise<Session>;
  /** The session the cookie names, or undefined when there is none (401). */
  resume(): Promise<Session | undefined>;
  /** Revokes the session; one that is gone already counts as revoked. */
  signOut(): Promise<void>;
  /** A page of the session's call journal; 401 (no session) rejects with 'not-connected'. */
  journal(query?: JournalQuery): Promise<JournalPage>;
  /** PUT /api/lines/<id>/dnd; 401 rejects with 'not-connected'. */
  setDnd(lineId: string, on: boolean): Promise<void>;
  /** GET /api/forwarding; 401 rejects with 'not-connected'. */
  forwarding(): Promise<ForwardRule[]>;
  /**
   * PUT /api/forwarding; the rules as the gateway keeps them. 400 rejects
   * with 'failed' and the gateway's reason ("rule 0: …"), 401 'not-connected'.
   */
  setForwarding(rules: readonly ForwardRule[]): Promise<ForwardRule[]>;
  /** GET /api/after-sign-in; 401 rejects with 'not-connected'. */
  afterSignIn(): Promise<AfterSignIn>;
  /**
   * PUT /api/after-sign-in; the action as the gateway keeps it. 409
   * (code 'not-single-line') rejects with 'not-single-line', 400 with
   * 'failed' and the gateway's reason, 401 'not-connected'.
   */
  setAfterSignIn(action: AfterSignIn): Promise<AfterSignIn>;
}

export function createSessionApi(origin: string, fetchImpl: typeof fetch = fetch): SessionApi {
  const url = apiUrl(origin, SESSION_PATH);
  const send = async (method: string, json?: unknown, to = url): Promise<Response> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (json !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetchImpl(to, {
        method,
        credentials: 'same-origin',
        cache: 'no-store',
        headers,
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new PhoneError('network', `The gateway cannot be reached (${why}).`);
    }
  };
  return {
    async signIn(username, password) {
      const body: SignInRequest = { username, password };
      const res = await send('POST', body);
      if (res.status === 200 || res.status === 201) return parseSession(await readJson(res));
      throw await apiError(res);
    },
    async resume() {
      const res = await send('GET');
      if (res.status === 401) return undefined;
      if (res.ok) return parseSession(await readJson(res));
      throw await apiError(res);
    },
    async signOut() {
      const res = await send('DELETE');
      if (res.ok || res.status === 401) return;
      throw await apiError(res);
    },
    async journal(query = {}) {
      const res = await send('GET', undefined, journalUrl(origin, query));
      if (res.ok) return parseJournalPage(await readJson(res));
      if (res.status === 401) throw new PhoneError('not-connected', 'The session has ended.');
      throw await apiError(res);
    },
    async setDnd(lineId, on) {
      const to = apiUrl(
        origin,
        `/api/lines/${lineId.split('/').map(encodeURIComponent).join('/')}/dnd`,
      );
      const res = await send('PUT', { on }, to);
      if (res.ok) return;
      if (res.status === 401) throw new PhoneError('not-connected', 'The session has ended.');
      throw await apiError(res);
    },
    async forwarding() {
      const res = await send('GET', undefined, apiUrl(origin, FORWARDING_PATH));
      if (res.ok) return parseForwarding(await readJson(res));
      if (res.status === 401) throw new PhoneError('not-connected', 'The session has ended.');
      throw await apiError(res);
    },
    async setForwarding(rules) {
      const body: ForwardingRules = { rules };
      const res = await send('PUT', body, apiUrl(origin, FORWARDING_PATH));
      if (res.ok) return parseForwarding(await readJson(res));
      if (res.status === 401) throw new PhoneError('not-connected', 'The session has ended.');
      throw await apiError(res);
    },
    async afterSignIn() {
      const res = await send('GET', undefined, apiUrl(origin, AFTER_SIGN_IN_PATH));
      if (res.ok) return parseAfterSignIn(await readJson(res));
      if (res.status === 401) throw new PhoneError('not-connected', 'The session has ended.');
      throw await apiError(res);
    },
    async setAfterSignIn(action) {
      const res = await send('PUT', action, apiUrl(origin, AFTER_SIGN_IN_PATH));
      if (res.ok) return parseAfterSignIn(await readJson(res));
      if (res.status === 401) throw new PhoneError('not-connected', 'The session has ended.');
      throw await apiError(res);
    },
  };
}

/** GET /api/journal with the query's parameters (those set only). */
export function journalUrl(origin: string, query: JournalQuery): string {
  const url = new URL(apiUrl(origin, JOURNAL_PATH));
  const { limit, before, result, line } = query;
  if (limit !== undefined) url.searchParams.set('limit', String(limit));
  if (before !== undefined) url.searchParams.set('before', String(before));
  if (result !== undefined) url.searchParams.set('result', result);
  if (line !== undefined) url.searchParams.set('line', line);
  return url.href;
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return (await res.json()) as unknown;
  } catch {
    throw new PhoneError('failed', `The gateway sent an unreadable answer (HTTP ${res.status}).`);
  }
}

/** The PhoneError for a refused request, with the gateway's own words when it sent ApiError. */
export async function apiError(res: Response): Promise<PhoneError> {
  let text = '';
  let code = '';
  try {
    const body = (await res.json()) as Partial<ApiError> | null;
    if (typeof body?.error === 'string') text = body.error;
    if (typeof body?.code === 'string') code = body.code;
  } catch {
    // No JSON body: the status says enough.
  }
  switch (res.status) {
    case 401:
      return new PhoneError('credentials', text || 'Wrong username or password.');
    case 409:
      if (code === 'not-single-line') {
        return new PhoneError('not-single-line', text || 'This needs exactly one line.');
      }
      break;
    case 429: {
      const wait = Number(res.headers.get('retry-after'));
      const after = Number.isFinite(wait) && wait > 0 ? ` Try again in ${wait} s.` : '';
      return new PhoneError('rate-limited', (text || 'Too many attempts.') + after);
    }
  }
  return new PhoneError('failed', text || `The gateway refused the request (HTTP ${res.status}).`);
}

export interface LinesStreamOptions {
  readonly origin: string;
  readonly onLines: (lines: ApiLine[]) => void;
  /** `event: colleagues`: colleagues' lines (only users with the pickup permission get it). */
  readonly onColleagues?: (colleagues: ApiColleagueLine[]) => void;
  /**
   * The stream was refused (not a network error, which EventSource retries
   * by itself): maybe the session is gone. Called before each own retry.
   */
  readonly onRefused?: () => void;
  readonly EventSource?: typeof EventSource;
  /** Delay before own retry `attempt` (1, 2, …); default 2–30 s with jitter. */
  readonly retryDelayMs?: (attempt: number) => number;
}

/**
 * GET /api/events as an EventSource: `lines` and `colleagues` events,
 * malformed ones ignored. EventSource reconnects by itself after
 * a network error, but gives up for good on an HTTP error (a 401, a 502
 * from a proxy while the gateway restarts): then this opens a new one after
 * a back-off, until close().
 */
export class LinesStream {
  readonly #opts: LinesStreamOptions;
  #source: EventSource | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #attempts = 0;
  #closed = false;

  constructor(opts: LinesStreamOptions) {
    this.#opts = opts;
    this.#open();
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#source?.close();
    this.#source = undefined;
  }

  #open(): void {
    const Impl = this.#opts.EventSource ?? EventSource;
    const source = new Impl(apiUrl(this.#opts.origin, EVENTS_PATH));
    this.#source = source;
    source.addEventListener('open', () => (this.#attempts = 0));
    const listen = <T>(type: string, parse: (json: unknown) => T | undefined, to: (v: T) => void) =>
      source.addEventListener(type, (e) => {
        const data: unknown = (e as MessageEvent<unknown>).data;
        let value: T | undefined;
        try {
          value = parse(JSON.parse(String(data)));
        } catch {
          value = undefined;
        }
        if (value !== undefined) to(value);
      });
    listen('lines', parseLines, (lines) => this.#opts.onLines(lines));
    listen('colleagues', parseColleagues, (c) => this.#opts.onColleagues?.(c));
    source.addEventListener('error', () => {
      if (this.#closed || source !== this.#source || source.readyState !== 2) return;
      // readyState CLOSED (2): EventSource gave up; it will not try again.
      source.close();
      this.#attempts += 1;
      const delay = this.#opts.retryDelayMs ?? ((n: number) => retryDelayMs(n + 1));
      this.#timer = setTimeout(() => {
        if (!this.#closed) this.#open();
      }, delay(this.#attempts));
      // It may close the stream (signed out): close() clears the timer.
      this.#opts.onRefused?.();
    });
  }
}
