/**
 * SIP and absolute URIs (RFC 3261 §19.1, §25.1; IPv6 references per
 * RFC 5118). Components are unescaped on parse and escaped again on format
 * only where their character class requires it (§19.1.2, §25.1 "escaped").
 */
import {
  HNV,
  PARAMCHAR,
  PASSWORD,
  URIC,
  USER,
  allOf,
  is,
  parseDigits,
  scan,
  syntaxError,
} from './chars.ts';
import { hostEquals, isHost } from './host.ts';
import type { AbsoluteUri, Params, SipUri, Uri } from './types.ts';

const PCT = 0x25;

export function parseUri(text: string): Uri {
  const colon = text.indexOf(':');
  if (colon <= 0 || !isScheme(text, colon)) throw uriError(text, 'no scheme');
  const scheme = text.slice(0, colon).toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(text, scheme, colon + 1);
  return parseAbsoluteUri(text, scheme, colon + 1);
}

/** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
function isScheme(s: string, end: number): boolean {
  const first = s.charCodeAt(0) | 0x20;
  if (first < 0x61 || first > 0x7a) return false;
  for (let i = 1; i < end; i++) {
    const c = s.charCodeAt(i);
    const alpha = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
    if (!alpha && !(c >= 0x30 && c <= 0x39) && c !== 0x2b && c !== 0x2d && c !== 0x2e) {
      return false;
    }
  }
  return true;
}

/** absoluteURI (§25.1): any URI characters, kept as received; at least one after ':'. */
function parseAbsoluteUri(text: string, scheme: string, start: number): AbsoluteUri {
  if (start >= text.length) throw uriError(text, 'empty after scheme');
  // "[" and "]" are admitted for IPv6 literals in http-style URIs (RFC 3986).
  const end = scanEscaped(text, start, URIC | HNV);
  if (end !== text.length) throw uriError(text, `bad character at ${end}`);
  return { kind: 'absolute', scheme, text };
}

function parseSipUri(text: string, scheme: 'sip' | 'sips', start: number): SipUri {
  const uri: SipUri = {
    kind: 'sip',
    scheme,
    user: undefined,
    password: undefined,
    host: '',
    port: undefined,
    params: new Map(),
    headers: new Map(),
  };
  let i = start;
  // '@' appears nowhere else in a valid SIP URI (it is escaped in params and
  // headers), so the first one ends the userinfo (§19.1.1; RFC 4475 §3.1.1.9).
  const at = text.indexOf('@', start);
  if (at >= 0) {
    parseUserinfo(text, start, at, uri);
    i = at + 1;
  }
  i = parseHostPort(text, i, uri);
  i = parseUriParams(text, i, uri.params);
  if (text.charCodeAt(i) === 0x3f) i = parseUriHeaders(text, i + 1, uri.headers);
  if (i !== text.length) throw uriError(text, `unexpected "${text[i] ?? ''}" at ${i}`);
  return uri;
}

function parseUserinfo(text: string, start: number, at: number, uri: SipUri): void {
  const userEnd = scanEscaped(text, start, USER);
  if (userEnd === start) throw uriError(text, 'empty user');
  uri.user = unescapeComponent(text.slice(start, userEnd));
  if (userEnd === at) return;
  if (text.charCodeAt(userEnd) !== 0x3a) throw uriError(text, 'bad character in user');
  const pwEnd = scanEscaped(text, userEnd + 1, PASSWORD);
  if (pwEnd !== at) throw uriError(text, 'bad character in password');
  uri.password = unescapeComponent(text.slice(userEnd + 1, at));
}

function parseHostPort(text: string, i: number, uri: SipUri): number {
  let end = i;
  let upper = false;
  if (text.charCodeAt(i) === 0x5b) {
    end = text.indexOf(']', i) + 1;
    if (end === 0) throw uriError(text, 'unterminated IPv6 reference');
    upper = true;
  } else {
    for (;;) {
      const c = text.charCodeAt(end);
      if (c >= 0x61 && c <= 0x7a) end++;
      else if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e) end++;
      else if (c >= 0x41 && c <= 0x5a) {
        upper = true;
        end++;
      } else break;
    }
  }
  const host = upper ? text.slice(i, end).toLowerCase() : text.slice(i, end);
  if (!isHost(host)) throw uriError(text, `bad host "${host}"`);
  uri.host = host;
  if (text.charCodeAt(end) !== 0x3a) return end;
  const portEnd = digitsEnd(text, end + 1);
  const port = parseDigits(text.slice(end + 1, portEnd), 65535);
  if (port === undefined) throw uriError(text, 'bad port');
  uri.port = port;
  return portEnd;
}

function digitsEnd(s: string, i: number): number {
  for (let c = s.charCodeAt(i); c >= 0x30 && c <= 0x39; c = s.charCodeAt(++i));
  return i;
}

/** uri-parameters = *( ";" pname [ "=" pvalue ] ), names lower-cased (§19.1.4). */
function parseUriParams(text: string, i: number, params: Params): number {
  while (text.charCodeAt(i) === 0x3b) {
    const nameEnd = scanEscaped(text, i + 1, PARAMCHAR);
    if (nameEnd === i + 1) throw uriError(text, 'empty parameter');
    const name = unescapeComponent(text.slice(i + 1, nameEnd)).toLowerCase();
    if (params.has(name)) throw uriError(text, `duplicate parameter "${name}"`);
    i = nameEnd;
    let value: string | null = null;
    if (text.charCodeAt(i) === 0x3d) {
      const valueEnd = scanEscaped(text, i + 1, PARAMCHAR);
      if (valueEnd === i + 1) throw uriError(text, `empty value of "${name}"`);
      value = unescapeComponent(text.slice(i + 1, valueEnd));
      i = valueEnd;
    }
    params.set(name, value);
  }
  return i;
}

/** headers = "?" header *( "&" header ); header = hname "=" hvalue (§25.1). */
function parseUriHeaders(text: string, i: number, headers: Map<string, string>): number {
  for (;;) {
    const nameEnd = scanEscaped(text, i, HNV);
    if (nameEnd === i || text.charCodeAt(nameEnd) !== 0x3d) throw uriError(text, 'bad header');
    const valueEnd = scanEscaped(text, nameEnd + 1, HNV);
    headers.set(
      unescapeComponent(text.slice(i, nameEnd)),
      unescapeComponent(text.slice(nameEnd + 1, valueEnd)),
    );
    if (text.charCodeAt(valueEnd) !== 0x26) return valueEnd;
    i = valueEnd + 1;
  }
}

/** Scans characters of a class or "%" HEX HEX; returns the index after the run. */
function scanEscaped(s: string, i: number, flags: number): number {
  for (;;) {
    i = scan(s, i, flags);
    if (s.charCodeAt(i) !== PCT || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) {
      return i;
    }
    i += 3;
  }
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Resolves "%" HEX HEX. A run of escapes is read as UTF-8 when it is valid
 * UTF-8 and as ISO-8859-1 otherwise, so no octet is ever lost (RFC 4475
 * §3.1.1.4: "%00" stays a NUL and does not shorten the user).
 */
export function unescapeComponent(s: string): string {
  if (!s.includes('%')) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    if (s.charCodeAt(i) !== PCT) {
      const next = s.indexOf('%', i);
      const end = next < 0 ? s.length : next;
      out += s.slice(i, end);
      i = end;
      continue;
    }
    const bytes: number[] = [];
    while (s.charCodeAt(i) === PCT && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    }
    if (bytes.length === 0) out += s.charAt(i++);
    else out += decodeOctets(bytes);
  }
  return out;
}

function decodeOctets(bytes: number[]): string {
  if (bytes.every((b) => b < 0x80)) return String.fromCharCode(...bytes);
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    return String.fromCharCode(...bytes);
  }
}

/** Escapes every character outside `flags` as UTF-8 octets "%HH" (§19.1.2). */
export function escapeComponent(s: string, flags: number): string {
  if (allOf(s, flags) || s.length === 0) return s;
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (is(c, flags)) {
      out += ch;
      continue;
    }
    for (const b of Buffer.from(ch, 'utf8')) out += '%' + HEX.charAt(b >> 4) + HEX.charAt(b & 15);
  }
  return out;
}

const HEX = '0123456789ABCDEF';

export function formatUri(uri: Uri): string {
  if (uri.kind === 'absolute') return uri.text;
  let out = uri.scheme + ':';
  if (uri.user !== undefined) {
    out += escapeComponent(uri.user, USER);
    if (uri.password !== undefined) out += ':' + escapeComponent(uri.password, PASSWORD);
    out += '@';
  }
  out += uri.host;
  if (uri.port !== undefined) out += ':' + String(uri.port);
  for (const [name, value] of uri.params) {
    out += ';' + escapeComponent(name, PARAMCHAR);
    if (value !== null) out += '=' + escapeComponent(value, PARAMCHAR);
  }
  let sep = '?';
  for (const [name, value] of uri.headers) {
    out += sep + escapeComponent(name, HNV) + '=' + escapeComponent(value, HNV);
    sep = '&';
  }
  return out;
}

// §19.1.4: these parameters never match when present in only one URI
// ("transport" too, per the examples that close the section).
const MUST_MATCH = ['user', 'ttl', 'method', 'maddr', 'transport'];

/** URI equality per RFC 3261 §19.1.4. */
export function uriEquals(a: Uri, b: Uri): boolean {
  if (a.kind === 'absolute' || b.kind === 'absolute') {
    if (a.kind !== 'absolute' || b.kind !== 'absolute') return false;
    // Other schemes: scheme case-insensitive, the rest compared unescaped (RFC 3986 §6.2.2).
    const rest = (u: AbsoluteUri): string => unescapeComponent(u.text.slice(u.scheme.length + 1));
    return a.scheme === b.scheme && rest(a) === rest(b);
  }
  if (a.scheme !== b.scheme || a.user !== b.user || a.password !== b.password) return false;
  if (a.port !== b.port || !hostEquals(a.host, b.host)) return false;
  return paramsMatch(a.params, b.params) && headersMatch(a.headers, b.headers);
}

function paramsMatch(a: Params, b: Params): boolean {
  for (const name of MUST_MATCH) if (a.has(name) !== b.has(name)) return false;
  for (const [name, value] of a) {
    if (!b.has(name)) continue;
    const other = b.get(name);
    if (value === null || other === null || other === undefined) {
      if (value !== other) return false;
    } else if (name === 'method' ? value !== other : value.toLowerCase() !== other.toLowerCase()) {
      return false;
    }
  }
  return true;
}

/** URI header components are never ignored (§19.1.4); names compare case-insensitively. */
function headersMatch(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  const lower = new Map<string, string>();
  for (const [name, value] of b) lower.set(name.toLowerCase(), value);
  for (const [name, value] of a) if (lower.get(name.toLowerCase()) !== value) return false;
  return true;
}

function uriError(text: string, detail: string): Error {
  const shown = text.length > 80 ? text.slice(0, 80) + '…' : text;
  return syntaxError('URI', `${detail} in "${shown}"`);
}

/** A plain sip: URI without parameters; port undefined means the default (§19.1.2). */
export function sipUri(user: string | undefined, host: string, port?: number): SipUri {
  return {
    kind: 'sip',
    scheme: 'sip',
    user,
    password: undefined,
    host,
    port,
    params: new Map(),
    headers: new Map(),
  };
}
