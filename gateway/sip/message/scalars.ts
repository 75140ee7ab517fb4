/**
 * Single-valued header fields with a fixed grammar: CSeq (§20.16), Call-ID
 * (§20.8), Max-Forwards (§20.22), Expires (§20.19), Content-Length (§20.14),
 * Content-Type (§20.15) and Date (§20.17). Range limits follow RFC 3261 and
 * RFC 4475 §3.1.2.4: a value outside them is a syntax error, not a clamp.
 */
import { TOKEN, WORD, allOf, parseDigits, scan, skipWs, syntaxError } from './chars.ts';
import { formatParams, parseParams } from './params.ts';
import type { CSeq, ContentType } from './types.ts';

/** 2**32 - 1: CSeq numbers and delta-seconds are 32-bit unsigned (§20.16, §20.19). */
export const MAX_UINT32 = 0xffffffff;

/** CSeq = 1*DIGIT LWS Method */
export function parseCSeq(value: string): CSeq {
  const digitsEnd = scanDigits(value, 0);
  const seq = parseDigits(value.slice(0, digitsEnd), MAX_UINT32);
  if (seq === undefined)
    throw syntaxError('CSeq', 'sequence number missing or larger than 2**32-1');
  const start = skipWs(value, digitsEnd);
  if (start === digitsEnd) throw syntaxError('CSeq', 'no space before the method');
  const end = scan(value, start, TOKEN);
  if (end === start || end !== value.length) throw syntaxError('CSeq', 'bad method');
  return { seq, method: value.slice(start) };
}

export function formatCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}

/** Call-ID = word [ "@" word ] */
export function parseCallId(value: string): string {
  const at = value.indexOf('@');
  const ok =
    at < 0
      ? allOf(value, WORD)
      : allOf(value.slice(0, at), WORD) && allOf(value.slice(at + 1), WORD);
  if (!ok) throw syntaxError('Call-ID', 'not word ["@" word]');
  return value;
}

/** Max-Forwards = 1*DIGIT, 0-255 (§20.22). */
export function parseMaxForwards(value: string): number {
  const n = parseDigits(value, 255);
  if (n === undefined) throw syntaxError('Max-Forwards', 'not an integer in 0-255');
  return n;
}

/** delta-seconds = 1*DIGIT, at most 2**32-1 (§20.19). */
export function parseDeltaSeconds(value: string, what = 'Expires'): number {
  const n = parseDigits(value, MAX_UINT32);
  if (n === undefined) throw syntaxError(what, 'not delta-seconds in 0-(2**32-1)');
  return n;
}

/**
 * Content-Length = 1*DIGIT. Negative or non-numeric values are framing
 * errors (RFC 4475 §3.1.2.3); anything above `max` cannot fit a message.
 */
export function parseContentLength(value: string, max: number): number {
  const n = parseDigits(value, max);
  if (n === undefined) {
    const what = value.startsWith('-')
      ? 'negative'
      : /^\d+$/.test(value)
        ? 'too large'
        : 'not a number';
    throw syntaxError('Content-Length', what);
  }
  return n;
}

/** media-type = m-type SLASH m-subtype *(SEMI m-parameter) */
export function parseContentType(value: string): ContentType {
  const typeEnd = scan(value, 0, TOKEN);
  let i = skipWs(value, typeEnd);
  if (typeEnd === 0 || value.charCodeAt(i) !== 0x2f)
    throw syntaxError('Content-Type', 'expected type/subtype');
  i = skipWs(value, i + 1);
  const subEnd = scan(value, i, TOKEN);
  if (subEnd === i) throw syntaxError('Content-Type', 'missing subtype');
  const ct: ContentType = {
    type: value.slice(0, typeEnd).toLowerCase(),
    subtype: value.slice(i, subEnd).toLowerCase(),
    params: new Map(),
  };
  const end = parseParams(value, subEnd, ct.params, 'Content-Type');
  if (end !== value.length) throw syntaxError('Content-Type', 'more than one value');
  return ct;
}

export function formatContentType(ct: ContentType): string {
  return `${ct.type}/${ct.subtype}${formatParams(ct.params)}`;
}

const WKDAY = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTH = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DATE_SHAPE = /^([A-Z][a-z]{2}), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

/**
 * SIP-date = rfc1123-date (§20.17, §25.1): "GMT" is the only time zone
 * allowed (RFC 4475 §3.1.2.12). Returns the instant it denotes.
 */
export function parseDate(value: string): Date {
  const m = DATE_SHAPE.exec(value);
  if (m === null) throw syntaxError('Date', 'not an RFC 1123 date in GMT');
  const [, wkday = '', dd = '', mon = '', yyyy = '', hh = '', mm = '', ss = ''] = m;
  const month = MONTH.indexOf(mon);
  const [day, year, h, min, sec] = [Number(dd), Number(yyyy), Number(hh), Number(mm), Number(ss)];
  if (!WKDAY.includes(wkday)) throw syntaxError('Date', 'unknown day of the week');
  if (month < 0 || day < 1 || day > 31 || h > 23 || min > 59 || sec > 60) {
    throw syntaxError('Date', 'field out of range');
  }
  return new Date(Date.UTC(year, month, day, h, min, sec));
}

function scanDigits(s: string, i: number): number {
  for (let c = s.charCodeAt(i); c >= 0x30 && c <= 0x39; c = s.charCodeAt(++i));
  return i;
}
