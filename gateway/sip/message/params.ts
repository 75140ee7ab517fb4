/**
 * Header parameters and comma-separated header values (RFC 3261 §7.3.1,
 * §25.1 generic-param, SEMI, EQUAL, COMMA). Folding is gone by the time a
 * value reaches these functions, so LWS here is only SP and HTAB.
 */
import {
  DQUOTE,
  GENVALUE,
  TOKEN,
  allOf,
  quote,
  scan,
  skipQuoted,
  skipWs,
  syntaxError,
  trimEnd,
} from './chars.ts';
import type { Params } from './types.ts';

/**
 * Parses *( SEMI generic-param ) starting at i. Names are lower-cased;
 * values keep their received form, quoted-strings with their quotes, so a
 * quoted token stays distinguishable from a bare one (RFC 3840 §9). Stops
 * at a COMMA or the end and returns that index.
 */
export function parseParams(s: string, i: number, params: Params, what: string): number {
  for (;;) {
    i = skipWs(s, i);
    const c = s.charCodeAt(i);
    if (i >= s.length || c === 0x2c) return i;
    if (c !== 0x3b) throw syntaxError(what, `unexpected "${s[i] ?? ''}" where ";" was expected`);
    i = skipWs(s, i + 1);
    const nameEnd = scan(s, i, TOKEN);
    if (nameEnd === i) throw syntaxError(what, 'empty parameter');
    const name = s.slice(i, nameEnd).toLowerCase();
    if (params.has(name)) throw syntaxError(what, `duplicate parameter "${name}"`);
    i = skipWs(s, nameEnd);
    let value: string | null = null;
    if (s.charCodeAt(i) === 0x3d) {
      i = skipWs(s, i + 1);
      const end = s.charCodeAt(i) === DQUOTE ? skipQuoted(s, i) : scan(s, i, GENVALUE);
      if (end < 0) throw syntaxError(what, `unterminated quoted string in "${name}"`);
      if (end === i) throw syntaxError(what, `empty value of "${name}"`);
      value = s.slice(i, end);
      i = end;
    }
    params.set(name, value);
  }
}

/** Formats parameters; a value that is neither gen-value nor quoted gets quoted. */
export function formatParams(params: Params): string {
  let out = '';
  for (const [name, value] of params) {
    out += ';' + name;
    if (value === null) continue;
    const quoted =
      value.length >= 2 && value.charCodeAt(0) === DQUOTE && skipQuoted(value, 0) === value.length;
    out += '=' + (quoted || allOf(value, GENVALUE) ? value : quote(value));
  }
  return out;
}

/**
 * Splits a header value at commas outside quoted-strings and <…> (§7.3.1).
 * Elements are trimmed. With `strict`, an empty element is a syntax error
 * (the SIP grammar has no null list elements, RFC 4475 §3.1.2.1); without
 * it, empty elements are dropped.
 */
export function splitList(value: string, strict: boolean, what = 'header'): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = value.length;
  while (i <= n) {
    const c = value.charCodeAt(i);
    if (i === n || c === 0x2c) {
      const from = skipWs(value, start);
      const to = trimEnd(value, from, i);
      if (to > from) out.push(value.slice(from, to));
      else if (strict) throw syntaxError(what, 'empty list element');
      start = ++i;
    } else if (c === DQUOTE) {
      const end = skipQuoted(value, i);
      if (end < 0) {
        if (strict) throw syntaxError(what, 'unterminated quoted string');
        i = n;
      } else i = end;
    } else if (c === 0x3c) {
      const end = value.indexOf('>', i);
      i = end < 0 ? n : end + 1;
    } else i++;
  }
  return out;
}
