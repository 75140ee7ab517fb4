/**
 * Character classes of the RFC 3261 §25.1 grammar as lookup tables, and the
 * small scanning helpers every parser of this layer shares. Tables are indexed
 * by UTF-16 code unit; everything at or above 0x80 is in no class here
 * (UTF8-NONASCII is handled where the grammar admits it).
 */
import { LinegateError } from '#shared/errors.ts';

export const TOKEN = 1; // token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
export const WORD = 2; // word: token chars / "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}"
export const UNRESERVED = 4; // alphanum / mark
export const USER = 8; // unreserved / user-unreserved ("&" / "=" / "+" / "$" / "," / ";" / "?" / "/")
export const PASSWORD = 16; // unreserved / "&" / "=" / "+" / "$" / ","
export const PARAMCHAR = 32; // unreserved / param-unreserved ("[" / "]" / "/" / ":" / "&" / "+" / "$")
export const HNV = 64; // unreserved / hnv-unreserved ("[" / "]" / "/" / "?" / ":" / "+" / "$")
export const URIC = 128; // unreserved / reserved (absoluteURI, RFC 3261 §25.1 / RFC 2396)
export const HOST = 256; // alphanum / "-" / "." (hostname, IPv4address)
export const GENVALUE = 512; // token chars plus "[" "]" ":" so a host (IPv6reference) fits in gen-value

const table = new Uint16Array(128);

function mark(chars: string, flags: number): void {
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charCodeAt(i);
    table[c] = (table[c] ?? 0) | flags;
  }
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const URI_COMMON = UNRESERVED | USER | PASSWORD | PARAMCHAR | HNV | URIC;
mark(ALNUM, TOKEN | WORD | URI_COMMON | HOST | GENVALUE);
mark("-.!%*_+`'~", TOKEN | WORD | GENVALUE);
mark("-_.!~*'()", URI_COMMON);
mark('()<>:\\"/[]?{}', WORD);
mark('-.', HOST);
mark('[]:', GENVALUE);
mark('&=+$,;?/', USER);
mark('&=+$,', PASSWORD);
mark('[]/:&+$', PARAMCHAR);
mark('[]/?:+$', HNV);
mark(';/?:@&=+$,', URIC);

export function is(code: number, flags: number): boolean {
  return code < 128 && ((table[code] ?? 0) & flags) !== 0;
}

/** True when every character of s (non-empty) is in the class. */
export function allOf(s: string, flags: number): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || ((table[c] ?? 0) & flags) === 0) return false;
  }
  return true;
}

export const isToken = (s: string): boolean => allOf(s, TOKEN);

/**
 * Control characters other than HTAB: not allowed in SIP text (§25.1
 * TEXT-UTF8char, LWS) except as quoted-pairs.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const CONTROL = /[\0-\x08\n-\x1f\x7f]/;

export const SP = 0x20;
export const HTAB = 0x09;
export const DQUOTE = 0x22;
export const BACKSLASH = 0x5c;

/** Skips SWS (RFC 3261 §25.1); folding is already gone, so only SP and HTAB. */
export function skipWs(s: string, i: number): number {
  let c = s.charCodeAt(i);
  while (c === SP || c === HTAB) c = s.charCodeAt(++i);
  return i;
}

/** Index of the last non-whitespace character before `end`, plus one. */
export function trimEnd(s: string, start: number, end: number): number {
  while (end > start) {
    const c = s.charCodeAt(end - 1);
    if (c !== SP && c !== HTAB) break;
    end--;
  }
  return end;
}

/** Scans a class run from i; returns the index after it. */
export function scan(s: string, i: number, flags: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c !== c || c >= 128 || ((table[c] ?? 0) & flags) === 0) return i; // c !== c: NaN past the end
    i++;
  }
}

/**
 * Given s[i] === '"', returns the index after the closing quote, honouring
 * quoted-pair (RFC 3261 §25.1), or -1 when the string is not terminated.
 */
export function skipQuoted(s: string, i: number): number {
  for (i++; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === DQUOTE) return i + 1;
    if (c === BACKSLASH) i++;
  }
  return -1;
}

/** Removes the quotes and resolves quoted-pairs of a quoted-string. */
export function unquote(quoted: string): string {
  if (quoted.length < 2 || quoted.charCodeAt(0) !== DQUOTE) return quoted;
  const inner = quoted.slice(1, -1);
  if (!inner.includes('\\')) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '\\' && i + 1 < inner.length) i++;
    out += inner.charAt(i);
  }
  return out;
}

/** Quotes a string for a quoted-string, escaping '"' and '\' (RFC 3261 §25.1). */
export function quote(s: string): string {
  return '"' + s.replace(/["\\]/g, '\\$&') + '"';
}

/**
 * Parses 1*DIGIT with an upper bound; undefined when not digits or too large.
 * Leading zeros are allowed ("0068", RFC 4475 §3.1.1.1); long runs are
 * rejected on length before any arithmetic so 10^100 costs nothing.
 */
export function parseDigits(s: string, max: number): number | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  let i = 0;
  while (i < n - 1 && s.charCodeAt(i) === 0x30) i++;
  if (n - i > 16) return undefined;
  let v = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
  }
  return v <= max ? v : undefined;
}

/** The error every syntax failure of this layer raises (code 'sip.parse'). */
export function syntaxError(what: string, detail: string): LinegateError {
  return new LinegateError('sip.parse', `Malformed ${what}: ${detail}`, {
    details: { what, detail },
  });
}
