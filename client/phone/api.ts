/**
 * The gateway's session API (shared/api.ts) from the page: sign in, resume,
 * sign out with the HttpOnly session cookie, the call journal, the
 * forwarding rules, and the `lines` event stream. Errors arrive as
 * PhoneErrors: 401 'credentials' (journal, do-not-disturb, forwarding:
 * 'not-connected'), 429 'rate-limited', no answer at all 'network',
 * anything else 'failed' with the gateway's text.
 */
import type {
  ApiError,
  ApiLine,
  FeatureCode,
  ForwardRule,
  ForwardingRules,
  JournalEntry,
  JournalPage,
  JournalResult,
  Session,
  SignInRequest,
} from '../../shared/api.ts';
import { JOURNAL_RESULTS, NUMBER_PLACEHOLDER } from '../../shared/api.ts';
import { PhoneError, type Phone } from './types.ts';
import { retryDelayMs } from './connection-state.ts';
import { apiUrl } from './urls.ts';

export const SESSION_PATH = '/api/session';
export const EVENTS_PATH = '/api/events';
export const JOURNAL_PATH = '/api/journal';
export const FORWARDING_PATH = '/api/forwarding';

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
  try {
    const body = (await res.json()) as Partial<ApiError> | null;
    if (typeof body?.error === 'string') text = body.error;
  } catch {
    // No JSON body: the status says enough.
  }
  switch (res.status) {
    case 401:
      return new PhoneError('credentials', text || 'Wrong username or password.');
    case 429: {
      const wait = Number(res.headers.get('retry-after'));
      const after = Number.isFinite(wait) && wait > 0 ? ` Try again in ${wait} s.` : '';
      return new PhoneError('rate-limited', (text || 'Too many attempts.') + after);
    }
    default:
      return new PhoneError(
        'failed',
        text || `The gateway refused the request (HTTP ${res.status}).`,
      );
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A Session from JSON, checked far enough that the phone can run on it. */
export function parseSession(json: unknown): Session {
  const user = isRecord(json) ? json['user'] : undefined;
  const sip = isRecord(json) ? json['sip'] : undefined;
  if (
    !isRecord(json) ||
    !isRecord(user) ||
    !isRecord(sip) ||
    !isString(user['username']) ||
    !isString(sip['uri']) ||
    !isString(sip['authUser']) ||
    !isString(sip['password']) ||
    !isString(sip['wsPath'])
  ) {
    throw new PhoneError('failed', 'The gateway sent a session the phone does not understand.');
  }
  const iceServers = Array.isArray(sip['iceServers']) ? sip['iceServers'].filter(isString) : [];
  return {
    user: {
      username: user['username'],
      displayName: isString(user['displayName']) ? user['displayName'] : user['username'],
    },
    sip: {
      uri: sip['uri'],
      authUser: sip['authUser'],
      password: sip['password'],
      wsPath: sip['wsPath'],
      iceServers,
    },
    lines: parseLines(json['lines']) ?? [],
    expiresAt: isString(json['expiresAt']) ? json['expiresAt'] : '',
  };
}

/** ApiLine[] from JSON; entries without an id are dropped; undefined when not a list. */
export function parseLines(json: unknown): ApiLine[] | undefined {
  if (!Array.isArray(json)) return undefined;
  const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return json.filter(isRecord).flatMap((l): ApiLine[] => {
    const id = l['id'];
    if (!isString(id) || id === '') return [];
    const number = isString(l['number']) ? l['number'] : '';
    return [
      {
        id,
        label: isString(l['label']) && l['label'] !== '' ? l['label'] : number || id,
        number,
        registered: l['registered'] === true,
        ringing: num(l['ringing']),
        active: num(l['active']),
        decline: declineOf(l['decline']),
        dnd: l['dnd'] === true,
        featureCodes: parseFeatureCodes(l['featureCodes']),
      },
    ];
  });
}

/**
 * A line's feature codes: entries without a name, or whose code is not
 * digits, * and # around at most one <NUMBER>, are dropped.
 */
export function parseFeatureCodes(json: unknown): FeatureCode[] {
  if (!Array.isArray(json)) return [];
  return json.filter(isRecord).flatMap((f): FeatureCode[] => {
    const { name, code } = f;
    if (!isString(name) || name.trim() === '' || !isString(code) || code === '') return [];
    const parts = code.split(NUMBER_PLACEHOLDER);
    if (parts.length > 2 || !parts.every((p) => /^[0-9*#]*$/.test(p))) return [];
    return [{ name: name.trim(), code }];
  });
}

const WHEN: ReadonlySet<unknown> = new Set(['always', 'busy']);
const CALLS: ReadonlySet<unknown> = new Set(['all', 'internal', 'external']);

/**
 * { rules } from GET/PUT /api/forwarding: not an object with a `rules` list
 * is 'failed'; rules with a missing or unknown field are dropped.
 */
export function parseForwarding(json: unknown): ForwardRule[] {
  const list = isRecord(json) ? json['rules'] : undefined;
  if (!Array.isArray(list)) {
    throw new PhoneError(
      'failed',
      'The gateway sent forwarding rules the phone does not understand.',
    );
  }
  return list.filter(isRecord).flatMap((r): ForwardRule[] => {
    const { line, when, calls, target, enabled } = r;
    if (!isString(line) || line === '' || !isString(target) || typeof enabled !== 'boolean')
      return [];
    if (!WHEN.has(when) || !CALLS.has(calls)) return [];
    return [
      {
        line,
        when: when as ForwardRule['when'],
        calls: calls as ForwardRule['calls'],
        target,
        enabled,
      },
    ];
  });
}

/** An unknown or missing decline mode shows both buttons (the gateway decides anyway). */
function declineOf(v: unknown): ApiLine['decline'] {
  return v === 'single' || v === 'hidden' ? v : 'choice';
}

const RESULTS: ReadonlySet<string> = new Set(JOURNAL_RESULTS);

/** { key: value }, or {} when value is undefined (exactOptionalPropertyTypes). */
function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A JournalPage from JSON: not an object with an `entries` list is 'failed';
 * entries without id, direction, line, number or time are dropped, fields
 * of the wrong type (or an unknown result) left out.
 */
export function parseJournalPage(json: unknown): JournalPage {
  const list = isRecord(json) ? json['entries'] : undefined;
  if (!isRecord(json) || !Array.isArray(list)) {
    throw new PhoneError('failed', 'The gateway sent a journal the phone does not understand.');
  }
  const entries = list.filter(isRecord).flatMap((e): JournalEntry[] => {
    const { id, direction, line, remoteNumber, at } = e;
    if (!isString(id) || id === '' || !isString(line) || !isString(remoteNumber) || !isTime(at))
      return [];
    if (direction !== 'incoming' && direction !== 'outgoing') return [];
    const str = (k: string) => (isString(e[k]) && e[k] !== '' ? e[k] : undefined);
    const time = (k: string) => (isTime(e[k]) ? e[k] : undefined);
    const result = e['result'];
    return [
      {
        id,
        direction,
        line,
        remoteNumber,
        at,
        ...opt('user', str('user')),
        ...opt('remoteName', str('remoteName')),
        ...opt('calledNumber', str('calledNumber')),
        ...opt('divertedFrom', str('divertedFrom')),
        ...opt('forwardedTo', str('forwardedTo')),
        ...opt('answeredAt', time('answeredAt')),
        ...opt('endedAt', time('endedAt')),
        ...opt('status', time('status')),
        ...opt(
          'result',
          isString(result) && RESULTS.has(result) ? (result as JournalResult) : undefined,
        ),
      },
    ];
  });
  const next = json['next'];
  return isTime(next) ? { entries, next } : { entries };
}

export interface LinesStreamOptions {
  readonly origin: string;
  readonly onLines: (lines: ApiLine[]) => void;
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
 * GET /api/events as an EventSource. EventSource reconnects by itself after
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
    source.addEventListener('lines', (e) => {
      const data: unknown = (e as MessageEvent<unknown>).data;
      let lines: ApiLine[] | undefined;
      try {
        lines = parseLines(JSON.parse(String(data)));
      } catch {
        lines = undefined;
      }
      if (lines !== undefined) this.#opts.onLines(lines);
    });
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
