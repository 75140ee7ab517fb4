/**
 * What call setup needs from the rest of the gateway, in one place, so
 * that incoming.ts and outgoing.ts stay about SIP and nothing else.
 */
import type { Logger } from '../log.ts';
import type { JournalAnswer, JournalEnd, JournalOffer, JournalResult } from '../store/journal.ts';
import type { LineInfo } from '../lines/manager.ts';
import type { CallMedia, CallMediaOptions, MediaEvent } from '../media/index.ts';
import type { Binding } from '../registrar/bindings.ts';
import { ClientAuthState } from '../sip/auth/client-state.ts';
import type { HeaderField, SipResponse, SipUri } from '../sip/message/types.ts';
import { createResponse } from '../sip/message/build.ts';
import { formatNameAddr } from '../sip/message/headers.ts';
import type { ServerTransaction, SipStack, WsFlow } from '../sip/stack.ts';
import type { Call, CallInfo } from './call.ts';

export { sipUri };
import type { Leg, LegEnv, LegSide } from './leg.ts';
import type { SessionTimerPlan } from './session-refresh.ts';
import { contactUri } from '../lines/register-client.ts';
import { sipUri } from '../sip/message/uri.ts';

/** A registered browser a call can ring: its binding and the live WebSocket behind it. */
export interface Device {
  readonly binding: Binding;
  readonly flow: WsFlow;
}

/** Where calls are written down (store/journal.ts); a no-op for groups with journal: false. */
export interface CallJournal {
  offered(o: JournalOffer): void;
  answered(id: string, a: JournalAnswer): void;
  ended(id: string, e: JournalEnd): void;
}

export interface SetupContext {
  readonly sip: SipStack;
  readonly env: LegEnv;
  readonly log: Logger;
  /** Media for one call; events go to the call once it exists. */
  createMedia(opts: CallMediaOptions, onEvent: (e: MediaEvent) => void): Promise<CallMedia>;
  /** Seed 003 "Zweitanruf" off and the line is in a call: a new call gets busy. */
  secondCallRefused(line: LineInfo): boolean;
  /** Do-not-disturb of a line (calls get decline.noClient). */
  dnd(lineId: string): boolean;
  /** A forwarding rule (or mailbox forwarding) for this call, with its dialable target. */
  forwarding(line: LineInfo, caller: string, devices: number): ForwardTarget | undefined;
  /** Registered devices of every user who owns `lineId`. */
  devices(lineId: string): Device[];
  /**
   * The call is up: builds it, indexes its legs so that in-dialog requests
   * find it, hands it the media events that came during set-up and starts
   * the session timers each leg negotiated.
   */
  start(parts: CallParts): Call;
  /** Our SIP URI toward browsers (Contact of the INVITEs and 2xx we send them). */
  readonly clientContact: SipUri;
  /** The host used in From/To toward browsers. */
  readonly clientDomain: string;
  /** host:port the PBX reaches us at (Contact user = the line's username). */
  readonly pbxSentBy: string;
  readonly userAgent: string;
  /** The journal of a line (its group's `journal` setting decides). */
  journal(line: LineInfo): CallJournal;
  /** Wall-clock ms for the journal. */
  readonly now: () => number;
  /** A call for `lineId` starts (+1) or stops (−1) ringing at the devices; it can be picked up meanwhile. */
  ringing(lineId: string, delta: 1 | -1, call: Pickable): void;
  /** A ringing call ends unanswered after this long (ms). */
  readonly ringTimeoutMs: number;
}

export interface CallParts {
  readonly info: CallInfo;
  readonly client: Leg;
  readonly pbx: Leg;
  readonly media: CallMedia;
  /** Media events seen before the call existed. */
  readonly events: readonly MediaEvent[];
  readonly timers: Readonly<Record<LegSide, SessionTimerPlan>>;
}

export interface ForwardTarget {
  /** The number as the PBX expects it (the line group's dialing rules applied). */
  readonly dial: string;
  readonly why: 'always' | 'busy' | 'mailbox';
  readonly user: string;
}

/** A ringing call a colleague can take (gateway-side pickup). */
export interface Pickable {
  /** The picker's INVITE (with its offer) gets the call; false when too late. */
  pickUp(tx: ServerTransaction, user: string): Promise<boolean>;
}

/** Methods we accept within calls (Allow, §20.5). */
export const CALL_ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, REFER, NOTIFY';

/** Digest toward the PBX with the line's credentials (seed 004 "Authentifizierungs-Benutzer"). */
export function lineAuth(line: LineInfo): ClientAuthState {
  const credentials = { username: line.plan.authUser, password: line.plan.password };
  return new ClientAuthState({ credentials: () => credentials });
}

/** Our Contact toward the PBX for a line: the one it registered (sip:<username>@<sentBy>). */
export function pbxContact(line: LineInfo, sentBy: string): SipUri {
  return contactUri(line.plan.username, sentBy);
}

/** The line's registrar URI for a number: sip:<number>@<registrar>. */
export function pbxTarget(line: LineInfo, user: string): SipUri {
  const { host, port } = line.plan.registrar;
  return sipUri(user, host, port === 5060 ? undefined : port);
}

export function header(name: string, value: string): HeaderField {
  return { name, value };
}

/** A Contact header field for one of our URIs (§8.1.1.8). */
export function contactHeader(uri: SipUri): HeaderField {
  return header('Contact', formatNameAddr({ displayName: undefined, uri, params: new Map() }));
}

/** RFC 3326 Reason of the CANCELs and BYEs sent to the other devices once one answered. */
export const COMPLETED_ELSEWHERE = header(
  'Reason',
  'SIP;cause=200;text="Call completed elsewhere"',
);

/**
 * Our 2xx to an INVITE that creates a call leg (§13.3.1.4): Contact, Allow,
 * Supported: timer, the session-timer headers the request negotiated
 * (RFC 4028 §9), and the SDP. Record-Route is copied toward the PBX (§12.1.1).
 */
export function inviteOk(
  tx: ServerTransaction,
  contact: SipUri,
  sdp: string,
  opts: { timerHeaders: readonly HeaderField[]; recordRoute: boolean; userAgent?: string },
): SipResponse {
  return createResponse(tx.request, 200, 'OK', {
    toTag: tx.toTag,
    recordRoute: opts.recordRoute,
    headers: [
      contactHeader(contact),
      header('Allow', CALL_ALLOW),
      header('Supported', 'timer'),
      ...(opts.userAgent === undefined ? [] : [header('User-Agent', opts.userAgent)]),
      ...opts.timerHeaders,
      header('Content-Type', 'application/sdp'),
    ],
    body: Buffer.from(sdp),
  });
}

/** What the journal says of a call that ended with this final status before anyone talked. */
export function resultOf(direction: 'incoming' | 'outgoing', status: number): JournalResult {
  if (status === 487) return direction === 'incoming' ? 'missed' : 'cancelled';
  if (status === 486 || status === 600) return 'busy';
  if (status === 603 || status === 607) return 'declined';
  if (status === 404 || status === 484 || status === 604) return 'not-found';
  if (status === 480 || status === 408 || status === 410 || status === 503)
    return direction === 'incoming' ? 'missed' : 'unavailable';
  return 'failed';
}
