/**
 * Transaction matching keys (RFC 3261 §17.1.3, §17.2.3, §9.2; RFC 6026 §6):
 * pure functions from values the layer has already extracted from a message
 * to a string, so that "does this message belong to that transaction" is a
 * Map lookup. Two messages match exactly when their keys are equal.
 *
 * Comparison rules folded into the keys:
 *  - branch values compare case-insensitively: §7.3.1 makes parameter values
 *    case-insensitive unless a header's definition says otherwise, and Via
 *    (§20.42) does not;
 *  - hosts compare case-insensitively (§19.1.4, §20.42); an absent port is
 *    kept distinct from an explicit default one — a retransmission repeats
 *    the original byte for byte, so nothing is lost and no transport-specific
 *    default has to be guessed;
 *  - method names compare case-sensitively (§7.1).
 *
 * Keys are JSON arrays: unambiguous whatever characters the values hold.
 */
import type { Uri, Via } from '../message/types.ts';

/** §8.1.1.7: branch IDs of RFC 3261 elements begin with this. */
export const MAGIC_COOKIE = 'z9hG4bK';

/**
 * §17.2.3: a branch starting with the magic cookie comes from an RFC 3261
 * client and is unique, so the branch-based key applies; otherwise (no
 * branch, or an RFC 2543 one) the layer falls back to legacyServerTransactionKey.
 */
export function isRfc3261Branch(branch: string | undefined): branch is string {
  return (
    branch !== undefined &&
    branch.length >= MAGIC_COOKIE.length &&
    branch.slice(0, MAGIC_COOKIE.length).toLowerCase() === MAGIC_COOKIE.toLowerCase()
  );
}

/** The sent-by of a Via (§18.2.1, §20.42); a Via value itself fits. */
export interface SentBy {
  readonly host: string;
  readonly port: number | undefined;
}

/** What §17.2.3 matches an RFC 3261 request on: top-Via branch and sent-by, and the method. */
export interface ServerKeyFields {
  readonly branch: string;
  readonly sentBy: SentBy;
  /** The request's method (its CSeq method is the same, §8.1.1.5). */
  readonly method: string;
}

/**
 * §17.2.3 key of the server transaction a request belongs to (or creates).
 * ACK is keyed as INVITE, so an ACK for a non-2xx response finds the INVITE
 * transaction; CANCEL keeps its own method — it is a transaction of its own
 * that shares the INVITE's branch (§9.2) — see inviteKeyForCancel.
 */
export function serverTransactionKey(fields: ServerKeyFields): string {
  const method = fields.method === 'ACK' ? 'INVITE' : fields.method;
  return JSON.stringify(['3261', fields.branch.toLowerCase(), sentByKey(fields.sentBy), method]);
}

/**
 * §9.2: the transaction a CANCEL cancels is found by applying §17.2.3 to the
 * CANCEL "assuming that the request method is anything but CANCEL or ACK";
 * the only one a CANCEL can usefully stop is an INVITE (§9.1), so this is the
 * key of the INVITE server transaction with the CANCEL's branch and sent-by.
 */
export function inviteKeyForCancel(cancel: Omit<ServerKeyFields, 'method'>): string {
  return serverTransactionKey({ branch: cancel.branch, sentBy: cancel.sentBy, method: 'INVITE' });
}

/** What §17.1.3 matches a response on: top-Via branch and CSeq method. */
export interface ClientKeyFields {
  readonly branch: string;
  /** The CSeq method: it separates a CANCEL from the INVITE whose branch it shares (§17.1.3). */
  readonly cseqMethod: string;
}

/**
 * §17.1.3 key of a client transaction: computed from the request when the
 * transaction is created and from each response (branch of its top Via, CSeq
 * method) to find it. No ACK folding: the ACK an ICT sends for a 3xx–6xx is
 * part of that transaction and nothing answers it.
 */
export function clientTransactionKey(fields: ClientKeyFields): string {
  return JSON.stringify(['client', fields.branch.toLowerCase(), fields.cseqMethod]);
}

/**
 * What §17.2.3 matches a request from an RFC 2543 client on (top-Via branch
 * missing or without the magic cookie).
 */
export interface LegacyKeyFields {
  readonly requestUri: Uri;
  readonly toTag: string | undefined;
  readonly fromTag: string | undefined;
  readonly callId: string;
  /** CSeq sequence number. */
  readonly cseq: number;
  /** The request's method (= its CSeq method). */
  readonly method: string;
  readonly topVia: Via;
}

/**
 * §17.2.3 RFC 2543 fallback. A non-ACK request matches on Request-URI, To
 * tag, From tag, Call-ID, CSeq (number and method) and top Via. An ACK
 * matches the INVITE transaction on the same fields except the CSeq method,
 * with its To tag compared to the To tag of the response the transaction
 * sent, not of the INVITE: the layer therefore also files the INVITE
 * transaction under legacyAckKey(invite, toTagOfItsResponse) once it has
 * responded, and this function gives an incoming ACK that same key.
 */
export function legacyServerTransactionKey(fields: LegacyKeyFields): string {
  if (fields.method === 'ACK') return ackKey(fields, fields.toTag);
  return JSON.stringify([
    '2543',
    uriKey(fields.requestUri),
    fields.toTag?.toLowerCase() ?? null,
    fields.fromTag?.toLowerCase() ?? null,
    fields.callId,
    fields.cseq,
    fields.method,
    viaKey(fields.topVia),
  ]);
}

/**
 * §17.2.3: the key under which an ACK from an RFC 2543 client finds the INVITE
 * transaction that sent a response with To tag `responseToTag` (RFC 6026 §6:
 * in Accepted that ACK is then passed to the TU).
 */
export function legacyAckKey(invite: LegacyKeyFields, responseToTag: string | undefined): string {
  return ackKey(invite, responseToTag);
}

/**
 * §9.2 for RFC 2543 requests: a CANCEL repeats the Request-URI, Call-ID, To,
 * From, CSeq number and Via of the request it cancels (§9.1), so the INVITE's
 * key is the CANCEL's with the method replaced.
 */
export function legacyInviteKeyForCancel(cancel: Omit<LegacyKeyFields, 'method'>): string {
  return legacyServerTransactionKey({ ...cancel, method: 'INVITE' });
}

function ackKey(
  fields: Omit<LegacyKeyFields, 'toTag' | 'method'>,
  toTag: string | undefined,
): string {
  return JSON.stringify([
    '2543-ack',
    uriKey(fields.requestUri),
    toTag?.toLowerCase() ?? null,
    fields.fromTag?.toLowerCase() ?? null,
    fields.callId,
    fields.cseq,
    viaKey(fields.topVia),
  ]);
}

function sentByKey(sentBy: SentBy): string {
  return sentBy.port === undefined
    ? sentBy.host.toLowerCase()
    : `${sentBy.host.toLowerCase()}:${sentBy.port}`;
}

/** Parameters in name order, values lower-cased (§7.3.1, §19.1.4: case-insensitive). */
function paramsKey(params: ReadonlyMap<string, string | null>): [string, string | null][] {
  const entries = [...params].map(([name, value]): [string, string | null] => [
    name.toLowerCase(),
    value?.toLowerCase() ?? null,
  ]);
  return entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** §20.42: protocol, transport, sent-by and parameters of the top Via. */
function viaKey(via: Via): unknown[] {
  return [
    via.protocol.toUpperCase(),
    via.transport.toUpperCase(),
    sentByKey(via),
    paramsKey(via.params),
  ];
}

/**
 * §19.1.4 for a key: userinfo case-sensitive, everything else case-insensitive,
 * parameters and headers in any order. (The rule that a parameter present on
 * one side only may be ignored cannot be expressed as a key; a retransmission
 * repeats the Request-URI exactly, so it does not arise.)
 */
function uriKey(uri: Uri): unknown[] {
  switch (uri.kind) {
    case 'sip':
      return [
        uri.scheme.toLowerCase(),
        uri.user ?? null,
        uri.password ?? null,
        uri.host.toLowerCase(),
        uri.port ?? null,
        paramsKey(uri.params),
        paramsKey(uri.headers),
      ];
    case 'absolute':
      // §19.1.4 leaves other schemes to their own rules; compare the text as received.
      return [uri.scheme.toLowerCase(), uri.text];
  }
}
