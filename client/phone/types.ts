/**
 * The Phone facade: everything the views know of telephony. The real one
 * (jssip-phone.ts) runs JsSIP against the gateway; component tests use a
 * fake with the same interface. Views read state synchronously and
 * re-render on `subscribe`; commands return promises that reject with a
 * PhoneError whose `code` the views translate — never a silent nothing.
 */
import type {
  AfterSignIn,
  AfterSignInAction,
  ApiColleagueLine,
  ApiLine,
  ForwardRule,
  JournalPage,
  JournalResult,
} from '#shared/api.ts';

export type {
  AfterSignIn,
  AfterSignInAction,
  ApiColleagueLine,
  ApiLine,
  LineFunctions,
  FeatureCode,
  ForwardCalls,
  ForwardRule,
  ForwardWhen,
  JournalEntry,
  JournalPage,
  JournalResult,
} from '#shared/api.ts';

export { MAX_AFTER_SIGN_IN_DIAL, MAX_AFTER_SIGN_IN_NAME } from './after-sign-in.ts';

/** The connection to the gateway as the user sees it. */
export type ConnectionState =
  /** No session: the sign-in view. */
  | 'signed-out'
  /** Signed in, first connection or registration under way. */
  | 'connecting'
  /** Registered: calls can come and go. */
  | 'connected'
  /** Lost the gateway (network change, sleep, restart): trying again by itself. */
  | 'reconnecting'
  /** The browser says it has no network. */
  | 'offline';

export type CallDirection = 'incoming' | 'outgoing';

export type CallState =
  /** Incoming, not answered yet. */
  | 'ringing'
  /** Outgoing, sent; no answer yet (progress may say the far end rings). */
  | 'dialing'
  /** Outgoing, the far end rings or plays early media. */
  | 'progress'
  | 'active'
  | 'ended';

/** Why a call ended, for the message the user sees. */
export type EndReason =
  | 'local-hangup'
  | 'remote-hangup'
  /** 486, 600. */
  | 'busy'
  /** 603, 607. */
  | 'declined'
  /** 480, 408, 410, 503 … */
  | 'unavailable'
  /** 404, 484, 604. */
  | 'not-found'
  | 'cancelled'
  /** Another device of the user (or a colleague) answered: no missed call. */
  | 'answered-elsewhere'
  | 'missed'
  /** The connection to the gateway broke. */
  | 'network'
  /** Microphone permission refused or no microphone. */
  | 'no-microphone'
  | 'failed';

export interface Party {
  /** Number as the gateway gives it ("" when withheld). */
  readonly number: string;
  readonly name?: string | undefined;
  readonly anonymous: boolean;
}

export interface CallView {
  readonly id: string;
  readonly direction: CallDirection;
  readonly state: CallState;
  readonly remote: Party;
  /** The line the call is on ("<group>/<username>"), when known. */
  readonly line?: string | undefined;
  /** Incoming: the number that was called. */
  readonly called?: string | undefined;
  /** Incoming after a forwarding: the original called number and why. */
  readonly divertedFrom?:
    { readonly number: string; readonly reason?: string | undefined } | undefined;
  /** Date.now() values. */
  readonly startedAt: number;
  readonly answeredAt?: number | undefined;
  readonly endedAt?: number | undefined;
  readonly muted: boolean;
  /** We put it on hold. */
  readonly held: boolean;
  /** The other side put us on hold. */
  readonly remoteHeld: boolean;
  readonly end?:
    | {
        readonly reason: EndReason;
        /** SIP status when one came. */
        readonly status?: number | undefined;
      }
    | undefined;
}

export interface SignedInUser {
  readonly username: string;
  readonly displayName: string;
}

export type PhoneErrorCode =
  | 'credentials'
  | 'rate-limited'
  | 'network'
  | 'not-connected'
  | 'no-microphone'
  | 'no-such-call'
  | 'invalid-number'
  | 'unsupported'
  /** The after-sign-in action needs the user to have exactly one line (409). */
  | 'not-single-line'
  | 'failed';

export class PhoneError extends Error {
  override readonly name = 'PhoneError';
  constructor(
    readonly code: PhoneErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface AudioDevices {
  /** deviceId of the microphone; undefined = the system default. */
  readonly input?: string | undefined;
  /** deviceId of the speaker/headset (HTMLMediaElement.setSinkId); undefined = default. */
  readonly output?: string | undefined;
}

export interface Phone {
  readonly connection: ConnectionState;
  readonly user: SignedInUser | undefined;
  /** The user's lines with their live state. */
  readonly lines: readonly ApiLine[];
  /**
   * Colleagues' lines of the same line groups, with live ringing state, for
   * users with the pickup permission (empty otherwise). A ringing one is
   * picked up by calling its `pickup` on its `viaLine`.
   */
  readonly colleagues: readonly ApiColleagueLine[];
  /** Calls not yet dismissed, oldest first (ended ones stay until dismiss()). */
  readonly calls: readonly CallView[];
  /**
   * The session's after-sign-in action (Session.afterSignIn, seed 000): what
   * the app dials once after the user signed in with the sign-in form.
   * Undefined when there is none (or the user has several lines) and while
   * signed out.
   */
  readonly afterSignInAction: AfterSignInAction | undefined;

  /** Calls `listener` after every change of anything above; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;

  /** Continues a session the gateway still knows (cookie); false when there is none. */
  resume(): Promise<boolean>;
  signIn(username: string, password: string): Promise<void>;
  /** Ends calls, unregisters, revokes the session. */
  signOut(): Promise<void>;

  /** Places a call on `line` (default: the gateway's choice, the user's first line); returns its id. */
  call(number: string, opts?: { line?: string }): Promise<string>;
  answer(id: string): Promise<void>;
  /** Refuses a ringing call: 486 busy (default) or 603 decline. */
  decline(id: string, status?: 486 | 603): Promise<void>;
  /** Ends a call in any state (CANCEL, BYE). */
  hangup(id: string): Promise<void>;
  hold(id: string, on: boolean): Promise<void>;
  mute(id: string, on: boolean): void;
  sendDtmf(id: string, tones: string): void;
  /** Blind transfer (REFER) to a number. */
  transfer(id: string, number: string): Promise<void>;
  /** Call waiting: holds every other active call and resumes this one. */
  swap(id: string): Promise<void>;
  /** Removes an ended call from `calls`. */
  dismiss(id: string): void;

  /**
   * The gateway's call journal of this user (GET /api/journal), newest
   * first; `before` pages back. Rejects with 'network' or 'not-connected'.
   */
  journal(query?: {
    readonly result?: JournalResult;
    readonly line?: string;
    readonly before?: number;
    readonly limit?: number;
  }): Promise<JournalPage>;

  /**
   * Do-not-disturb of one of the user's lines (kept by the gateway): while
   * on, calls get the line group's "no client" answer. `lines` shows the new
   * state once the gateway reports it.
   */
  setDnd(lineId: string, on: boolean): Promise<void>;

  /** The user's server-side forwarding rules (GET /api/forwarding). */
  forwarding(): Promise<readonly ForwardRule[]>;
  /**
   * Replaces the user's forwarding rules (PUT /api/forwarding); resolves with
   * them as the gateway keeps them, rejects with 'failed' and the gateway's
   * reason (e.g. "rule 0: target must be a number") when it refuses them.
   */
  setForwarding(rules: readonly ForwardRule[]): Promise<readonly ForwardRule[]>;

  /** The user's after-sign-in setting (GET /api/after-sign-in): `{ dial: null }` for none. */
  afterSignIn(): Promise<AfterSignIn>;
  /**
   * Sets it (PUT /api/after-sign-in); resolves with it as the gateway keeps
   * it. Rejects with 'not-single-line' when the user has not exactly one
   * line (409), with 'failed' and the gateway's reason when it refuses the
   * action (400). It takes effect at the next sign-in.
   */
  setAfterSignIn(action: AfterSignIn): Promise<AfterSignIn>;

  /** The remote audio of a call (for a level meter); undefined before media. */
  remoteStream(id: string): MediaStream | undefined;
  readonly devices: AudioDevices;
  setDevices(devices: AudioDevices): Promise<void>;
}
