/**
 * name-addr / addr-spec with header parameters (RFC 3261 §20.10, §25.1):
 * From, To, Contact, Route, Record-Route, Reply-To …
 *
 * In the addr-spec form (no <>) everything after the first ";" is a header
 * parameter, never a URI parameter (§20.10, RFC 4475 §3.3.12), and a URI
 * holding a comma, "?" or ";" must be written in name-addr form (§20.10,
 * RFC 4475 §3.1.2.13).
 */
import {
  DQUOTE,
  HTAB,
  SP,
  TOKEN,
  is,
  quote,
  skipQuoted,
  skipWs,
  syntaxError,
  trimEnd,
  unquote,
} from './chars.ts';
import { formatParams, parseParams } from './params.ts';
import { formatUri, parseUri } from './uri.ts';
import type { NameAddr } from './types.ts';

export interface NameAddrOptions {
  /** Header name for error messages. */
  what?: string;
  /** Route, Record-Route, Path …: only the name-addr form is allowed (§20.30, §20.34). */
  requireBrackets?: boolean;
}

/** Parses one From/To/Contact-style value; a second comma-separated value is an error. */
export function parseNameAddr(value: string, opts: NameAddrOptions = {}): NameAddr {
  const [na, end] = parseNameAddrAt(value, 0, opts, true);
  if (end !== value.length) throw syntaxError(opts.what ?? 'name-addr', 'more than one value');
  return na;
}

/** Parses a comma-separated list of name-addr / addr-spec values. */
export function parseNameAddrList(
  value: string,
  opts: NameAddrOptions = {},
  out: NameAddr[] = [],
): NameAddr[] {
  let i = 0;
  for (;;) {
    const [na, end] = parseNameAddrAt(value, i, opts, false);
    out.push(na);
    if (end >= value.length) return out;
    i = end + 1; // past the comma
  }
}

function parseNameAddrAt(
  s: string,
  i: number,
  opts: NameAddrOptions,
  single: boolean,
): [NameAddr, number] {
  const what = opts.what ?? 'name-addr';
  i = skipWs(s, i);
  let displayName: string | undefined;
  if (s.charCodeAt(i) === DQUOTE) {
    const end = skipQuoted(s, i);
    if (end < 0) throw syntaxError(what, 'unterminated quoted string');
    displayName = unquote(s.slice(i, end));
    i = skipWs(s, end);
    if (s.charCodeAt(i) !== 0x3c) throw syntaxError(what, 'expected "<" after the display name');
  } else if (s.charCodeAt(i) !== 0x3c) {
    // *(token LWS) "<": RFC 4475 §3.1.1.6 accepts no LWS before "<".
    const end = scanTokensAndWs(s, i);
    if (s.charCodeAt(end) === 0x3c) {
      const name = s.slice(i, trimEnd(s, i, end));
      if (name.length > 0) displayName = name;
      i = end;
    } else {
      return parseAddrSpec(s, i, what, opts, single);
    }
  }
  const close = s.indexOf('>', i);
  if (close < 0) throw syntaxError(what, 'missing ">"');
  const inner = s.slice(i + 1, close);
  if (inner.length === 0) throw syntaxError(what, 'empty <>');
  if (isWs(inner.charCodeAt(0)) || isWs(inner.charCodeAt(inner.length - 1))) {
    throw syntaxError(what, 'spaces within <addr-spec>'); // RFC 4475 §3.1.2.14
  }
  const na: NameAddr = { displayName, uri: parseUri(inner), params: new Map() };
  const end = parseParams(s, close + 1, na.params, what);
  return [na, end];
}

function parseAddrSpec(
  s: string,
  i: number,
  what: string,
  opts: NameAddrOptions,
  single: boolean,
): [NameAddr, number] {
  if (single) {
    // "Bell, Alexander <sip:…>": a display name with non-token characters
    // that is not quoted (RFC 4475 §3.1.2.15).
    const lt = s.indexOf('<', i);
    const q = s.indexOf('"', i);
    if (lt >= 0 && (q < 0 || lt < q)) {
      throw syntaxError(what, 'display name is neither a token nor a quoted string');
    }
  }
  if (opts.requireBrackets === true) throw syntaxError(what, 'the URI must be enclosed in <>');
  let end = i;
  for (let c = s.charCodeAt(end); end < s.length && c !== 0x3b && c !== 0x2c && !isWs(c);) {
    c = s.charCodeAt(++end);
  }
  const text = s.slice(i, end);
  if (text.includes('?')) throw syntaxError(what, 'a URI with headers must be enclosed in <>');
  if (text.length === 0) throw syntaxError(what, 'empty value');
  const na: NameAddr = { displayName: undefined, uri: parseUri(text), params: new Map() };
  return [na, parseParams(s, end, na.params, what)];
}

function scanTokensAndWs(s: string, i: number): number {
  for (let c = s.charCodeAt(i); is(c, TOKEN) || isWs(c); c = s.charCodeAt(++i));
  return i;
}

function isWs(c: number): boolean {
  return c === SP || c === HTAB;
}

/** The tag parameter (RFC 3261 §19.3), or undefined. */
export function tagOf(na: NameAddr): string | undefined {
  return na.params.get('tag') ?? undefined;
}

/**
 * Formats as name-addr: the URI always in <> (safe for any URI, §20.10), the
 * display name quoted unless it is made of tokens.
 */
export function formatNameAddr(na: NameAddr): string {
  let out = '';
  if (na.displayName !== undefined)
    out = (isTokens(na.displayName) ? na.displayName : quote(na.displayName)) + ' ';
  return out + '<' + formatUri(na.uri) + '>' + formatParams(na.params);
}

function isTokens(s: string): boolean {
  if (s.length === 0 || isWs(s.charCodeAt(0)) || isWs(s.charCodeAt(s.length - 1))) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!is(c, TOKEN) && c !== SP) return false;
  }
  return true;
}
