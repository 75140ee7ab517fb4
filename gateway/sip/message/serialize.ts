/**
 * serializeMessage: SipMessage → bytes (RFC 3261 §7). Header fields go out
 * in order with their stored names; Content-Length is always computed from
 * the body (§20.14; mandatory over TCP/WS, harmless over UDP), replacing a
 * received value in place or appended last.
 */
import { LinegateError } from '#shared/errors.ts';
import { formatUri } from './uri.ts';
import type { SipMessage } from './types.ts';

// Guards against header injection by values set without setHeader's checks.
// Other controls may be legitimate quoted-pairs (RFC 4475 §3.1.1.2).
const UNSAFE = /[\r\n]/;

export function startLine(msg: SipMessage): string {
  return msg.kind === 'request'
    ? `${msg.method} ${formatUri(msg.uri)} SIP/2.0`
    : `SIP/2.0 ${msg.status} ${msg.reason}`;
}

export function serializeMessage(msg: SipMessage): Buffer {
  const first = startLine(msg);
  if (UNSAFE.test(first)) throw new LinegateError('internal', 'start line holds CR or LF');
  let head = first + '\r\n';
  let lengthWritten = false;
  const length = String(msg.body.length);
  for (const f of msg.headers) {
    if (
      f.name === 'Content-Length' ||
      f.name.toLowerCase() === 'content-length' ||
      f.name === 'l'
    ) {
      if (!lengthWritten) head += 'Content-Length: ' + length + '\r\n';
      lengthWritten = true;
      continue;
    }
    if (UNSAFE.test(f.value) || UNSAFE.test(f.name)) {
      throw new LinegateError('internal', `header ${f.name} holds CR or LF`);
    }
    head += f.name + ': ' + f.value + '\r\n';
  }
  if (!lengthWritten) head += 'Content-Length: ' + length + '\r\n';
  head += '\r\n';
  if (msg.body.length === 0) return Buffer.from(head, 'utf8');
  const headLength = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLength + msg.body.length);
  out.write(head, 0, 'utf8');
  msg.body.copy(out, headLength);
  return out;
}
