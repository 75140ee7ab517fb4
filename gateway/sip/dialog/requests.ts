/**
 * Building requests: outside a dialog (RFC 3261 §8.1.1), within one
 * (§12.2.1.1), the ACK for a 2xx (§13.2.2.4) and CANCEL (§9.1).
 *
 * Via: none of these requests gets one here, except CANCEL, which must
 * repeat the top Via of the request it cancels. The branch identifies a
 * transaction (§8.1.1.7) and sent-by depends on the transport, so the
 * transaction layer — or, for an ACK to a 2xx, which has no client
 * transaction (§13.2.2.4, §17.1.1.3), whoever hands it to the transport —
 * prepends one: `prependHeader(request, 'Via', formatVia(via))`, which
 * makes it the first header field, with a fresh branch for each request
 * (including each ACK). A CANCEL goes out with its Via untouched, to the
 * same destination as the request it cancels (§9.1).
 */
import { randomInt } from 'node:crypto';
import { LinegateError } from '#shared/errors.ts';
import { generateCallId, generateTag } from '../message/build.ts';
import {
  addHeader,
  cseq,
  formatCSeq,
  formatNameAddr,
  getHeader,
  getHeaders,
  headerValues,
  setHeader,
} from '../message/headers.ts';
import { MAX_UINT32 } from '../message/scalars.ts';
import type { HeaderField, NameAddr, SipRequest, Uri } from '../message/types.ts';
import type { Dialog } from './dialog.ts';
import { cloneUri, routeRequest } from './route.ts';
import { isTargetRefresh } from './update.ts';

/** §8.1.1.6: "SHOULD set it to 70". */
export const DEFAULT_MAX_FORWARDS = 70;

/**
 * Methods whose requests carry our Contact: target refreshes (§12.2.1.1,
 * RFC 3311 §5.1) and the requests whose own RFCs require one (REFER,
 * RFC 3515; SUBSCRIBE and NOTIFY, RFC 6665). BYE must not (§20's header
 * table marks Contact "not applicable" to it), MESSAGE must not (RFC 3428),
 * and the rest (PRACK, INFO, OPTIONS) have no use for it.
 */
const CONTACT_METHODS: ReadonlySet<string> = new Set([
  'INVITE',
  'UPDATE',
  'REFER',
  'SUBSCRIBE',
  'NOTIFY',
]);

/** A From or To party. A NameAddr fits; its header parameters are not used. */
export interface Party {
  readonly uri: Uri;
  readonly displayName?: string | undefined;
}

export interface BodyOptions {
  /** Further header fields, appended in order; never ones this module builds. */
  readonly headers?: readonly HeaderField[];
  readonly body?: Buffer;
  /** Content-Type of the body ("application/sdp"); required with a non-empty body (§20.15). */
  readonly contentType?: string;
}

export interface InDialogOptions extends BodyOptions {
  /** New local target for a target refresh: the dialog and the Contact take it (§12.2.1.1). */
  readonly localTarget?: Uri;
  /** First CSeq when the local sequence number is empty (§12.2.1.1); default initialCseq(). */
  readonly initialCseq?: number;
}

export interface InDialogRequest {
  /** The dialog with its local CSeq (and local target) advanced. */
  readonly dialog: Dialog;
  readonly request: SipRequest;
}

/**
 * A request within the dialog (§12.2.1.1): Request-URI and Route from the
 * route set and remote target (loose or strict routing, route.ts), From
 * with the local tag, To with the remote tag, the Call-ID, CSeq = local
 * CSeq + 1 (or a fresh initial value when the local CSeq is empty — a UAS
 * sending its first request), Max-Forwards 70, and Contact = local target
 * for the methods that carry one. No Via: see the top of this file.
 *
 * ACK and CANCEL do not advance the CSeq: use createAck and createCancel.
 * Throws LinegateError 'internal' for those, for a terminated dialog, and
 * for a localTarget on a method that is not a target refresh.
 */
export function createInDialogRequest(
  dialog: Dialog,
  method: string,
  opts: InDialogOptions = {},
): InDialogRequest {
  if (method === 'ACK' || method === 'CANCEL') {
    throw internal(
      `${method} reuses the INVITE's CSeq: use create${method === 'ACK' ? 'Ack' : 'Cancel'}`,
    );
  }
  if (dialog.state === 'terminated') throw internal(`no ${method} in a terminated dialog`);
  if (opts.localTarget !== undefined && !isTargetRefresh(method)) {
    throw internal(`${method} is not a target refresh: it cannot change the local target`);
  }
  const seq =
    dialog.localCseq === undefined ? (opts.initialCseq ?? initialCseq()) : dialog.localCseq + 1;
  if (!Number.isInteger(seq) || seq < 0 || seq > MAX_UINT32)
    throw internal(`CSeq ${seq} out of range`);
  const next: Dialog = {
    ...dialog,
    localCseq: seq,
    localTarget: opts.localTarget ?? dialog.localTarget,
  };
  const request = dialogRequest(next, method, seq);
  if (CONTACT_METHODS.has(method)) addHeader(request, 'Contact', contactValue(next.localTarget));
  finish(request, opts);
  return { dialog: next, request };
}

export interface AckOptions extends BodyOptions {
  /**
   * The INVITE being acknowledged. §13.2.2.4: "The ACK MUST contain the
   * same credentials as the INVITE", so its Authorization and
   * Proxy-Authorization fields are repeated.
   */
  readonly invite?: SipRequest;
}

/**
 * The ACK for a 2xx (§13.2.2.4): built like any request within the dialog,
 * except that CSeq is the acknowledged INVITE's number with method ACK and
 * the INVITE's credentials are repeated. The dialog does not change. It
 * may carry the SDP answer when the 2xx held the offer (§13.2.1). The TU
 * sends one for every 2xx it receives, retransmissions included, each with
 * a fresh Via branch (RFC 6026 has the transaction pass each one up).
 */
export function createAck(dialog: Dialog, inviteCseq: number, opts: AckOptions = {}): SipRequest {
  const invite = opts.invite;
  if (invite !== undefined && cseq(invite).seq !== inviteCseq) {
    throw internal(`the INVITE has CSeq ${cseq(invite).seq}, not ${inviteCseq}`);
  }
  const request = dialogRequest(dialog, 'ACK', inviteCseq);
  if (invite !== undefined) {
    for (const name of ['Authorization', 'Proxy-Authorization']) {
      for (const f of getHeaders(invite, name)) addHeader(request, f.name, f.value);
    }
  }
  finish(request, opts);
  return request;
}

/**
 * CANCEL for a pending request (§9.1): Request-URI, Call-ID, To, From and
 * the CSeq number identical to the request's (tags included, so the To
 * has none for an initial INVITE), a single Via equal to the request's top
 * Via, and the request's Route fields. Max-Forwards is 70. The request
 * must already carry the Via its client transaction gave it.
 *
 * Throws LinegateError 'internal' for ACK or CANCEL (§9.1: never
 * cancelled) and for a request without Via.
 */
export function createCancel(request: SipRequest): SipRequest {
  if (request.method === 'ACK' || request.method === 'CANCEL') {
    throw internal(`a ${request.method} cannot be cancelled`);
  }
  const topVia = headerValues(request, 'Via')[0];
  if (topVia === undefined) throw internal('CANCEL needs the top Via of the request it cancels');
  const cancel = emptyRequest('CANCEL', cloneUri(request.uri));
  addHeader(cancel, 'Via', topVia);
  for (const f of getHeaders(request, 'Route')) addHeader(cancel, 'Route', f.value);
  addHeader(cancel, 'Max-Forwards', String(DEFAULT_MAX_FORWARDS));
  for (const name of ['From', 'To', 'Call-ID']) {
    const value = getHeader(request, name);
    if (value === undefined) throw internal(`the request to cancel has no ${name}`);
    addHeader(cancel, name, value);
  }
  addHeader(cancel, 'CSeq', formatCSeq({ seq: cseq(request).seq, method: 'CANCEL' }));
  return cancel;
}

/** What an out-of-dialog request is made of (§8.1.1). */
export interface RequestSpec extends BodyOptions {
  readonly method: string;
  readonly requestUri: Uri;
  readonly from: Party;
  readonly to: Party;
  /** Default generateTag() (§8.1.1.3: the From tag is always new). */
  readonly fromTag?: string;
  /** Default generateCallId() (§8.1.1.4); REGISTER refreshes reuse theirs (§10.2). */
  readonly callId?: string;
  /** Default initialCseq() (§8.1.1.5). */
  readonly cseq?: number;
  /**
   * Our Contact (local target); required for INVITE (§8.1.1.8). A NameAddr
   * carries header parameters too (REGISTER's expires, RFC 5626 +sip.instance).
   */
  readonly contact?: Uri | NameAddr;
  /** A pre-existing route set (outbound proxy, §8.1.1.1), applied as in §12.2.1.1. */
  readonly route?: readonly NameAddr[];
  /** Default 70 (§8.1.1.6). */
  readonly maxForwards?: number;
}

/**
 * An out-of-dialog request (§8.1.1): Request-URI (rewritten for a strict
 * first route, §8.1.1.1), Route, Max-Forwards, From with a tag, To without
 * one, Call-ID, CSeq, Contact, then the extra headers and the body. No Via
 * (see the top of this file). Throws LinegateError 'internal' for ACK and
 * CANCEL (built from the request they answer: §17.1.1.3, createCancel)
 * and for an INVITE without Contact.
 */
export function createRequest(spec: RequestSpec): SipRequest {
  if (spec.method === 'ACK' || spec.method === 'CANCEL') {
    throw internal(`${spec.method} is built from the request it refers to`);
  }
  if (spec.method === 'INVITE' && spec.contact === undefined)
    throw internal('an INVITE needs a Contact (§8.1.1.8)');
  const request = routedRequest(spec.method, spec.route ?? [], spec.requestUri, spec.maxForwards);
  addHeader(request, 'From', partyValue(spec.from, spec.fromTag ?? generateTag()));
  addHeader(request, 'To', partyValue(spec.to, undefined));
  addHeader(request, 'Call-ID', spec.callId ?? generateCallId());
  addHeader(request, 'CSeq', formatCSeq({ seq: spec.cseq ?? initialCseq(), method: spec.method }));
  const contact = spec.contact;
  if (contact !== undefined) {
    addHeader(
      request,
      'Contact',
      'kind' in contact ? contactValue(contact) : formatNameAddr(contact),
    );
  }
  finish(request, spec);
  return request;
}

/** §8.1.1.5: a random initial CSeq, "less than 2**31" so that it can grow. */
export function initialCseq(): number {
  return randomInt(1, 2 ** 31);
}

function dialogRequest(dialog: Dialog, method: string, seq: number): SipRequest {
  const request = routedRequest(method, dialog.routeSet, dialog.remoteTarget);
  const local = { uri: dialog.localUri, displayName: dialog.localDisplayName };
  const remote = { uri: dialog.remoteUri, displayName: dialog.remoteDisplayName };
  addHeader(request, 'From', partyValue(local, dialog.id.localTag));
  addHeader(request, 'To', partyValue(remote, dialog.id.remoteTag));
  addHeader(request, 'Call-ID', dialog.id.callId);
  addHeader(request, 'CSeq', formatCSeq({ seq, method }));
  return request;
}

function routedRequest(
  method: string,
  routeSet: readonly NameAddr[],
  target: Uri,
  maxForwards = DEFAULT_MAX_FORWARDS,
): SipRequest {
  const { requestUri, route } = routeRequest(routeSet, target);
  const request = emptyRequest(method, requestUri);
  for (const value of route) addHeader(request, 'Route', formatNameAddr(value));
  addHeader(request, 'Max-Forwards', String(maxForwards));
  return request;
}

function emptyRequest(method: string, uri: Uri): SipRequest {
  return { kind: 'request', method, uri, headers: [], body: Buffer.alloc(0) };
}

function partyValue(party: Party, tag: string | undefined): string {
  const params = new Map<string, string | null>();
  if (tag !== undefined) params.set('tag', tag);
  return formatNameAddr({ displayName: party.displayName, uri: party.uri, params });
}

function contactValue(uri: Uri): string {
  return formatNameAddr({ displayName: undefined, uri, params: new Map() });
}

function finish(request: SipRequest, opts: BodyOptions): void {
  for (const f of opts.headers ?? []) addHeader(request, f.name, f.value);
  if (opts.contentType !== undefined) setHeader(request, 'Content-Type', opts.contentType);
  const body = opts.body ?? Buffer.alloc(0);
  if (body.length > 0 && getHeader(request, 'Content-Type') === undefined) {
    throw internal('a body needs a Content-Type (§20.15)');
  }
  request.body = body;
}

function internal(message: string): LinegateError {
  return new LinegateError('internal', message);
}
