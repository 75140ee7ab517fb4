/**
 * Via (RFC 3261 §20.42, §25.1): sent-protocol, sent-by and via-params, with
 * the LWS the grammar allows around "/" ":" ";" "=" (RFC 4475 §3.1.1.1).
 */
import { TOKEN, parseDigits, scan, skipWs, syntaxError } from './chars.ts';
import { isHost } from './host.ts';
import { formatParams, parseParams } from './params.ts';
import type { Via } from './types.ts';

/** Parses one Via value; a comma-separated list is an error here. */
export function parseVia(value: string): Via {
  const [via, end] = parseViaAt(value, 0);
  if (end !== value.length) throw syntaxError('Via', 'more than one value');
  return via;
}

/** Parses every value of a Via header field (via-parm *(COMMA via-parm)). */
export function parseViaList(value: string, out: Via[] = []): Via[] {
  let i = 0;
  for (;;) {
    const [via, end] = parseViaAt(value, i);
    out.push(via);
    if (end >= value.length) return out;
    i = end + 1; // past the comma
  }
}

function parseViaAt(s: string, i: number): [Via, number] {
  const name = readToken(s, skipWs(s, i), 'protocol name');
  const version = readToken(s, expect(s, name.end, 0x2f), 'protocol version');
  const transport = readToken(s, expect(s, version.end, 0x2f), 'transport');
  const hostStart = skipWs(s, transport.end);
  if (hostStart === transport.end) throw syntaxError('Via', 'no space before sent-by');
  let end = hostStart;
  if (s.charCodeAt(end) === 0x5b) {
    end = s.indexOf(']', end) + 1;
    if (end === 0) throw syntaxError('Via', 'unterminated IPv6 reference');
  } else {
    end = scanHost(s, end);
  }
  const host = s.slice(hostStart, end).toLowerCase();
  if (!isHost(host)) throw syntaxError('Via', `bad sent-by host "${host}"`);
  const via: Via = {
    protocol: name.text + '/' + version.text,
    transport: transport.text.toUpperCase(),
    host,
    port: undefined,
    params: new Map(),
  };
  end = skipWs(s, end);
  if (s.charCodeAt(end) === 0x3a) end = readPort(s, skipWs(s, end + 1), via);
  end = parseParams(s, end, via.params, 'Via');
  checkViaParams(via);
  return [via, end];
}

function readToken(s: string, i: number, what: string): { text: string; end: number } {
  const end = scan(s, i, TOKEN);
  if (end === i) throw syntaxError('Via', `missing ${what}`);
  return { text: s.slice(i, end), end };
}

/** SLASH = SWS "/" SWS: returns the index after the slash and its LWS. */
function expect(s: string, i: number, code: number): number {
  i = skipWs(s, i);
  if (s.charCodeAt(i) !== code) throw syntaxError('Via', `expected "${String.fromCharCode(code)}"`);
  return skipWs(s, i + 1);
}

function scanHost(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    const alnum = (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
    if (!alnum && c !== 0x2d && c !== 0x2e) return i;
    i++;
  }
}

function readPort(s: string, i: number, via: Via): number {
  let end = i;
  for (let c = s.charCodeAt(end); c >= 0x30 && c <= 0x39; c = s.charCodeAt(++end));
  const port = parseDigits(s.slice(i, end), 65535);
  if (port === undefined) throw syntaxError('Via', 'bad port');
  via.port = port;
  return end;
}

/** via-ttl is 0-255 (§20.42); rport is empty or a port (RFC 3581 §3). */
function checkViaParams(via: Via): void {
  const ttl = via.params.get('ttl');
  if (ttl !== undefined && (ttl === null || parseDigits(ttl, 255) === undefined)) {
    throw syntaxError('Via', 'bad ttl');
  }
  const rport = via.params.get('rport');
  if (rport !== undefined && rport !== null && parseDigits(rport, 65535) === undefined) {
    throw syntaxError('Via', 'bad rport');
  }
  const branch = via.params.get('branch');
  if (branch === null) throw syntaxError('Via', 'branch without value');
}

export function formatVia(via: Via): string {
  let out = `${via.protocol}/${via.transport} ${via.host}`;
  if (via.port !== undefined) out += ':' + String(via.port);
  return out + formatParams(via.params);
}
