/**
 * SIP message model (RFC 3261 §7, §20, §25). Messages are plain data: a start
 * line, an ordered list of header fields and a body. Typed views of headers
 * (Via, name-addr, CSeq …) are produced on demand by the functions in
 * headers.ts, so unknown headers pass through byte-for-byte and a message
 * costs little to parse when only a few headers are ever read.
 *
 * This file is the contract between the SIP layers (message → transport →
 * transaction → dialog); extend it, do not break it.
 */

import type { LinegateError } from '#shared/errors.ts';

/**
 * Parameters of a URI, Via or header value, in their original order.
 * Names are lower-cased (RFC 3261 §7.3.1, §19.1.4: parameter names compare
 * case-insensitively); a flag parameter such as ";lr" has the value null.
 */
export type Params = Map<string, string | null>;

/** sip: or sips: URI (RFC 3261 §19.1). Components are stored unescaped. */
export interface SipUri {
  readonly kind: 'sip';
  scheme: 'sip' | 'sips';
  user: string | undefined;
  password: string | undefined;
  /** Hostnames lower-cased; IPv6 references keep their brackets: "[2001:db8::10]". */
  host: string;
  port: number | undefined;
  params: Params;
  /** URI headers (?name=value&…), unescaped, in order. */
  headers: Map<string, string>;
}

/** Any other absolute URI (tel:, urn:, http: …), kept as text (RFC 3261 §25.1 absoluteURI). */
export interface AbsoluteUri {
  readonly kind: 'absolute';
  /** Lower-cased scheme without the colon. */
  scheme: string;
  /** The whole URI text as received. */
  text: string;
}

export type Uri = SipUri | AbsoluteUri;

/** name-addr or addr-spec with header parameters (From, To, Contact, Route …). */
export interface NameAddr {
  /** Unquoted, unescaped display name; undefined when absent. */
  displayName: string | undefined;
  uri: Uri;
  params: Params;
}

/** One Via value (RFC 3261 §20.42). */
export interface Via {
  /** "SIP/2.0" */
  protocol: string;
  /** Upper-cased: "UDP", "WS", "WSS", "TCP" … */
  transport: string;
  host: string;
  port: number | undefined;
  params: Params;
}

export interface CSeq {
  seq: number;
  method: string;
}

/**
 * One header field line as received (folding removed, surrounding whitespace
 * trimmed). Known headers get their canonical long name ("v" → "Via",
 * "call-id" → "Call-ID"); unknown ones keep the received spelling.
 */
export interface HeaderField {
  name: string;
  value: string;
}

interface MessageBase {
  headers: HeaderField[];
  body: Buffer;
}

export interface SipRequest extends MessageBase {
  readonly kind: 'request';
  /** Case-sensitive (RFC 3261 §7.1). */
  method: string;
  uri: Uri;
}

export interface SipResponse extends MessageBase {
  readonly kind: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

/** Content-Type value (RFC 3261 §20.15): type and subtype lower-cased. */
export interface ContentType {
  type: string;
  subtype: string;
  params: Params;
}

/**
 * How the bytes handed to parseMessage were framed (RFC 3261 §18.3):
 * - 'datagram' (UDP): Content-Length, when present, says where the body ends;
 *   octets after it are ignored, fewer than announced is an error.
 * - 'frame' (WebSocket, RFC 7118 §5: one message per frame): the body is the
 *   rest of the frame; a Content-Length that disagrees with it is an error.
 */
export type Framing = 'datagram' | 'frame';

export interface ParseOptions {
  framing: Framing;
}

/**
 * What a transport needs to answer a malformed request statelessly
 * (RFC 3261 §8.2.6.2, §16.3): the method and the header fields a response
 * copies, as far as they could be read.
 */
export interface PartialRequest {
  method: string;
  /** The Request-URI text as received, when the request line could be split. */
  uri: string | undefined;
  /** Via, From, To, Call-ID, CSeq and Timestamp fields, in received order. */
  headers: HeaderField[];
  /** 400; 505 for an unsupported SIP-Version (§21.5.6); 513 past a size limit (§21.5.9). */
  status: number;
  /** Reason phrase for the response, e.g. "Bad Request - Missing Call-ID". */
  reason: string;
}

/** Result of parseMessage; parsing never throws. */
export type ParseResult =
  { ok: true; message: SipMessage } | { ok: false; error: LinegateError; partial?: PartialRequest };
