/**
 * The REGISTER a line sends (RFC 3261 §10.2) and what its final response
 * means for the line's state machine (machine.ts).
 */
import { createRequest } from '../sip/dialog/requests.ts';
import {
  contacts,
  expires as expiresHeader,
  formatNameAddr,
  getHeader,
} from '../sip/message/headers.ts';
import { formatUri, sipUri, uriEquals } from '../sip/message/uri.ts';
import type { SipRequest, SipResponse, SipUri } from '../sip/message/types.ts';
import type { FailureReason, LineInput } from './machine.ts';

export interface RegisterSpec {
  /** The account: the AOR's user part. */
  readonly username: string;
  readonly displayName?: string | undefined;
  readonly registrar: { readonly host: string; readonly port: number };
  /** Our Contact, reachable from the PBX (sip.publicAddress or the bound address). */
  readonly contact: SipUri;
  readonly expires: number;
  /** §10.2.4: one Call-ID for all REGISTERs of a line, CSeq growing. */
  readonly callId: string;
  readonly cseq: number;
  readonly fromTag: string;
  readonly userAgent: string;
}

/** The registrar's domain URI: §10.2 Request-URI "sip:domain" (no user part). */
export function registrarUri(registrar: RegisterSpec['registrar']): SipUri {
  return sipUri(undefined, registrar.host, registrar.port === 5060 ? undefined : registrar.port);
}

export function buildRegister(spec: RegisterSpec): SipRequest {
  const aor = sipUri(
    spec.username,
    spec.registrar.host,
    spec.registrar.port === 5060 ? undefined : spec.registrar.port,
  );
  const contact = {
    displayName: undefined,
    uri: spec.contact,
    params: new Map([['expires', String(spec.expires)]]),
  };
  return createRequest({
    method: 'REGISTER',
    requestUri: registrarUri(spec.registrar),
    from: { uri: aor, displayName: spec.displayName },
    to: { uri: aor, displayName: spec.displayName },
    fromTag: spec.fromTag,
    callId: spec.callId,
    cseq: spec.cseq,
    headers: [
      { name: 'Contact', value: formatNameAddr(contact) },
      { name: 'Expires', value: String(spec.expires) },
      { name: 'Allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, NOTIFY, REFER' },
      { name: 'User-Agent', value: spec.userAgent },
    ],
  });
}

/**
 * Reads a final response to a line's REGISTER (401/407 were already answered
 * by the auth client). §10.2.4: the lifetime granted to OUR binding is the
 * expires parameter of our Contact in the 200, else the Expires header;
 * other contacts listed mean the account is also registered elsewhere.
 */
export function interpretRegisterResponse(res: SipResponse, ours: SipUri): LineInput {
  const status = res.status;
  if (status >= 200 && status < 300) return interpretOk(res, ours);
  if (status === 423) {
    const min = Number(getHeader(res, 'Min-Expires'));
    return Number.isInteger(min) && min > 0
      ? { type: 'interval-too-brief', minExpires: min }
      : failed({ kind: 'bad-response', detail: '423 without a usable Min-Expires' });
  }
  if (status === 401 || status === 407) {
    return failed({
      kind: 'auth',
      detail: `${status} ${res.reason}: credentials rejected (wrong password or auth user?)`,
    });
  }
  if (status === 408) return failed({ kind: 'timeout' });
  const retryAfter = Number.parseInt(getHeader(res, 'Retry-After') ?? '', 10);
  const reason: FailureReason = { kind: 'rejected', status, reason: res.reason };
  return Number.isFinite(retryAfter) && retryAfter > 0
    ? { type: 'failed', reason, retryAfter }
    : failed(reason);
}

function failed(reason: FailureReason): LineInput {
  return { type: 'failed', reason };
}

function interpretOk(res: SipResponse, ours: SipUri): LineInput {
  let list;
  try {
    list = contacts(res);
  } catch (e) {
    return failed({
      kind: 'bad-response',
      detail: `200 OK with a malformed Contact: ${String(e)}`,
    });
  }
  if (list === '*') return failed({ kind: 'bad-response', detail: '200 OK with Contact: *' });
  const mine = list.find((c) => uriEquals(c.uri, ours));
  const foreign = list.filter((c) => c !== mine).map((c) => formatUri(c.uri));
  // A registrar that lists no contacts at all is non-compliant but common
  // enough: then the Expires header is all there is.
  const param = mine?.params.get('expires');
  let granted: number | undefined =
    param !== undefined && param !== null ? Number(param) : undefined;
  if (granted === undefined) {
    try {
      granted = expiresHeader(res);
    } catch {
      granted = undefined;
    }
  }
  if (granted === undefined && mine === undefined && list.length > 0) {
    return failed({
      kind: 'bad-response',
      detail: `200 OK does not list our Contact ${formatUri(ours)}`,
    });
  }
  return { type: 'registered', expires: granted ?? 0, foreignContacts: foreign };
}
