/**
 * One REGISTER exchange of a line (RFC 3261 §10.2): send with digest
 * (401 and 407 answered by sendWithAuth, §22.2), and turn whatever came back
 * — a response, a timeout (§8.1.3.1), a transport failure — into the input
 * of the line's state machine.
 */
import type { ClientAuthState, GiveUpReason } from '../sip/auth/client-state.ts';
import { cseq as cseqOf } from '../sip/message/headers.ts';
import type { SipResponse, SipUri } from '../sip/message/types.ts';
import { udpDestination, type SipStack } from '../sip/stack.ts';
import { sendWithAuth, type UacResult } from '../sip/uac.ts';
import type { LineInput } from './machine.ts';
import { buildRegister, interpretRegisterResponse, type RegisterSpec } from './register-message.ts';

export interface Exchange {
  readonly sip: SipStack;
  readonly auth: ClientAuthState;
  /** The REGISTER to send; its CSeq is the first this exchange uses. */
  readonly spec: RegisterSpec;
  readonly authUser: string;
  /** Why sends to the registrar fail, when known (a DNS error of its host name). */
  readonly transportDetail: () => string | undefined;
}

export interface ExchangeResult {
  readonly input: LineInput;
  /** The final response when one came from the network (P-Associated-URI, RFC 3455). */
  readonly response: SipResponse | undefined;
  /** The last CSeq used (a challenge adds one, §8.1.3.5). */
  readonly cseq: number;
}

export async function registerExchange(x: Exchange): Promise<ExchangeResult> {
  const dest = udpDestination(x.spec.registrar.host, x.spec.registrar.port);
  // sendWithAuth re-uses the last nonce of the realm (§22.3), saving a round trip.
  const preemptive = x.auth.size > 0;
  let result = await sendWithAuth(x.sip, buildRegister(x.spec), dest, x.auth);
  let last = cseqOf(result.request).seq;
  if (preemptive && result.source === 'network' && result.authFailure === 'rejected') {
    // A registrar that restarted (or rotated its secret) refuses a nonce it no
    // longer knows without stale=true (Kamailio does): start afresh, once.
    x.auth.forget();
    result = await sendWithAuth(x.sip, buildRegister({ ...x.spec, cseq: last + 1 }), dest, x.auth);
    last = cseqOf(result.request).seq;
  }
  // A refused password must not be re-offered with an old nonce next time.
  if (result.authFailure !== undefined) x.auth.forget();
  return {
    input: toInput(result, x),
    response: result.source === 'network' ? result.response : undefined,
    cseq: last,
  };
}

function toInput(r: UacResult, x: Exchange): LineInput {
  switch (r.source) {
    case 'network': {
      const input = interpretRegisterResponse(r.response, x.spec.contact);
      if (input.type === 'failed' && input.reason.kind === 'auth' && r.authFailure !== undefined) {
        const detail = authDetail(r.response, r.authFailure, x.authUser);
        return { type: 'failed', reason: { kind: 'auth', detail } };
      }
      return input;
    }
    // §8.1.3.1: Timer F fired; an unanswered CANCEL cannot happen to a REGISTER.
    case 'timeout':
    case 'cancelled':
      return { type: 'failed', reason: { kind: 'timeout' } };
    case 'transport-error':
      return {
        type: 'failed',
        reason: { kind: 'transport', detail: x.transportDetail() ?? 'the UDP send failed' },
      };
    case 'overload':
      return {
        type: 'failed',
        reason: { kind: 'transport', detail: `not sent: ${r.response.reason}` },
      };
  }
}

function authDetail(res: SipResponse, why: GiveUpReason, authUser: string): string {
  const status = `${res.status} ${res.reason}`;
  switch (why) {
    case 'rejected':
    case 'stale-loop':
      return `${status}: the registrar refused the credentials of auth user "${authUser}" (wrong password or auth user?)`;
    case 'no-credentials':
      return `${status}: no credentials for the realm the registrar asks for`;
    case 'no-usable-challenge':
      return `${status}: the registrar asks for an authentication scheme Linegate cannot answer`;
  }
}

/** The Contact a line registers (issue #4): sip:<username>@<our UDP sent-by>. */
export function contactUri(username: string, sentBy: string): SipUri {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(sentBy);
  return {
    kind: 'sip',
    scheme: 'sip',
    user: username,
    password: undefined,
    host: m?.[1] ?? sentBy,
    port: m?.[2] === undefined ? undefined : Number(m[2]),
    params: new Map(),
    headers: new Map(),
  };
}
