/**
 * Auth-param lists of WWW-Authenticate, Proxy-Authenticate, Authorization and
 * Proxy-Authorization values (RFC 3261 §25.1 "challenge"/"credentials",
 * RFC 7616 §3.3–3.4, RFC 7235 §2.1):
 *
 *   value      = LWS? auth-scheme [ LWS auth-param *( COMMA auth-param ) ] LWS?
 *   auth-param = token EQUAL ( token / quoted-string )
 *   COMMA      = SWS "," SWS        EQUAL = SWS "=" SWS
 *
 * In SIP one header field value carries exactly ONE challenge or credentials
 * (RFC 3261 §7.3.1: these four headers are exempt from comma-combining), so the
 * comma here only separates parameters, never challenges.
 *
 * The parser is a single left-to-right scan in which every step consumes at
 * least one character, so hostile input costs linear time; the input length
 * and parameter count are capped as well. All failures are LinegateError
 * 'sip.auth'.
 */
import { LinegateError } from '#shared/errors.ts';

/** Longest header value accepted; real Digest values are a few hundred bytes. */
export const MAX_AUTH_VALUE_LENGTH = 8192;
/** Most parameters accepted in one value; Digest defines about a dozen. */
export const MAX_AUTH_PARAMS = 64;

export interface AuthParamValue {
  /** Unquoted, unescaped value. */
  readonly value: string;
  /** Whether it was sent as a quoted-string (some servers care on the way back). */
  readonly quoted: boolean;
}

export interface ParsedAuthValue {
  /** Scheme as received ("Digest"); compare case-insensitively (RFC 7235 §2.1). */
  readonly scheme: string;
  /** Lower-cased names in received order; unknown parameters are kept. */
  readonly params: ReadonlyMap<string, AuthParamValue>;
}

export interface AuthParamInput {
  readonly name: string;
  readonly value: string;
  /** true → quoted-string (escaped as needed); false → must be a valid token. */
  readonly quoted: boolean;
}

function fail(reason: string, at?: number): never {
  const where = at === undefined ? '' : ` at offset ${at}`;
  throw new LinegateError('sip.auth', `malformed auth header: ${reason}${where}`, {
    details: at === undefined ? { reason } : { reason, offset: at },
  });
}

/**
 * token characters: the SIP set (RFC 3261 §25.1) united with HTTP's tchar
 * (RFC 9110 §5.6.2), because PBXs built on HTTP code send both.
 */
function isTokenChar(code: number): boolean {
  if (code >= 0x30 && code <= 0x39) return true; // 0-9
  if (code >= 0x41 && code <= 0x5a) return true; // A-Z
  if (code >= 0x61 && code <= 0x7a) return true; // a-z
  return "-.!%*_+`'~#$&^|".includes(String.fromCharCode(code));
}

export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    if (!isTokenChar(text.charCodeAt(i))) return false;
  }
  return true;
}

function isWsp(code: number | undefined): boolean {
  return code === 0x20 || code === 0x09;
}

/** Skips LWS (RFC 3261 §25.1): blanks, and CRLF only when a fold follows. */
function skipLws(text: string, start: number): number {
  let pos = start;
  for (;;) {
    const code = text.charCodeAt(pos);
    if (isWsp(code)) {
      pos += 1;
    } else if (
      code === 0x0d &&
      text.charCodeAt(pos + 1) === 0x0a &&
      isWsp(text.charCodeAt(pos + 2))
    ) {
      pos += 3;
    } else {
      return pos;
    }
  }
}

function readToken(text: string, start: number, what: string): { value: string; end: number } {
  let end = start;
  while (end < text.length && isTokenChar(text.charCodeAt(end))) end += 1;
  if (end === start) fail(`expected ${what}`, start);
  return { value: text.slice(start, end), end };
}

/**
 * quoted-string = DQUOTE *(qdtext / quoted-pair) DQUOTE (RFC 3261 §25.1).
 * quoted-pair may escape anything but CR and LF; a folded line inside the
 * string reads as one space. Other controls (except HTAB) are refused.
 */
function readQuoted(text: string, start: number): { value: string; end: number } {
  let pos = start + 1;
  let out = '';
  while (pos < text.length) {
    const code = text.charCodeAt(pos);
    if (code === 0x22) return { value: out, end: pos + 1 };
    if (code === 0x5c) {
      const next = text.charCodeAt(pos + 1);
      if (Number.isNaN(next)) break;
      if (next === 0x0d || next === 0x0a) fail('CR/LF in quoted-pair', pos);
      out += text.charAt(pos + 1);
      pos += 2;
    } else if (code === 0x0d) {
      const after = skipLws(text, pos);
      if (after === pos) fail('bare CR in quoted-string', pos);
      out += ' ';
      pos = after;
    } else if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      fail('control character in quoted-string', pos);
    } else {
      out += text.charAt(pos);
      pos += 1;
    }
  }
  return fail('unterminated quoted-string', start);
}

function readParam(
  text: string,
  start: number,
): { name: string; param: AuthParamValue; end: number } {
  const name = readToken(text, start, 'parameter name');
  let pos = skipLws(text, name.end);
  if (text.charCodeAt(pos) !== 0x3d) fail(`expected "=" after "${name.value}"`, pos);
  pos = skipLws(text, pos + 1);
  const quoted = text.charCodeAt(pos) === 0x22;
  const value = quoted ? readQuoted(text, pos) : readToken(text, pos, 'parameter value');
  return {
    name: name.value.toLowerCase(),
    param: { value: value.value, quoted },
    end: value.end,
  };
}

/**
 * Parses one WWW-Authenticate / Proxy-Authenticate / Authorization /
 * Proxy-Authorization value. Duplicate parameter names are refused
 * (RFC 7235 §2.1: "each parameter name MUST only occur once").
 */
export function parseAuthValue(text: string): ParsedAuthValue {
  if (text.length > MAX_AUTH_VALUE_LENGTH) fail(`longer than ${MAX_AUTH_VALUE_LENGTH} characters`);
  const scheme = readToken(text, skipLws(text, 0), 'auth scheme');
  const params = new Map<string, AuthParamValue>();
  let pos = skipLws(text, scheme.end);
  if (pos === text.length) return { scheme: scheme.value, params };
  if (pos === scheme.end) fail('expected whitespace after auth scheme', pos);
  for (;;) {
    const { name, param, end } = readParam(text, pos);
    if (params.has(name)) fail(`duplicate parameter "${name}"`, pos);
    if (params.size >= MAX_AUTH_PARAMS) fail(`more than ${MAX_AUTH_PARAMS} parameters`, pos);
    params.set(name, param);
    pos = skipLws(text, end);
    if (pos === text.length) return { scheme: scheme.value, params };
    if (text.charCodeAt(pos) !== 0x2c) fail('expected "," between parameters', pos);
    pos = skipLws(text, pos + 1);
  }
}

/**
 * Splits a list carried inside one parameter, such as qop="auth,auth-int"
 * (RFC 3261 §25.1 qop-options): trimmed, lower-cased, empty items dropped.
 */
export function splitParamList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item.length > 0);
}

/** Reads a parameter value, or undefined when absent. */
export function paramValue(parsed: ParsedAuthValue, name: string): string | undefined {
  return parsed.params.get(name)?.value;
}

/**
 * Quotes a value for a quoted-string. CR and LF cannot be carried at all
 * (RFC 3261 §25.1 quoted-pair excludes them) and would allow header
 * injection, so they — like other controls — are refused rather than escaped.
 */
export function quoteString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      throw new LinegateError('sip.auth', 'control character in auth parameter value', {
        details: { offset: i },
      });
    }
    out += code === 0x22 || code === 0x5c ? `\\${value.charAt(i)}` : value.charAt(i);
  }
  return `${out}"`;
}

/** Formats "Scheme name=value, name="quoted", …". */
export function formatAuthValue(scheme: string, params: readonly AuthParamInput[]): string {
  if (!isToken(scheme)) throw new LinegateError('sip.auth', `invalid auth scheme "${scheme}"`);
  const parts = params.map((p) => {
    if (!isToken(p.name))
      throw new LinegateError('sip.auth', `invalid auth parameter name "${p.name}"`);
    if (p.quoted) return `${p.name}=${quoteString(p.value)}`;
    if (!isToken(p.value)) {
      throw new LinegateError('sip.auth', `auth parameter "${p.name}" is not a token`);
    }
    return `${p.name}=${p.value}`;
  });
  return parts.length === 0 ? scheme : `${scheme} ${parts.join(', ')}`;
}
