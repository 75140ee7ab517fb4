/**
 * SIP dialogs (RFC 3261 §12) as plain, immutable data. A Dialog holds the
 * state §12 lists — id, local and remote URI, sequence numbers, remote
 * target, route set, secure flag — plus the local target (our Contact) and
 * the role that created it. Functions here never perform I/O, never read
 * clocks and never mutate their arguments: each returns a new Dialog.
 *
 * Life cycle: created from a dialog-forming response (dialogFromRequest on
 * the UAS, dialogFromResponse on the UAC), then moved along by the
 * responses and requests the TU sees (update.ts) and the requests it sends
 * (requests.ts). Keys for looking dialogs up are in dialog-set.ts.
 */
import { LinegateError } from '#shared/errors.ts';
import { callId, contacts, cseq, from, recordRoutes, tagOf, to } from '../message/headers.ts';
import type { NameAddr, SipMessage, SipRequest, SipResponse, Uri } from '../message/types.ts';
import { cloneUri } from './route.ts';

export type DialogState = 'early' | 'confirmed' | 'terminated';

/** Which side of the dialog-creating request we were (§12.1.1 UAS, §12.1.2 UAC). */
export type DialogRole = 'uac' | 'uas';

/** §12: Call-ID plus the two tags; §12.1.1, §12.1.2: a peer's missing tag is "null". */
export interface DialogId {
  readonly callId: string;
  readonly localTag: string;
  /** undefined when an RFC 2543 peer sent no tag. */
  readonly remoteTag: string | undefined;
}

export interface Dialog {
  readonly id: DialogId;
  readonly role: DialogRole;
  readonly state: DialogState;
  /** Our From URI in requests we send (§12.1.1: To of the request; §12.1.2: From). */
  readonly localUri: Uri;
  readonly localDisplayName: string | undefined;
  /** Our To URI in requests we send. */
  readonly remoteUri: Uri;
  readonly remoteDisplayName: string | undefined;
  /** undefined = "empty": a UAS has sent no request yet (§12.1.1). */
  readonly localCseq: number | undefined;
  /** undefined = "empty": a UAC has received no request yet (§12.1.2). */
  readonly remoteCseq: number | undefined;
  /** Our Contact: the URI the peer sends its requests to. */
  readonly localTarget: Uri;
  /** The peer's Contact (§12.1.1, §12.1.2): Request-URI of our requests, or last Route. */
  readonly remoteTarget: Uri;
  /** Route header values for our requests, in the order they are sent (§12.1). */
  readonly routeSet: readonly NameAddr[];
  /** §12.1.1, §12.1.2: TLS and a sips: Request-URI on the dialog-creating request. */
  readonly secure: boolean;
}

export interface CreateOptions {
  /**
   * The dialog-creating request travelled over TLS (or WSS): with a sips:
   * Request-URI this sets the secure flag (§12.1.1, §12.1.2). The dialog
   * layer cannot know the transport itself. Default false.
   */
  readonly secureTransport?: boolean;
}

/**
 * UAS side (§12.1.1): the dialog a response we send to `request` creates —
 * a 101-199 with a To tag (early) or a 2xx (confirmed). `localContact` is
 * the Contact URI that response carries. Route set = the request's
 * Record-Route in order; remote target = the request's Contact; remote
 * CSeq = the request's; local CSeq empty.
 *
 * Throws LinegateError 'internal' when the response cannot create a dialog
 * (status or missing To tag: our own mistake), and 'sip.parse' with details
 * { status: 400, reason } when the request lacks a usable Contact
 * (§8.1.1.8) or has a malformed Record-Route — answer that 400 instead.
 */
export function dialogFromRequest(
  request: SipRequest,
  response: SipResponse,
  localContact: Uri,
  opts: CreateOptions = {},
): Dialog {
  const localTag = tagOf(to(response));
  if (!createsDialog(response) || localTag === undefined) {
    const tag = localTag === undefined ? ' without To tag' : '';
    throw new LinegateError('internal', `a ${response.status} response${tag} creates no dialog`);
  }
  const remote = from(request);
  const local = to(request);
  const target = contactTarget(request);
  if (!target.ok || target.uri === undefined) {
    throw badRequest(target.ok ? 'Missing Contact' : target.reason);
  }
  return {
    id: { callId: callId(request), localTag, remoteTag: tagOf(remote) },
    role: 'uas',
    state: response.status >= 200 ? 'confirmed' : 'early',
    localUri: local.uri,
    localDisplayName: local.displayName,
    remoteUri: remote.uri,
    remoteDisplayName: remote.displayName,
    localCseq: undefined,
    remoteCseq: cseq(request).seq,
    localTarget: localContact,
    remoteTarget: target.uri,
    routeSet: parseRecordRoute(request),
    secure: opts.secureTransport === true && isSips(request.uri),
  };
}

/**
 * UAC side (§12.1.2): the dialog a response to our `request` creates, or
 * undefined when it creates none (100, a 1xx without To tag, a final
 * non-2xx). A 101-199 with a To tag makes an early dialog, a 2xx a
 * confirmed one; a 2xx without To tag (RFC 2543 peer) makes one with a null
 * remote tag. Route set = the response's Record-Route REVERSED; remote
 * target = the response's Contact — when a (provisional) response has none,
 * the Request-URI stands in until a 2xx brings one (§12.2.1.2).
 *
 * Throws LinegateError 'internal' when our request has no From tag or no
 * Contact, and 'sip.parse' on a malformed Record-Route or Contact.
 */
export function dialogFromResponse(
  request: SipRequest,
  response: SipResponse,
  opts: CreateOptions = {},
): Dialog | undefined {
  if (!createsDialog(response)) return undefined;
  const local = from(request);
  const remote = to(request);
  const localTag = tagOf(local);
  const localTarget = contactTarget(request);
  if (localTag === undefined || !localTarget.ok || localTarget.uri === undefined) {
    throw new LinegateError('internal', 'a dialog-creating request needs a From tag and a Contact');
  }
  const target = contactTarget(response);
  if (!target.ok) throw badRequest(target.reason);
  return {
    id: { callId: callId(request), localTag, remoteTag: tagOf(to(response)) },
    role: 'uac',
    state: response.status >= 200 ? 'confirmed' : 'early',
    localUri: local.uri,
    localDisplayName: local.displayName,
    remoteUri: remote.uri,
    remoteDisplayName: remote.displayName,
    localCseq: cseq(request).seq,
    remoteCseq: undefined,
    localTarget: localTarget.uri,
    remoteTarget: target.uri ?? cloneUri(request.uri),
    routeSet: parseRecordRoute(response).reverse(),
    secure: opts.secureTransport === true && isSips(request.uri),
  };
}

/** §12.1: 2xx responses and 101-199 responses with a To tag create dialogs. */
function createsDialog(response: SipResponse): boolean {
  if (response.status >= 200) return response.status < 300;
  return response.status > 100 && tagOf(to(response)) !== undefined;
}

/** Marks a dialog terminated (BYE sent or received, §15; early dialogs the TU gives up, §13.2.2.4). */
export function terminate(dialog: Dialog): Dialog {
  return dialog.state === 'terminated' ? dialog : { ...dialog, state: 'terminated' };
}

/**
 * §12.1.1, §12.1.2: Record-Route values, in received order. Throws
 * 'sip.parse' with a 400's details when a value is malformed.
 */
export function parseRecordRoute(msg: SipMessage): NameAddr[] {
  try {
    return recordRoutes(msg);
  } catch (e) {
    if (e instanceof LinegateError && e.code === 'sip.parse') throw badRequest(e.message, e);
    throw e;
  }
}

/** A Contact as a dialog needs it, or why it cannot serve (§8.1.1.8). */
export type ContactTarget =
  | { readonly ok: true; readonly uri: Uri | undefined }
  | { readonly ok: false; readonly reason: string };

/**
 * The URI of the one Contact a dialog-forming or target-refresh message
 * carries (§8.1.1.8: "exactly one SIP or SIPS URI"); uri undefined when
 * there is no Contact at all.
 */
export function contactTarget(msg: SipMessage): ContactTarget {
  let list: NameAddr[] | '*';
  try {
    list = contacts(msg);
  } catch (e) {
    if (e instanceof LinegateError && e.code === 'sip.parse')
      return { ok: false, reason: e.message };
    throw e;
  }
  if (list === '*') return { ok: false, reason: 'Contact "*" outside REGISTER' };
  const [first, ...rest] = list;
  if (first === undefined) return { ok: true, uri: undefined };
  if (rest.length > 0) return { ok: false, reason: 'More than one Contact' };
  if (first.uri.kind !== 'sip') return { ok: false, reason: 'Contact is not a SIP or SIPS URI' };
  return { ok: true, uri: first.uri };
}

function isSips(uri: Uri): boolean {
  return uri.kind === 'sip' && uri.scheme === 'sips';
}

/** A 'sip.parse' error shaped like the message layer's, carrying the 400 to answer. */
function badRequest(what: string, cause?: unknown): LinegateError {
  return new LinegateError('sip.parse', what, {
    cause,
    details: { status: 400, reason: `Bad Request - ${what}` },
  });
}
