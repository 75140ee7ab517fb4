/**
 * Request-Line and Status-Line (RFC 3261 §7.1, §7.2, §25.1). The grammar
 * allows exactly one SP between the elements and none at the end; RFC 4475
 * §3.1.2.7-§3.1.2.11 lets a parser reject every deviation, and this one does.
 */
import { CONTROL, TOKEN, allOf } from './chars.ts';
import { Failure } from './failure.ts';
import { parseUri } from './uri.ts';
import type { Uri } from './types.ts';

export type StartLine =
  | { kind: 'request'; method: string; uri: Uri }
  | { kind: 'response'; status: number; reason: string };

const VERSION_SHAPE = /^SIP\/\d+\.\d+$/i;

/** True when the line starts like a Status-Line ("SIP/…", case-insensitive, §7.1). */
export function isStatusLine(line: string): boolean {
  return line.length >= 4 && line.slice(0, 4).toUpperCase() === 'SIP/';
}

export function parseStartLine(line: string): StartLine {
  return isStatusLine(line) ? parseStatusLine(line) : parseRequestLine(line);
}

function checkVersion(version: string): void {
  if (version.length === 7 && version.toUpperCase() === 'SIP/2.0') return;
  if (VERSION_SHAPE.test(version)) throw new Failure(`Unsupported SIP-Version ${version}`, 505);
  throw new Failure('Malformed SIP-Version');
}

/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF */
function parseStatusLine(line: string): StartLine {
  const sp = line.indexOf(' ');
  checkVersion(sp < 0 ? line : line.slice(0, sp));
  const codeEnd = line.indexOf(' ', sp + 1);
  const code = line.slice(sp + 1, codeEnd < 0 ? line.length : codeEnd);
  // Status-Code = 3DIGIT and the class digit is 1-6 (§7.2, RFC 4475 §3.1.2.19).
  if (!/^[1-6]\d\d$/.test(code)) throw new Failure('Bad Status-Code');
  // Liberal: "SIP/2.0 100" without the SP before an empty Reason-Phrase is
  // accepted, as RFC 4475 §3.1.1.13 allows a liberal receiver to do.
  const reason = codeEnd < 0 ? '' : line.slice(codeEnd + 1);
  if (CONTROL.test(reason)) throw new Failure('Control character in Reason-Phrase');
  return { kind: 'response', status: Number(code), reason };
}

/** Request-Line = Method SP Request-URI SP SIP-Version CRLF */
function parseRequestLine(line: string): StartLine {
  const parts = line.split(' ');
  if (parts.length !== 3) throw new Failure(requestLineProblem(line, parts));
  const [method, uriText, version] = parts as [string, string, string];
  if (!allOf(method, TOKEN)) throw new Failure('Bad Method');
  checkVersion(version);
  if (uriText.startsWith('<')) throw new Failure('Request-URI enclosed in <>'); // RFC 4475 §3.1.2.6
  let uri: Uri;
  try {
    uri = parseUri(uriText);
  } catch {
    throw new Failure('Malformed Request-URI');
  }
  // Headers are not allowed in a Request-URI (§19.1.1 table 1, RFC 4475 §3.1.2.11).
  if (uri.kind === 'sip' && uri.headers.size > 0)
    throw new Failure('Escaped headers in Request-URI');
  return { kind: 'request', method, uri };
}

function requestLineProblem(line: string, parts: string[]): string {
  if (parts.length < 3) return 'Malformed Request-Line';
  if (line.endsWith(' ')) return 'Trailing SP in Request-Line'; // RFC 4475 §3.1.2.10
  if (parts.includes('')) return 'Multiple SP in Request-Line'; // RFC 4475 §3.1.2.9
  if (VERSION_SHAPE.test(parts.at(-1) ?? '')) return 'LWS in Request-URI'; // RFC 4475 §3.1.2.8
  return 'Malformed Request-Line';
}
