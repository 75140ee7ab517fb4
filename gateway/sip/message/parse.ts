/**
 * parseMessage: bytes of one datagram or WebSocket frame → SipMessage
 * (RFC 3261 §7, §18.3; RFC 7118 §5). Never throws: every failure is a
 * ParseResult with a LinegateError ('sip.parse' or 'sip.too-large') whose
 * details carry the status and reason phrase a server would answer with,
 * plus, for requests, the fields needed to build that answer.
 *
 * The body of a parsed message is a view of `data` (no copy); a caller that
 * reuses its receive buffer must copy the body first.
 */
import { isUtf8 } from 'node:buffer';
import { LinegateError } from '#shared/errors.ts';
import { TOKEN, scan } from './chars.ts';
import { Failure } from './failure.ts';
import { parseContentLength } from './scalars.ts';
import { isStatusLine, parseStartLine } from './start-line.ts';
import { MAX_LINE_LENGTH, hasControls, tokenizeHeaders } from './tokenize.ts';
import type {
  HeaderField,
  ParseOptions,
  ParseResult,
  PartialRequest,
  SipMessage,
} from './types.ts';
import { validate } from './validate.ts';

export { MAX_HEADER_COUNT, MAX_LINE_LENGTH } from './tokenize.ts';

/** 64 KiB: the most a UDP datagram can carry, and plenty for a WebSocket frame. */
export const MAX_MESSAGE_SIZE = 65536;

const CRLFCRLF = Buffer.from('\r\n\r\n');
const PARTIAL_FIELDS = new Set(['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Timestamp']);

export function parseMessage(data: Buffer, opts: ParseOptions): ParseResult {
  if (data.length > MAX_MESSAGE_SIZE) {
    return {
      ok: false,
      error: new Failure(`Message larger than ${MAX_MESSAGE_SIZE} octets`, 513).toError(),
    };
  }
  // §7.5: CRLFs before the start line are ignored (they are also keep-alives, RFC 5626 §3.5.1).
  let start = 0;
  while (data[start] === 0x0d && data[start + 1] === 0x0a) start += 2;
  if (start >= data.length) {
    return { ok: false, error: new Failure('Empty message').toError({ keepAlive: true }) };
  }
  try {
    return parseFrom(data, start, opts);
  } catch (e) {
    // Defensive: a bug must not take the transport down with it.
    const error = e instanceof LinegateError ? e : new Failure('Unparseable message').toError();
    return { ok: false, error };
  }
}

/** True for a datagram or frame of nothing but CRLFs: a keep-alive (RFC 5626 §3.5.1). */
export function isKeepAlive(data: Buffer): boolean {
  if (data.length === 0 || data.length % 2 !== 0) return false;
  for (let i = 0; i < data.length; i += 2)
    if (data[i] !== 0x0d || data[i + 1] !== 0x0a) return false;
  return true;
}

function parseFrom(data: Buffer, start: number, opts: ParseOptions): ParseResult {
  const sep = data.indexOf(CRLFCRLF, start);
  const headEnd = sep < 0 ? data.length : sep;
  const head = data.toString('utf8', start, headEnd);
  let lineEnd = head.indexOf('\r\n');
  if (lineEnd < 0) lineEnd = head.length;
  const line = head.slice(0, lineEnd);
  const method = requestMethod(line);
  if (lineEnd > MAX_LINE_LENGTH)
    return failed(new Failure('Start line too long', 513), undefined, line, []);
  const { fields, error } = tokenizeHeaders(head, lineEnd + 2, hasControls(data, start, headEnd));
  if (error !== undefined) return failed(error, method, line, fields);
  // Invalid UTF-8 was replaced by U+FFFD while decoding; only then look closer (§7.3.1 TEXT-UTF8).
  if (head.includes('\uFFFD') && !isUtf8(data.subarray(start, headEnd))) {
    return failed(new Failure('Invalid UTF-8 in header section'), method, line, fields);
  }
  try {
    const msg = build(parseStartLine(line), fields);
    validate(msg);
    if (sep < 0) throw new Failure('Missing empty line after the header fields');
    msg.body = frameBody(data, sep + 4, fields, opts);
    return { ok: true, message: msg };
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    return failed(e, method, line, fields);
  }
}

function build(start: ReturnType<typeof parseStartLine>, headers: HeaderField[]): SipMessage {
  const body = EMPTY;
  if (start.kind === 'request') {
    return { kind: 'request', method: start.method, uri: start.uri, headers, body };
  }
  return { kind: 'response', status: start.status, reason: start.reason, headers, body };
}

const EMPTY = Buffer.alloc(0);

/**
 * Content-Length framing (§18.3, §20.14). Datagram: octets past the
 * announced length are ignored (RFC 4475 §3.1.1.8), fewer are an error
 * (§3.1.2.2); without the header the body is the rest (§3.4.1). Frame
 * (RFC 7118 §5): the body is the rest of the frame and must agree.
 */
function frameBody(
  data: Buffer,
  bodyStart: number,
  fields: HeaderField[],
  opts: ParseOptions,
): Buffer {
  let length: number | undefined;
  for (const f of fields) {
    if (f.name !== 'Content-Length') continue;
    let n: number;
    try {
      n = parseContentLength(f.value, MAX_MESSAGE_SIZE);
    } catch (e) {
      throw new Failure(e instanceof Error ? e.message : 'Malformed Content-Length');
    }
    // RFC 4475 §3.3.9: conflicting values are as bad as an invalid one.
    if (length !== undefined && n !== length)
      throw new Failure('Conflicting Content-Length values');
    length = n;
  }
  const available = data.length - bodyStart;
  if (length === undefined) return data.subarray(bodyStart);
  if (opts.framing === 'frame' && length !== available) {
    throw new Failure('Content-Length does not match the frame');
  }
  if (length > available) throw new Failure('Content-Length larger than message');
  return data.subarray(bodyStart, bodyStart + length);
}

/** The method of what looks like a request line, if its first word is a token. */
function requestMethod(line: string): string | undefined {
  if (isStatusLine(line)) return undefined;
  const end = scan(line, 0, TOKEN);
  return end > 0 && line.charCodeAt(end) === 0x20 ? line.slice(0, end) : undefined;
}

/** The result for a failure; a request gets the fields its 400 (or 505, 513) needs. */
function failed(
  f: Failure,
  method: string | undefined,
  line: string,
  fields: HeaderField[],
): ParseResult {
  const error = f.toError();
  if (method === undefined) return { ok: false, error };
  const parts = line.split(' ');
  const partial: PartialRequest = {
    method,
    uri: parts.length === 3 ? parts[1] : undefined,
    headers: fields.filter((h) => PARTIAL_FIELDS.has(h.name)),
    status: f.status,
    reason: f.reason,
  };
  return { ok: false, error, partial };
}
