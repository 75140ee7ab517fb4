/**
 * Shared by the RFC 4475 tests: loading the byte-exact messages of the RFC's
 * archive (fixtures/rfc4475/, Appendix A) and asserting verdicts on them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { LinegateError } from '#shared/errors.ts';
import { parseMessage } from './parse.ts';
import type { PartialRequest, SipMessage, SipRequest, SipResponse, SipUri, Uri } from './types.ts';

export const FIXTURES = new URL('./fixtures/rfc4475/', import.meta.url);

/**
 * Every message of the archive and what a parser must do with it; the
 * section of RFC 4475 that discusses it and why is in the tests.
 */
export const VERDICTS: Readonly<Record<string, 'valid' | 'invalid'>> = {
  // §3.1.1 valid messages
  wsinv: 'valid',
  intmeth: 'valid',
  esc01: 'valid',
  escnull: 'valid',
  esc02: 'valid',
  lwsdisp: 'valid',
  longreq: 'valid',
  dblreq: 'valid',
  semiuri: 'valid',
  transports: 'valid',
  mpart01: 'valid',
  unreason: 'valid',
  noreason: 'valid',
  // §3.1.2 invalid messages
  badinv01: 'invalid',
  clerr: 'invalid',
  ncl: 'invalid',
  scalar02: 'invalid',
  scalarlg: 'invalid',
  quotbal: 'invalid',
  ltgtruri: 'invalid',
  lwsruri: 'invalid',
  lwsstart: 'invalid',
  trws: 'invalid',
  escruri: 'invalid',
  baddate: 'invalid',
  regbadct: 'invalid',
  badaspec: 'invalid',
  baddn: 'invalid',
  badvers: 'invalid',
  mismatch01: 'invalid',
  mismatch02: 'invalid',
  bigcode: 'invalid',
  // §3.2 transaction layer semantics
  badbranch: 'valid',
  // §3.3 application layer semantics
  insuf: 'invalid',
  unkscm: 'valid',
  novelsc: 'valid',
  unksm2: 'valid',
  bext01: 'valid',
  invut: 'valid',
  regaut01: 'valid',
  multi01: 'invalid',
  mcl01: 'invalid',
  bcast: 'valid',
  zeromf: 'valid',
  cparam01: 'valid',
  cparam02: 'valid',
  regescrt: 'valid',
  sdp01: 'valid',
  // §3.4 backward compatibility
  inv2543: 'valid',
  // In the archive, not discussed in §3
  test: 'invalid',
};

export function load(name: string): Buffer {
  return readFileSync(new URL(`${name}.dat`, FIXTURES));
}

export function ok(name: string): SipMessage {
  const r = parseMessage(load(name), { framing: 'datagram' });
  if (!r.ok) assert.fail(`${name}: ${String(r.error.details['reason'])}`);
  return r.message;
}

export function request(name: string): SipRequest {
  const m = ok(name);
  assert.equal(m.kind, 'request');
  return m;
}

export function response(name: string): SipResponse {
  const m = ok(name);
  assert.equal(m.kind, 'response');
  return m;
}

/** Asserts rejection with 'sip.parse'; returns the error and, for requests, the partial. */
export function rejected(
  input: string | Buffer,
  reason: RegExp,
): { error: LinegateError; partial?: PartialRequest } {
  const r = parseMessage(typeof input === 'string' ? load(input) : input, { framing: 'datagram' });
  if (r.ok) return assert.fail(`${typeof input === 'string' ? input : 'message'} was accepted`);
  assert.equal(r.error.code, 'sip.parse');
  assert.match(String(r.error.details['reason']), reason);
  return r.partial === undefined ? { error: r.error } : { error: r.error, partial: r.partial };
}

export function sip(uri: Uri): SipUri {
  assert.equal(uri.kind, 'sip');
  return uri;
}
