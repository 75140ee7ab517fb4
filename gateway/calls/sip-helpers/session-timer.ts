/**
 * RFC 4028 session timers for a B2BUA that terminates them on each leg:
 * the browser leg and the PBX leg each negotiate their own interval and
 * refresher, and the gateway refreshes or watches each leg on its own. A
 * leg that goes silent is detected there and ends the whole call.
 *
 * Pure functions over headers: the timers themselves and the refresh
 * requests live with the call. Nothing here throws on what a peer sent;
 * a malformed header becomes a result with the reason for a 400.
 */
import { isLinegateError } from '#shared/errors.ts';
import {
  getHeaders,
  headerValues,
  parseDeltaSeconds,
  parseParams,
  type HasHeaders,
} from '../../sip/message/headers.ts';
import type { HeaderField, Params } from '../../sip/message/types.ts';

/** The option tag of the extension, in Supported and Require (§4, §7.1). */
export const OPTION_TAG = 'timer';

/**
 * §5: no Min-SE may be below 90 seconds, and an absent Min-SE means 90. A
 * shorter interval would let a peer make us send refreshes as fast as it
 * likes (§11), so no interval we run is ever shorter, whatever was asked.
 */
export const MIN_SE_FLOOR = 90;

/** Our Min-SE unless configured: the RFC's floor (it is also what JsSIP asks for). */
export const DEFAULT_MIN_SE = 90;

/** The interval we ask for unless told otherwise: half an hour, as §4 suggests. */
export const DEFAULT_SESSION_EXPIRES = 1800;

/**
 * The longest interval we accept as UAS; longer requests are reduced to it
 * (§9: the UAS "MAY reduce" the interval, never below the request's Min-SE).
 * An hour bounds how long a dead leg holds a PBX channel.
 */
export const DEFAULT_MAX_SE = 3600;

/** §7.2, §9: the refresh is RECOMMENDED once half the interval has elapsed. */
export const REFRESH_FRACTION = 0.5;

/**
 * §10: the side that does not refresh sends BYE "slightly before the session
 * expiration": min(32 s, interval / 3) before it.
 */
export const EXPIRY_MARGIN_MAX = 32;

/**
 * setTimeout's largest delay (2**31 - 1 ms, 24.8 days); a larger one fires at
 * once. Delays are capped to it: a leg whose peer asked for a longer interval
 * is given up after 24.8 days without a refresh.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export type Refresher = 'uac' | 'uas';

/** A parsed Session-Expires value (§4): delta-seconds and the refresher, when given. */
export interface SessionExpires {
  readonly interval: number;
  readonly refresher: Refresher | undefined;
}

/** A header that may be absent (value undefined) or malformed (reason for a 400). */
export type HeaderResult<T> =
  | { readonly ok: true; readonly value: T | undefined }
  | { readonly ok: false; readonly reason: string };

/**
 * Session-Expires = delta-seconds *(SEMI se-params), se-params = refresher-param
 * / generic-param, refresher-param = "refresher" EQUAL ("uas" / "uac") (§4).
 * Undefined when malformed, including a refresher that is neither: reading an
 * unknown value as "no preference" could leave both sides waiting for the
 * other to refresh.
 */
export function parseSessionExpires(value: string): SessionExpires | undefined {
  const parsed = deltaAndParams(value, 'Session-Expires');
  if (parsed === undefined) return undefined;
  const refresher = parsed.params.get('refresher');
  if (refresher === undefined) return { interval: parsed.seconds, refresher: undefined };
  // ABNF literals are case-insensitive (RFC 5234 §2.3): "UAC" is "uac".
  const r = refresher?.toLowerCase();
  if (r !== 'uac' && r !== 'uas') return undefined;
  return { interval: parsed.seconds, refresher: r };
}

/** Min-SE = delta-seconds *(SEMI generic-param) (§5); undefined when malformed. */
export function parseMinSE(value: string): number | undefined {
  return deltaAndParams(value, 'Min-SE')?.seconds;
}

/** The Session-Expires of a message (compact form "x" too); at most one is allowed. */
export function sessionExpiresOf(msg: HasHeaders): HeaderResult<SessionExpires> {
  return singleHeader(msg, 'Session-Expires', parseSessionExpires);
}

/** The Min-SE of a message; at most one is allowed. */
export function minSEOf(msg: HasHeaders): HeaderResult<number> {
  return singleHeader(msg, 'Min-SE', parseMinSE);
}

/**
 * Whether the sender supports the extension: "timer" in Supported (compact
 * "k") or in Require, which implies support. Option tags are tokens, and
 * tokens compare case-insensitively (RFC 3261 §7.3.1).
 */
export function supportsTimer(msg: HasHeaders): boolean {
  return hasOptionTag(msg, 'Supported') || requiresTimer(msg);
}

export function requiresTimer(msg: HasHeaders): boolean {
  return hasOptionTag(msg, 'Require');
}

export interface UasTimerOptions {
  /** The shortest interval we accept (our Min-SE); default 90, never below 90. */
  readonly minSE?: number;
  /** The longest interval we run; longer requests are reduced (§9). Default 3600. */
  readonly maxSE?: number;
}

export type UasSessionTimer =
  /** No Session-Expires: no timer on this leg (a refresh without one turns it off). */
  | { readonly kind: 'none' }
  /** Answer 422 with these headers (Min-SE: our minimum, §9). */
  | {
      readonly kind: 'too-small';
      readonly minSE: number;
      readonly status: 422;
      readonly reason: string;
      readonly responseHeaders: HeaderField[];
    }
  /** Run a timer; put responseHeaders on the 2xx. */
  | {
      readonly kind: 'timer';
      readonly interval: number;
      readonly refresher: Refresher;
      /** refresher === 'uas': we send the refreshes on this leg. */
      readonly weRefresh: boolean;
      readonly responseHeaders: HeaderField[];
    }
  /** A malformed or repeated Session-Expires or Min-SE: answer 400. */
  | { readonly kind: 'invalid'; readonly status: 400; readonly reason: string };

/**
 * The UAS side of the negotiation (§9) for a received INVITE or UPDATE,
 * initial or refresh.
 *
 * - Below our minimum: 422 when the UAC supports timers. One that does not
 *   cannot read a 422 (§9 allows it only with Supported: timer): a proxy
 *   added the header, so the value is accepted as it is, raised only to
 *   the RFC's 90 s floor (anything lower is illegal anyway, §5).
 * - Above our maximum: reduced to it, but not below the request's Min-SE (§9).
 * - Refresher (§9 Table 2): the request's choice stands; with none and a UAC
 *   that supports timers we choose 'uac', so that the peer refreshes and the
 *   B2BUA only watches; a UAC without support cannot refresh, so 'uas'.
 * - Require: timer when the UAC supports the extension: mandatory with
 *   refresher=uac, RECOMMENDED with uas (§9). Never otherwise: a UA cannot
 *   be required to handle an extension it did not claim.
 */
export function uasSessionTimer(request: HasHeaders, opts: UasTimerOptions = {}): UasSessionTimer {
  const se = sessionExpiresOf(request);
  if (!se.ok) return invalid(se.reason);
  if (se.value === undefined) return { kind: 'none' };
  const minSE = minSEOf(request);
  if (!minSE.ok) return invalid(minSE.reason);

  const ours = atLeastFloor(opts.minSE, DEFAULT_MIN_SE);
  const supported = supportsTimer(request);
  if (se.value.interval < ours && supported) {
    return {
      kind: 'too-small',
      minSE: ours,
      status: 422,
      reason: 'Session Interval Too Small',
      responseHeaders: [{ name: 'Min-SE', value: String(ours) }],
    };
  }
  const max = Math.max(atLeastFloor(opts.maxSE, DEFAULT_MAX_SE), ours);
  const reduced = Math.min(se.value.interval, Math.max(max, minSE.value ?? 0));
  const interval = Math.max(reduced, MIN_SE_FLOOR);
  const refresher: Refresher = supported ? (se.value.refresher ?? 'uac') : 'uas';
  const responseHeaders: HeaderField[] = [
    { name: 'Session-Expires', value: `${interval};refresher=${refresher}` },
  ];
  if (supported) responseHeaders.push({ name: 'Require', value: OPTION_TAG });
  return { kind: 'timer', interval, refresher, weRefresh: refresher === 'uas', responseHeaders };
}

export type UacSessionTimer =
  /** No Session-Expires in the 2xx: no timer on this leg (§7.2). */
  | { readonly kind: 'none' }
  | {
      readonly kind: 'timer';
      readonly interval: number;
      readonly refresher: Refresher;
      /** refresher === 'uac': we, the UAC, send the refreshes. */
      readonly weRefresh: boolean;
    }
  /**
   * A malformed or repeated Session-Expires: a response cannot be refused.
   * The peer wanted some timer; refreshing at the interval we asked for, as
   * refresher, is the reading that cannot get the call torn down.
   */
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * The UAC side (§7.2) for a 2xx we received to our INVITE or UPDATE: the
 * 2xx's Session-Expires is the interval; refresher=uac means us. A 2xx
 * without Session-Expires means no timer, which turns off a running one.
 *
 * The UAS MUST set the refresher (§9); when it is missing we take the job:
 * a needless refresh costs one transaction, a missing one the call (JsSIP
 * reads it the same way). An interval below 90 s violates §9 (never below
 * our Min-SE, itself at least 90): it is raised to 90 rather than letting
 * the peer set our refresh rate (§11).
 */
export function uacSessionTimer(response: HasHeaders): UacSessionTimer {
  const se = sessionExpiresOf(response);
  if (!se.ok) return { kind: 'invalid', reason: se.reason };
  if (se.value === undefined) return { kind: 'none' };
  const refresher = se.value.refresher ?? 'uac';
  const interval = Math.max(se.value.interval, MIN_SE_FLOOR);
  return { kind: 'timer', interval, refresher, weRefresh: refresher === 'uac' };
}

export interface RequestTimerOptions {
  /** The interval we ask for (§7.1); raised to the Min-SE we send. */
  readonly interval: number;
  /** Omitted in an initial request (§7.1 RECOMMENDS it); a refresh states the current one (§7.4). */
  readonly refresher?: Refresher;
  /** Our Min-SE, or the largest one a 422 asked for (§7.3, §7.4); default 90. */
  readonly minSE?: number;
}

/**
 * Session-Expires and Min-SE for an INVITE or UPDATE we send (§7.1, §7.4).
 * The caller also lists "timer" in Supported (OPTION_TAG; §7.1: in every
 * request but ACK), next to its other option tags.
 */
export function requestTimerHeaders(opts: RequestTimerOptions): HeaderField[] {
  const minSE = atLeastFloor(opts.minSE, DEFAULT_MIN_SE);
  // §7.1: Session-Expires MUST NOT be below the Min-SE of the same request.
  const interval = Math.max(atLeastFloor(opts.interval, DEFAULT_SESSION_EXPIRES), minSE);
  const refresher = opts.refresher === undefined ? '' : `;refresher=${opts.refresher}`;
  return [
    { name: 'Session-Expires', value: `${interval}${refresher}` },
    { name: 'Min-SE', value: String(minSE) },
  ];
}

/** §7.2, §9: when the refresher sends its refresh, in ms after the last one. */
export function refreshDelayMs(interval: number): number {
  return timerMs(interval * REFRESH_FRACTION);
}

/** §10: when the side that does not refresh gives up and sends BYE, in ms after the last refresh. */
export function expiryDelayMs(interval: number): number {
  return timerMs(interval - Math.min(EXPIRY_MARGIN_MAX, interval / 3));
}

/** The delay of the one timer a leg runs: refresh when we refresh, else expiry. */
export function timerDelayMs(timer: { interval: number; weRefresh: boolean }): number {
  return timer.weRefresh ? refreshDelayMs(timer.interval) : expiryDelayMs(timer.interval);
}

// ------------------------------------------------------------ internals

function timerMs(seconds: number): number {
  if (!(seconds > 0)) return 0; // NaN and negatives too
  return Math.min(Math.round(seconds * 1000), MAX_TIMER_MS);
}

/** A configured number of seconds, or the default when it is not one; never below 90 (§5). */
function atLeastFloor(value: number | undefined, fallback: number): number {
  const n = value !== undefined && Number.isFinite(value) ? Math.floor(value) : fallback;
  return Math.max(n, MIN_SE_FLOOR);
}

function invalid(reason: string): UasSessionTimer {
  return { kind: 'invalid', status: 400, reason: `Bad Request - ${reason}` };
}

function singleHeader<T>(
  msg: HasHeaders,
  name: string,
  parse: (value: string) => T | undefined,
): HeaderResult<T> {
  const [field, ...more] = getHeaders(msg, name);
  if (field === undefined) return { ok: true, value: undefined };
  // Both are single-valued (§4, §5): two fields cannot be reconciled.
  if (more.length > 0) return { ok: false, reason: `More than one ${name}` };
  const value = parse(field.value);
  return value === undefined ? { ok: false, reason: `Malformed ${name}` } : { ok: true, value };
}

/** delta-seconds (1*DIGIT, at most 2**32-1) then *(SEMI generic-param), nothing else. */
function deltaAndParams(
  value: string,
  what: string,
): { seconds: number; params: Params } | undefined {
  const s = value.trim();
  let end = 0;
  for (let c = s.charCodeAt(0); c >= 0x30 && c <= 0x39; c = s.charCodeAt(++end));
  if (end === 0) return undefined;
  try {
    const seconds = parseDeltaSeconds(s.slice(0, end), what);
    const params: Params = new Map();
    // parseParams stops at a comma: "1800, 90" is two values where one is allowed.
    if (parseParams(s, end, params, what) !== s.length) return undefined;
    return { seconds, params };
  } catch (e) {
    if (isLinegateError(e, 'sip.parse')) return undefined;
    throw e;
  }
}

function hasOptionTag(msg: HasHeaders, header: string): boolean {
  return headerValues(msg, header).some((tag) => tag.toLowerCase() === OPTION_TAG);
}
