/**
 * Building messages: responses to a request (RFC 3261 §8.2.6), the default
 * reason phrases (§21 and the extensions in use), and the random tokens a
 * UA generates: branch (§8.1.1.7), tag (§19.3), Call-ID (§8.1.1.4).
 */
import { randomBytes } from 'node:crypto';
import { getHeaders } from './headers.ts';
import { parseNameAddr } from './name-addr.ts';
import { REASON_PHRASES } from './reasons.ts';
import type { HeaderField, SipRequest, SipResponse } from './types.ts';

export { REASON_PHRASES } from './reasons.ts';

/** §8.1.1.7: branches of RFC 3261 transactions start with this magic cookie. */
export const BRANCH_COOKIE = 'z9hG4bK';

export function reasonPhrase(status: number): string {
  return REASON_PHRASES.get(status) ?? REASON_PHRASES.get(Math.floor(status / 100) * 100) ?? '';
}

export interface ResponseOptions {
  /**
   * Tag for the To header field when the request's To has none (§8.2.6.2:
   * every response but 100 carries one). `true` generates a fresh tag.
   * Ignored for 100 Trying and when the To already has a tag.
   */
  toTag?: string | true;
  /** Copy Record-Route, for responses that establish a dialog (§12.1.1). */
  recordRoute?: boolean;
  /** Further header fields, appended in order (Contact, Allow, Supported …). */
  headers?: HeaderField[];
  body?: Buffer;
}

/**
 * A response to `req` per §8.2.6.2: all Via values in order, From, To,
 * Call-ID and CSeq copied; a 100 Trying also copies Timestamp (§8.2.6.1).
 */
export function createResponse(
  req: SipRequest,
  status: number,
  reason?: string,
  opts: ResponseOptions = {},
): SipResponse {
  const copy = (name: string): HeaderField[] => getHeaders(req, name).map((f) => ({ ...f }));
  const headers = [...copy('Via'), ...copy('From'), ...withToTag(copy('To'), status, opts.toTag)];
  headers.push(...copy('Call-ID'), ...copy('CSeq'));
  if (status === 100) headers.push(...copy('Timestamp'));
  if (opts.recordRoute === true) headers.push(...copy('Record-Route'));
  if (opts.headers !== undefined) headers.push(...opts.headers.map((f) => ({ ...f })));
  return {
    kind: 'response',
    status,
    reason: reason ?? reasonPhrase(status),
    headers,
    body: opts.body ?? Buffer.alloc(0),
  };
}

function withToTag(
  to: HeaderField[],
  status: number,
  tag: string | true | undefined,
): HeaderField[] {
  const field = to[0];
  if (field === undefined || tag === undefined || status === 100) return to;
  // The value is appended to, not re-formatted: the rest of To is copied as received.
  if (hasTag(field.value)) return to;
  field.value += ';tag=' + (tag === true ? generateTag() : tag);
  return to;
}

/** Whether a To value has a tag; textual when the value does not parse (a 400's To). */
function hasTag(value: string): boolean {
  try {
    return parseNameAddr(value, { what: 'To' }).params.has('tag');
  } catch {
    return /;\s*tag\s*=/i.test(value);
  }
}

/**
 * Random token characters (base64url is a subset of token, §25.1) from a
 * pool of CSPRNG bytes: one randomBytes call per few hundred tokens instead
 * of one per token, which cost a tenth of a transaction's CPU at high rates.
 */
let pool = Buffer.alloc(0);
let offset = 0;

function random(bytes: number): string {
  if (offset + bytes > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  const s = pool.toString('base64url', offset, offset + bytes);
  offset += bytes;
  return s;
}

/** "z9hG4bK" + 96 random bits (§8.1.1.7: unique across space and time). */
export function generateBranch(): string {
  return BRANCH_COOKIE + random(12);
}

/** 64 random bits; §19.3 asks for at least 32. */
export function generateTag(): string {
  return random(8);
}

/** 128 random bits, optionally "@host" (§8.1.1.4, §20.8). */
export function generateCallId(host?: string): string {
  const id = random(16);
  return host === undefined ? id : `${id}@${host}`;
}
