/**
 * Header list helpers and typed views (RFC 3261 §7.3, §20). Lookup is
 * case-insensitive and compact-form aware ("v", "VIA" and "Via" are one
 * header, §7.3.1, §7.3.3). Typed views parse on demand and throw a
 * LinegateError with code 'sip.parse' on bad syntax.
 */
import { CONTROL, TOKEN, allOf, syntaxError } from './chars.ts';
import { canonicalName, isSingleValued } from './names.ts';
import { parseNameAddr, parseNameAddrList } from './name-addr.ts';
import { splitList } from './params.ts';
import { onlyQuotedControls } from './tokenize.ts';
import {
  parseCSeq,
  parseCallId,
  parseContentType,
  parseDate,
  parseDeltaSeconds,
  parseMaxForwards,
} from './scalars.ts';
import type { CSeq, ContentType, HeaderField, NameAddr, Via } from './types.ts';
import { parseViaList } from './via.ts';

export { unquote, quote } from './chars.ts';
export { canonicalName, knownName, sameName } from './names.ts';
export { formatNameAddr, parseNameAddr, parseNameAddrList, tagOf } from './name-addr.ts';
export { formatParams, parseParams, splitList } from './params.ts';
export {
  formatCSeq,
  formatContentType,
  parseCSeq,
  parseCallId,
  parseContentType,
  parseDate,
  parseDeltaSeconds,
  parseMaxForwards,
} from './scalars.ts';
export { formatVia, parseVia, parseViaList } from './via.ts';

/** Anything with a header list: a SipMessage, or a message under construction. */
export interface HasHeaders {
  headers: HeaderField[];
}

function matches(fieldName: string, canon: string, lower: string): boolean {
  if (fieldName === canon) return true;
  if (fieldName.length !== canon.length && fieldName.length !== 1) return false;
  return canonicalName(fieldName).toLowerCase() === lower;
}

/** Every header field of that name, in order. */
export function getHeaders(msg: HasHeaders, name: string): HeaderField[] {
  const canon = canonicalName(name);
  const lower = canon.toLowerCase();
  return msg.headers.filter((f) => matches(f.name, canon, lower));
}

/** The value of the first header field of that name. */
export function getHeader(msg: HasHeaders, name: string): string | undefined {
  const canon = canonicalName(name);
  const lower = canon.toLowerCase();
  for (const f of msg.headers) if (matches(f.name, canon, lower)) return f.value;
  return undefined;
}

/**
 * All values of a header, split at commas outside quotes and <> (§7.3.1),
 * across every field of that name, trimmed; empty elements are dropped.
 * Headers that are never lists (Date, Authorization, From …) are not split.
 */
export function headerValues(msg: HasHeaders, name: string): string[] {
  const fields = getHeaders(msg, name);
  if (isSingleValued(name)) return fields.map((f) => f.value);
  return fields.flatMap((f) => splitList(f.value, false));
}

function checkField(name: string, value: string): HeaderField {
  if (!allOf(name, TOKEN)) throw syntaxError('header name', JSON.stringify(name));
  // CR or LF would let a value inject header lines (§7.3.1); other controls
  // are allowed only as quoted-pairs (§25.1), as the parser allows them.
  if (CONTROL.test(value) && (/[\r\n]/.test(value) || !onlyQuotedControls(value))) {
    throw syntaxError(name, 'control character in value');
  }
  return { name: canonicalName(name), value };
}

/** Replaces every field of that name by one, at the position of the first. */
export function setHeader(msg: HasHeaders, name: string, value: string): void {
  const field = checkField(name, value);
  const lower = field.name.toLowerCase();
  const at = msg.headers.findIndex((f) => matches(f.name, field.name, lower));
  removeHeader(msg, name);
  if (at < 0) msg.headers.push(field);
  else msg.headers.splice(at, 0, field);
}

export function addHeader(msg: HasHeaders, name: string, value: string): void {
  msg.headers.push(checkField(name, value));
}

/** Inserts a field before every other one (a proxy's new top Via, §16.6 step 8). */
export function prependHeader(msg: HasHeaders, name: string, value: string): void {
  msg.headers.unshift(checkField(name, value));
}

/** Removes every field of that name; returns how many were removed. */
export function removeHeader(msg: HasHeaders, name: string): number {
  const canon = canonicalName(name);
  const lower = canon.toLowerCase();
  const before = msg.headers.length;
  msg.headers = msg.headers.filter((f) => !matches(f.name, canon, lower));
  return before - msg.headers.length;
}

/** The value of a header that may appear at most once; undefined when absent. */
export function singleValue(msg: HasHeaders, name: string): string | undefined {
  const fields = getHeaders(msg, name);
  if (fields.length > 1) throw syntaxError(canonicalName(name), 'more than one header field');
  return fields[0]?.value;
}

function required(msg: HasHeaders, name: string): string {
  const value = singleValue(msg, name);
  if (value === undefined) throw syntaxError(name, 'missing');
  return value;
}

/** Every Via value, top first (§20.42). */
export function vias(msg: HasHeaders): Via[] {
  const out: Via[] = [];
  for (const f of getHeaders(msg, 'Via')) parseViaList(f.value, out);
  return out;
}

/** The topmost Via value: where a response goes (§18.2.2). */
export function topVia(msg: HasHeaders): Via {
  const first = getHeader(msg, 'Via');
  if (first === undefined) throw syntaxError('Via', 'missing');
  const [via] = parseViaList(first);
  if (via === undefined) throw syntaxError('Via', 'missing');
  return via;
}

export function from(msg: HasHeaders): NameAddr {
  return parseNameAddr(required(msg, 'From'), { what: 'From' });
}

export function to(msg: HasHeaders): NameAddr {
  return parseNameAddr(required(msg, 'To'), { what: 'To' });
}

export function callId(msg: HasHeaders): string {
  return parseCallId(required(msg, 'Call-ID'));
}

export function cseq(msg: HasHeaders): CSeq {
  return parseCSeq(required(msg, 'CSeq'));
}

export function maxForwards(msg: HasHeaders): number | undefined {
  const v = singleValue(msg, 'Max-Forwards');
  return v === undefined ? undefined : parseMaxForwards(v);
}

export function expires(msg: HasHeaders): number | undefined {
  const v = singleValue(msg, 'Expires');
  return v === undefined ? undefined : parseDeltaSeconds(v);
}

export function contentType(msg: HasHeaders): ContentType | undefined {
  const v = singleValue(msg, 'Content-Type');
  return v === undefined ? undefined : parseContentType(v);
}

export function date(msg: HasHeaders): Date | undefined {
  const v = singleValue(msg, 'Date');
  return v === undefined ? undefined : parseDate(v);
}

/**
 * Contact values, or '*' for the wildcard of a REGISTER (§10.2.2, §20.10).
 * Checks the expires (delta-seconds, RFC 4475 §3.1.2.4) and q parameters.
 */
export function contacts(msg: HasHeaders): NameAddr[] | '*' {
  const fields = getHeaders(msg, 'Contact');
  if (fields.some((f) => f.value === '*')) {
    if (fields.length > 1) throw syntaxError('Contact', '"*" mixed with other values');
    return '*';
  }
  const out: NameAddr[] = [];
  for (const f of fields) parseNameAddrList(f.value, { what: 'Contact' }, out);
  for (const c of out) checkContactParams(c);
  return out;
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

function checkContactParams(c: NameAddr): void {
  const exp = c.params.get('expires');
  if (exp !== undefined) {
    if (exp === null) throw syntaxError('Contact', 'expires without value');
    parseDeltaSeconds(exp, 'Contact');
  }
  const q = c.params.get('q');
  if (q !== undefined && (q === null || !QVALUE.test(q)))
    throw syntaxError('Contact', 'bad q value');
}

/** Route values, in order (§20.34); only the name-addr form is allowed. */
export function routes(msg: HasHeaders): NameAddr[] {
  return nameAddrs(msg, 'Route');
}

/** Record-Route values, in order (§20.30). */
export function recordRoutes(msg: HasHeaders): NameAddr[] {
  return nameAddrs(msg, 'Record-Route');
}

function nameAddrs(msg: HasHeaders, name: string): NameAddr[] {
  const out: NameAddr[] = [];
  for (const f of getHeaders(msg, name)) {
    parseNameAddrList(f.value, { what: name, requireBrackets: true }, out);
  }
  return out;
}
