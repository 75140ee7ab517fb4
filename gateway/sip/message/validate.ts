/**
 * Checks a parser runs on every message before handing it up: the header
 * fields every request and response carries (RFC 3261 §8.1.1, §8.2.6.2),
 * those that may appear only once, and the syntax of the headers the stack
 * itself acts on. What RFC 4475 lists as invalid fails here with the reason
 * a 400 would carry (§3.1.2, §3.3.1, §3.3.8).
 */
import { isLinegateError } from '#shared/errors.ts';
import { Failure } from './failure.ts';
import { contacts, contentType, date, expires } from './headers.ts';
import { parseNameAddr } from './name-addr.ts';
import { parseCSeq, parseCallId, parseMaxForwards } from './scalars.ts';
import type { SipMessage } from './types.ts';
import { parseViaList } from './via.ts';

// Max-Forwards is not required: RFC 2543 requests lack it (RFC 4475 §3.4.1).
const REQUIRED = ['Via', 'Call-ID', 'CSeq', 'From', 'To'];
const COUNTED = [...REQUIRED, 'Max-Forwards', 'Expires', 'Date', 'Content-Type'];
const SLOT = new Map(COUNTED.map((name, i) => [name, i]));

export function validate(msg: SipMessage): void {
  checkCounts(msg);
  guard(msg);
}

/** Required fields present (§8.1.1), single-valued ones not repeated (§7.3.1). */
function checkCounts(msg: SipMessage): void {
  const counts = new Array<number>(COUNTED.length).fill(0);
  for (const f of msg.headers) {
    const slot = SLOT.get(f.name);
    if (slot !== undefined) counts[slot] = (counts[slot] ?? 0) + 1;
  }
  const missing = REQUIRED.filter((_, i) => counts[i] === 0);
  if (missing.length > 0) throw new Failure(`Missing ${missing.join(', ')}`);
  const repeated = COUNTED.filter((name, i) => name !== 'Via' && (counts[i] ?? 0) > 1);
  if (repeated.length > 0) throw new Failure(`Multiple ${repeated.join(', ')} header fields`);
}

function checkField(name: string, value: string, msg: SipMessage): void {
  switch (name) {
    case 'Via':
      parseViaList(value);
      return;
    case 'From':
    case 'To':
      parseNameAddr(value, { what: name });
      return;
    case 'Call-ID':
      parseCallId(value);
      return;
    case 'CSeq': {
      const { method } = parseCSeq(value);
      // §8.2 / RFC 4475 §3.1.2.17-18: the CSeq method must be the request's.
      if (msg.kind === 'request' && method !== msg.method) {
        throw new Failure('CSeq method does not match the Request-Line');
      }
      return;
    }
    case 'Max-Forwards':
      parseMaxForwards(value);
      return;
    default:
      return;
  }
}

/** Runs the syntax checks; the typed views' errors become a Failure with their message. */
function guard(msg: SipMessage): void {
  try {
    for (const f of msg.headers) checkField(f.name, f.value, msg);
    // The optional headers below have their own accessors; reuse them.
    contacts(msg);
    expires(msg);
    date(msg);
    contentType(msg);
  } catch (e) {
    if (isLinegateError(e, 'sip.parse')) throw new Failure(e.message);
    throw e;
  }
}
