/**
 * The gateway's HTTP API as both sides see it (DESIGN.md: JSON under /api).
 * Types only, plus the few names both sides must spell alike.
 *
 *   POST   /api/session   SignInRequest → 201 Session (+ HttpOnly cookie) | 401 | 429 ApiError
 *   GET    /api/session   (cookie or Authorization: Bearer) → 200 Session | 401
 *   DELETE /api/session   → 204 (the token is revoked; its registrations end)
 *   GET    /api/events    (cookie) → text/event-stream: `event: lines` with ApiLine[]
 *                          on every change, and a first snapshot at once
 *   GET    /api/journal   ?limit&before&result&line → 200 JournalPage | 400 | 401
 *   PUT    /api/lines/<group>/<username>/dnd  {"on": boolean} → 204 | 400 | 401 | 403
 *   GET    /api/after-sign-in → 200 AfterSignIn | 401
 *   PUT    /api/after-sign-in   AfterSignIn → 200 AfterSignIn | 400 | 401 | 409
 *
 * The browser never keeps the user's password: it signs in once, the
 * gateway sets an HttpOnly session cookie, and GET /api/session hands the
 * page the SIP credentials of that session (a per-session digest user and
 * secret that JsSIP uses as authorization_user and password). Signing out
 * revokes them.
 */

import type { Location } from './dialing/location.ts';

export interface SignInRequest {
  readonly username: string;
  readonly password: string;
}

/** What a signed-in page needs to run the phone. */
export interface Session {
  readonly user: {
    readonly username: string;
    readonly displayName: string;
  };
  readonly sip: {
    /** sip:<username>@<domain>: the AOR JsSIP registers (its `uri`). */
    readonly uri: string;
    /** JsSIP `authorization_user`: the session's own digest user name. */
    readonly authUser: string;
    /** JsSIP `password`: the session's digest secret (not the user's password). */
    readonly password: string;
    /** Path of the SIP WebSocket on this origin ("/sip"). */
    readonly wsPath: string;
    /**
     * STUN/TURN servers (empty: host candidates only), as configured:
     * "stun:host:port" or "turn:user:password@host:port" — the page turns
     * the latter into RTCIceServer { urls, username, credential }.
     */
    readonly iceServers: readonly string[];
  };
  readonly lines: readonly ApiLine[];
  /** Colleagues' lines, for users with the pickup permission (else empty). */
  readonly colleagues?: readonly ApiColleagueLine[];
  /**
   * What the PWA dials right after the user signed in with the sign-in form
   * (not when a page resumes its session): set in the user's settings, and
   * present only while the user has exactly one line (seed 000).
   */
  readonly afterSignIn?: AfterSignInAction;
  /** When the session ends unless used (ISO 8601). */
  readonly expiresAt: string;
}

/** One of the user's lines, as the phone shows it. */
export interface ApiLine {
  /** "<group>/<username>": what X-Linegate-Line names. */
  readonly id: string;
  /** Display name of the line, else its number. */
  readonly label: string;
  /** The line's own number (the PBX account, or its first configured number). */
  readonly number: string;
  /** Registered at the PBX right now. */
  readonly registered: boolean;
  /** Calls ringing for this line at the gateway. */
  readonly ringing: number;
  /** Calls up on this line. */
  readonly active: number;
  /**
   * How a ringing call on this line may be refused (the line group's
   * decline settings, seed 003): 'choice' busy (486) or decline (603);
   * 'single' one decline button (the gateway answers with the group's
   * code); 'hidden' no decline button.
   */
  readonly decline: 'choice' | 'single' | 'hidden';
  /** Do-not-disturb is on: calls get the group's "no client" answer (PUT /api/lines/<id>/dnd). */
  readonly dnd: boolean;
  /**
   * The line group's feature codes to offer on this line (seeds 000/003):
   * dialled as an ordinary call on the line, `<NUMBER>` replaced by a number
   * the user gives. The PBX's answer is not evaluated.
   */
  readonly featureCodes: readonly FeatureCode[];
  /**
   * Seed 003 "Funktionen": what the line group allows in a call (hold,
   * transfer, DTMF, a second call); the gateway refuses the others. Absent
   * from older gateways: then everything is allowed.
   */
  readonly functions?: LineFunctions;
  /**
   * The line group's location ("Standort", seed 004) when it has one: the
   * PWA shows numbers with displayNumber() from #shared/dialing under it.
   * The gateway already sends incoming callers as an extension or compact
   * +E.164; this adds the grouping ("+49 89 1234567").
   */
  readonly location?: Location;
}

export interface LineFunctions {
  readonly hold: boolean;
  readonly transfer: boolean;
  readonly dtmf: boolean;
  readonly secondCall: boolean;
}

/**
 * A colleague's line a user with the pickup permission sees (issue #7):
 * a line of the same line group that is not the user's own. Sent in the
 * session and as `event: colleagues` on /api/events.
 */
export interface ApiColleagueLine {
  readonly id: string;
  readonly label: string;
  readonly number: string;
  /** Calls ringing for it at the gateway now: it can be picked up. */
  readonly ringing: number;
  /** What to dial to pick it up (the group's pickup code with its number). */
  readonly pickup: string;
  /** The user's own line of that group to call the pickup code on. */
  readonly viaLine: string;
}

export interface FeatureCode {
  readonly name: string;
  /**
   * Digits, * and #, with at most one `<NUMBER>` (a number the user gives)
   * and at most one `<SECONDS>` placeholder: see #shared/feature-codes.ts.
   */
  readonly code: string;
}

export { NUMBER_PLACEHOLDER, SECONDS_PLACEHOLDER } from './feature-codes.ts';

/**
 * "After sign-in" (seed 000, issue #7): one number — typically a feature
 * code such as "cancel forwarding" with its parameters filled in — that the
 * PWA dials on the user's line right after the user signs in. As in
 * ProCall it needs the user to have exactly one line: PUT answers 409
 * (code 'not-single-line') otherwise.
 *
 *   GET /api/after-sign-in → { dial: null } or { dial, name }
 *   PUT /api/after-sign-in   { dial: null } (nothing) or { dial, name } → 200 the same | 400 | 401 | 409
 */
export type AfterSignIn =
  | { readonly dial: null }
  | {
      /** Digits, *, # and + (at most 32): what is dialled. */
      readonly dial: string;
      /** What it is, for the user (the feature code's name), at most 100 characters. */
      readonly name: string;
    };

/** Session.afterSignIn: the action with the line it is dialled on. */
export interface AfterSignInAction {
  readonly line: string;
  readonly dial: string;
  readonly name: string;
}

export interface ApiError {
  readonly error: string;
  /** Machine-readable: 'credentials', 'rate-limited', 'unauthenticated', 'bad-request' … */
  readonly code: string;
}

/** Name of the session cookie (HttpOnly, SameSite=Strict, Path=/). */
export const SESSION_COOKIE = 'lg_session';

/** SIP header naming the line of an outgoing call (DESIGN.md). */
export const LINE_HEADER = 'X-Linegate-Line';
/** Headers on the INVITE a browser gets for an incoming call. */
export const CALLED_HEADER = 'X-Linegate-Called';
export const DIVERTED_HEADER = 'X-Linegate-Diverted-From';

/** How a call ended, as the journal shows it (gateway/store/journal.ts). */
export const JOURNAL_RESULTS = [
  'answered',
  /** Incoming, the caller gave up or nobody answered in time. */
  'missed',
  /** Refused by the user (603) or by the line's decline policy. */
  'declined',
  'busy',
  /** Outgoing, the user hung up before an answer. */
  'cancelled',
  /** Nobody could take it (no device), or the PBX could not reach the number. */
  'unavailable',
  'not-found',
  'failed',
  /** Sent elsewhere with 302 (forwarding rule or mailbox). */
  'forwarded',
  /** The gateway stopped or crashed while the call was up. */
  'interrupted',
] as const;

export type JournalResult = (typeof JOURNAL_RESULTS)[number];

/** One call in the gateway's journal; times are ms since the epoch. */
export interface JournalEntry {
  readonly id: string;
  readonly direction: 'incoming' | 'outgoing';
  /** "<group>/<username>". */
  readonly line: string;
  /** Who made or answered it (undefined: nobody answered). */
  readonly user?: string;
  readonly remoteNumber: string;
  readonly remoteName?: string;
  readonly calledNumber?: string;
  readonly divertedFrom?: string;
  readonly at: number;
  readonly answeredAt?: number;
  readonly endedAt?: number;
  /** Undefined while the call is still going on. */
  readonly result?: JournalResult;
  /** The SIP status that ended an unanswered call. */
  readonly status?: number;
  /** Where a forwarded call went. */
  readonly forwardedTo?: string;
  /**
   * Why it was forwarded: the user whose forwarding rule or mailbox sent it
   * there (for a forwarded call).
   */
  readonly forwardedBy?: string;
  /** The call was picked up by `user` from a colleague's line (gateway-side pickup). */
  readonly pickedUp?: boolean;
  /** Media statistics as the gateway's media engine reported them at the end (answered calls). */
  readonly stats?: unknown;
}

export interface JournalPage {
  readonly entries: readonly JournalEntry[];
  /** Pass as `before` for the next (older) page; absent on the last page. */
  readonly next?: number;
}

/**
 * Server-side call forwarding (seeds 001/002, issue #7), set by each user:
 *
 *   GET /api/forwarding → { rules: ForwardRule[] }
 *   PUT /api/forwarding   { rules: ForwardRule[] } → 200 { rules } | 400 | 401
 *
 * A call to `line` that matches an enabled rule is answered with 302 Moved
 * Temporarily to `target` (in the line's dialable form): "always" at once,
 * "busy" only while the user is in a call on that line. "internal"/"external"
 * is decided from the caller's number and the line group's location.
 */
export type ForwardWhen = 'always' | 'busy';
export type ForwardCalls = 'all' | 'internal' | 'external';

export interface ForwardRule {
  /** One of the user's lines ("<group>/<username>"). */
  readonly line: string;
  readonly when: ForwardWhen;
  readonly calls: ForwardCalls;
  /** The number to forward to, as typed (digits, *, #, leading +). */
  readonly target: string;
  readonly enabled: boolean;
}

export interface ForwardingRules {
  readonly rules: readonly ForwardRule[];
}

/** At most this many rules per user. */
export const MAX_FORWARD_RULES = 20;
