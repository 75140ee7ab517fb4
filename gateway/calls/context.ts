/**
 * What call setup needs from the rest of the gateway, in one place, so
 * that incoming.ts and outgoing.ts stay about SIP and nothing else.
 */
import type { Logger } from '../log.ts';
import type { LineInfo } from '../lines/manager.ts';
import type { CallMedia, CallMediaOptions, MediaEvent } from '../media/index.ts';
import type { Binding } from '../registrar/bindings.ts';
import { ClientAuthState } from '../sip/auth/client-state.ts';
import type { HeaderField, SipUri } from '../sip/message/types.ts';
import type { SipStack, WsFlow } from '../sip/stack.ts';
import type { Call, CallEnv, CallInfo } from './call.ts';
import type { Leg } from './leg.ts';

/** A registered browser a call can ring: its binding and the live WebSocket behind it. */
export interface Device {
  readonly binding: Binding;
  readonly flow: WsFlow;
}

export interface SetupContext {
  readonly sip: SipStack;
  readonly env: CallEnv;
  readonly log: Logger;
  /** Media for one call; events go to the call once it exists. */
  createMedia(opts: CallMediaOptions, onEvent: (e: MediaEvent) => void): Promise<CallMedia>;
  /** Registered devices of every user who owns `lineId`. */
  devices(lineId: string): Device[];
  /** An established call: index its legs so that in-dialog requests find it. */
  established(call: Call): void;
  /** Builds the call (so that tests and setups share one constructor). */
  newCall(info: CallInfo, client: Leg, pbx: Leg, media: CallMedia): Call;
  /** Our SIP URI toward browsers (Contact of the INVITEs and 2xx we send them). */
  readonly clientContact: SipUri;
  /** The host used in From/To toward browsers. */
  readonly clientDomain: string;
  /** host:port the PBX reaches us at (Contact user = the line's username). */
  readonly pbxSentBy: string;
  readonly userAgent: string;
  /** A ringing call ends unanswered after this long (ms). */
  readonly ringTimeoutMs: number;
}

/** Methods we accept within calls (Allow, §20.5). */
export const CALL_ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO';

/** Digest toward the PBX with the line's credentials (seed 004 "Authentifizierungs-Benutzer"). */
export function lineAuth(line: LineInfo): ClientAuthState {
  const credentials = { username: line.plan.authUser, password: line.plan.password };
  return new ClientAuthState({ credentials: () => credentials });
}

export function sipUri(user: string | undefined, host: string, port?: number): SipUri {
  return {
    kind: 'sip',
    scheme: 'sip',
    user,
    password: undefined,
    host,
    port,
    params: new Map(),
    headers: new Map(),
  };
}

/** Our Contact toward the PBX for a line: sip:<username>@<sentBy>, as registered. */
export function pbxContact(line: LineInfo, sentBy: string): SipUri {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(sentBy);
  return sipUri(
    line.plan.username,
    m?.[1] ?? sentBy,
    m?.[2] === undefined ? undefined : Number(m[2]),
  );
}

/** The line's registrar URI for a number: sip:<number>@<registrar>. */
export function pbxTarget(line: LineInfo, user: string): SipUri {
  const { host, port } = line.plan.registrar;
  return sipUri(user, host, port === 5060 ? undefined : port);
}

export function header(name: string, value: string): HeaderField {
  return { name, value };
}

/** RFC 3326 Reason of the CANCELs and BYEs sent to the other devices once one answered. */
export const COMPLETED_ELSEWHERE = header(
  'Reason',
  'SIP;cause=200;text="Call completed elsewhere"',
);
