/**
 * Splits the header section into header fields (RFC 3261 §7.3): one field
 * per line plus its continuation lines (LWS folding, §7.3.1), names
 * canonicalised, values unfolded and trimmed. Limits are enforced here,
 * before any typed parsing, so an attack costs one linear scan.
 */
import { BACKSLASH, CONTROL, DQUOTE, TOKEN, allOf, skipWs, trimEnd } from './chars.ts';
import { Failure } from './failure.ts';
import { canonicalName } from './names.ts';
import type { HeaderField } from './types.ts';

export const MAX_HEADER_COUNT = 256;
export const MAX_LINE_LENGTH = 8192;

export interface Tokenized {
  fields: HeaderField[];
  /** The first problem found; tokenizing goes on past a bad line so a 400 can still be built. */
  error: Failure | undefined;
}

// Only SP and HTAB are trimmed: String.prototype.trim would also eat a
// U+FEFF that RFC 4475 §3.1.1.2 carries as the first character of a value.
const FOLD = /[ \t]*\r\n[ \t]+/g;

/**
 * True when data[start…end) holds a control other than HTAB and CRLF pairs:
 * one byte loop over the whole section spares a test per field in the
 * common case (and is faster than a regular expression on the string).
 */
export function hasControls(data: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = data[i] ?? 0;
    if (c >= 0x20 && c !== 0x7f) continue;
    if (c === 0x09) continue;
    if (c === 0x0d && data[i + 1] === 0x0a) {
      i++;
      continue;
    }
    return true;
  }
  return false;
}

/**
 * Tokenizes head[pos…]; head ends where the empty line (or the data) ends.
 * `checkEach`: the section has controls, so each field is checked for them.
 */
export function tokenizeHeaders(head: string, pos: number, checkEach = true): Tokenized {
  const fields: HeaderField[] = [];
  let error: Failure | undefined;
  const n = head.length;
  while (pos < n) {
    let eol = head.indexOf('\r\n', pos);
    if (eol < 0) eol = n;
    // A line starting with SP/HTAB continues the previous one (§7.3.1).
    while (eol < n && isWs(head.charCodeAt(eol + 2))) {
      eol = head.indexOf('\r\n', eol + 2);
      if (eol < 0) eol = n;
    }
    if (eol - pos > MAX_LINE_LENGTH) {
      return {
        fields,
        error: new Failure(`Header field longer than ${MAX_LINE_LENGTH} octets`, 513),
      };
    }
    if (eol > pos) {
      const field = readField(head, pos, eol, checkEach);
      if (field instanceof Failure) error ??= field;
      else if (fields.push(field) > MAX_HEADER_COUNT) {
        return { fields, error: new Failure(`More than ${MAX_HEADER_COUNT} header fields`, 513) };
      }
    }
    pos = eol + 2;
  }
  return { fields, error };
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

function readField(
  head: string,
  start: number,
  end: number,
  checkCtl: boolean,
): HeaderField | Failure {
  if (isWs(head.charCodeAt(start))) return new Failure('Continuation line without a header field');
  const colon = head.indexOf(':', start);
  if (colon < 0 || colon >= end) return new Failure('Header line without a colon');
  // HCOLON = *( SP / HTAB ) ":" SWS, so "Via  :" is the Via header (RFC 4475 §3.1.1.7).
  const name = head.slice(start, trimEnd(head, start, colon));
  if (!allOf(name, TOKEN)) return new Failure('Bad header field name');
  let value: string;
  if (head.lastIndexOf('\r\n', end - 1) > colon) {
    // Folded: each LWS becomes one SP (§7.3.1), then the ends are trimmed.
    value = head.slice(colon + 1, end).replace(FOLD, ' ');
    value = value.slice(skipWs(value, 0), trimEnd(value, 0, value.length));
  } else {
    value = head.slice(skipWs(head, colon + 1), trimEnd(head, colon + 1, end));
  }
  const canon = canonicalName(name);
  if (checkCtl && CONTROL.test(value) && !onlyQuotedControls(value)) {
    return new Failure(
      /[\r\n]/.test(value) ? `Bare CR or LF in ${canon}` : `Control character in ${canon}`,
    );
  }
  return { name: canon, value };
}

/**
 * True when every control character is the second half of a quoted-pair
 * inside a quoted-string, which §25.1 allows for all but CR and LF
 * (RFC 4475 §3.1.1.2 quotes a NUL, BEL and DEL that way).
 */
export function onlyQuotedControls(value: string): boolean {
  let inQuotes = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === DQUOTE) inQuotes = !inQuotes;
    else if (inQuotes && c === BACKSLASH) {
      const next = value.charCodeAt(++i);
      if (next === 0x0a || next === 0x0d) return false;
    } else if ((c < 0x20 && c !== 0x09) || c === 0x7f) return false;
  }
  return true;
}
