/**
 * DTMF in SIP INFO requests (RFC 6086 carries them; the bodies predate it):
 * what JsSIP sends by default, `application/dtmf-relay` ("Signal=5" and
 * "Duration=160" lines, the de-facto format of Cisco and most softphones),
 * and `application/dtmf`, whose body is the digit alone. The gateway turns
 * them into RFC 4733 events towards the PBX, and the PBX's RFC 4733 events
 * into dtmf-relay INFOs towards the browser, so a softphone UI can show them.
 */
import { isLinegateError } from '#shared/errors.ts';
import { DTMF_MAX_MS, DTMF_MIN_MS } from '../../media/rfc4733.ts';
import { contentType, headerValues, type HasHeaders } from '../../sip/message/headers.ts';
import type { ContentType } from '../../sip/message/types.ts';

/** A DTMF digit, upper-case, as RFC 4733 §3.2 events 0-15 name them. */
export type DtmfDigit =
  '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

/** Indexed by RFC 4733 §3.2 event code: "10" is '*', "11" is '#', "12".."15" are A-D. */
const DIGITS: readonly DtmfDigit[] = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '*',
  '#',
  'A',
  'B',
  'C',
  'D',
];

export const DTMF_RELAY = 'application/dtmf-relay';
export const DTMF_PLAIN = 'application/dtmf';
/** The Accept of a 415 to an INFO whose body is not DTMF (RFC 3261 §21.4.13). */
export const DTMF_INFO_ACCEPT = `${DTMF_RELAY}, ${DTMF_PLAIN}`;

/** Duration when the body names none: what most phones send. */
export const DTMF_DEFAULT_MS = 160;
/** Durations are clamped to the RFC 4733 sender's limits: 40-5000 ms. */
export { DTMF_MAX_MS, DTMF_MIN_MS };

/** A real body is a few dozen octets; anything past this is not DTMF. */
export const MAX_DTMF_BODY = 1024;

export type DtmfInfo =
  | { readonly ok: true; readonly digit: DtmfDigit; readonly durationMs: number }
  /** 415: not a DTMF content type (answer with Accept: DTMF_INFO_ACCEPT); 400: a bad body. */
  | { readonly ok: false; readonly status: 400 | 415; readonly reason: string };

/** A message with a body: a SipRequest, or anything shaped like one. */
export interface HasBody extends HasHeaders {
  body: Buffer;
}

export function isDtmfDigit(s: string): s is DtmfDigit {
  return s.length === 1 && (DIGITS as readonly string[]).includes(s);
}

/**
 * An INFO with neither body nor Content-Type carries no DTMF: some UAs send
 * it to probe the dialog. It deserves a 200, not the 415 parseDtmfInfo gives.
 */
export function isBodilessInfo(request: HasBody): boolean {
  return request.body.length === 0 && headerValues(request, 'Content-Type').length === 0;
}

/** The digit and duration of an INFO request, or the response that refuses it. */
export function parseDtmfInfo(request: HasBody): DtmfInfo {
  let ct: ContentType | undefined;
  try {
    ct = contentType(request);
  } catch (e) {
    if (!isLinegateError(e, 'sip.parse')) throw e;
    return bad('Malformed Content-Type');
  }
  if (ct === undefined) {
    // RFC 3261 §7.4.1: a body MUST come with its Content-Type.
    return request.body.length > 0 ? bad('Missing Content-Type') : unsupported('No DTMF body');
  }
  const encodings = headerValues(request, 'Content-Encoding');
  if (encodings.some((e) => e.toLowerCase() !== 'identity')) {
    return unsupported('Content-Encoding'); // §8.2.3: 415 for an encoding we do not read
  }
  const type = `${ct.type}/${ct.subtype}`;
  if (type !== DTMF_RELAY && type !== DTMF_PLAIN) {
    // Tokens only (parseContentType checked), but a reason phrase need not echo 10 kB of them.
    return unsupported(type.length <= 64 ? type : 'Content-Type');
  }
  if (request.body.length > MAX_DTMF_BODY) return bad('DTMF body too large');
  const text = request.body.toString('utf8');
  return type === DTMF_RELAY ? parseRelay(text) : parsePlain(text);
}

/**
 * An application/dtmf-relay body for an INFO to a browser. "Signal" comes
 * first and "Duration" second, each on its own line: JsSIP's parser reads
 * only those two lines, in that order, with that capitalization.
 */
export function dtmfRelayBody(digit: DtmfDigit, durationMs: number): string {
  return `Signal=${digit}\r\nDuration=${clampDuration(durationMs)}\r\n`;
}

/** Content-Type and body of that INFO, in the shape the dialog layer's BodyOptions take. */
export function dtmfRelayInfo(
  digit: DtmfDigit,
  durationMs: number,
): { contentType: string; body: Buffer } {
  return { contentType: DTMF_RELAY, body: Buffer.from(dtmfRelayBody(digit, durationMs), 'utf8') };
}

// ------------------------------------------------------------ internals

/**
 * "key=value" lines, CRLF or LF (or CR), in any order, spaces around "=",
 * keys case-insensitive. Unknown keys are ignored (extensions); a line
 * without "=" or a key given twice makes the body ambiguous: 400.
 */
function parseRelay(text: string): DtmfInfo {
  let signal: string | undefined;
  let duration: string | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) return bad('Malformed dtmf-relay body');
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (key === 'signal') {
      if (signal !== undefined) return bad('More than one Signal');
      signal = value;
    } else if (key === 'duration') {
      if (duration !== undefined) return bad('More than one Duration');
      duration = value;
    }
  }
  if (signal === undefined) return bad('No Signal in dtmf-relay body');
  const digit = digitOf(signal);
  if (digit === undefined) return bad('Not a DTMF digit');
  return { ok: true, digit, durationMs: durationOf(duration) };
}

/** application/dtmf: the body is the digit, perhaps followed by a line break. */
function parsePlain(text: string): DtmfInfo {
  const digit = digitOf(text.trim());
  if (digit === undefined) return bad('Not a DTMF digit');
  return { ok: true, digit, durationMs: DTMF_DEFAULT_MS };
}

/**
 * '0'-'9', '*', '#', 'A'-'D' in either case, or an RFC 4733 event code of
 * one or two digits: some phones send "10" for '*' and "11" for '#'.
 */
function digitOf(signal: string): DtmfDigit | undefined {
  if (/^[0-9]{1,2}$/.test(signal)) return DIGITS[Number(signal)];
  const upper = signal.toUpperCase();
  return isDtmfDigit(upper) ? upper : undefined;
}

/**
 * The duration is advisory (the tone is generated anew towards the PBX):
 * one that is not a number of milliseconds falls back to the default rather
 * than losing the key press; the others are clamped.
 */
function durationOf(raw: string | undefined): number {
  if (raw === undefined || !/^[0-9]+$/.test(raw)) return DTMF_DEFAULT_MS;
  return clampDuration(Number(raw));
}

function clampDuration(ms: number): number {
  if (Number.isNaN(ms)) return DTMF_DEFAULT_MS;
  return Math.min(DTMF_MAX_MS, Math.max(DTMF_MIN_MS, Math.round(ms)));
}

function bad(detail: string): DtmfInfo {
  return { ok: false, status: 400, reason: `Bad Request - ${detail}` };
}

function unsupported(detail: string): DtmfInfo {
  return { ok: false, status: 415, reason: `Unsupported Media Type - ${detail}` };
}
