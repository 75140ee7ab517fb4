/**
 * The Digest computation shared by the UAC (client.ts) and UAS (server.ts)
 * sides: algorithms of RFC 7616 §3.2 / RFC 8760 §2, A1/A2/KD of
 * RFC 7616 §3.4.1–3.4.3, and the RFC 2069 form without qop that RFC 3261 §22.4
 * keeps for backwards compatibility.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { LinegateError } from '#shared/errors.ts';

/** Algorithm names as registered by RFC 7616 §6.1 and used in SIP by RFC 8760 §2. */
export const DIGEST_ALGORITHMS = [
  'MD5',
  'MD5-sess',
  'SHA-256',
  'SHA-256-sess',
  'SHA-512-256',
  'SHA-512-256-sess',
] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

/** The hash function behind an algorithm; an HA1 stored for one works for its "-sess" twin. */
export type HashName = 'MD5' | 'SHA-256' | 'SHA-512-256';

export type Qop = 'auth' | 'auth-int';

const NODE_HASH: Record<HashName, string> = {
  MD5: 'md5',
  'SHA-256': 'sha256',
  'SHA-512-256': 'sha512-256',
};

/** Hex length of each hash's output, to validate "response" and stored HA1s. */
const HEX_LENGTH: Record<HashName, number> = { MD5: 32, 'SHA-256': 64, 'SHA-512-256': 64 };

/** Strength order used when a peer offers several challenges (RFC 7616 §3.7). */
const HASH_RANK: Record<HashName, number> = { MD5: 1, 'SHA-256': 2, 'SHA-512-256': 3 };

/**
 * Maps an algorithm token to its canonical name. Absent means MD5
 * (RFC 7616 §3.3, RFC 3261 §25.1); names compare case-insensitively.
 * Returns undefined for algorithms this module does not implement.
 */
export function parseAlgorithm(token: string | undefined): DigestAlgorithm | undefined {
  if (token === undefined) return 'MD5';
  const lower = token.toLowerCase();
  return DIGEST_ALGORITHMS.find((name) => name.toLowerCase() === lower);
}

export function hashOf(algorithm: DigestAlgorithm): HashName {
  return algorithm.endsWith('-sess')
    ? (algorithm.slice(0, -5) as HashName)
    : (algorithm as HashName);
}

export function isSession(algorithm: DigestAlgorithm): boolean {
  return algorithm.endsWith('-sess');
}

export function hexLength(hash: HashName): number {
  return HEX_LENGTH[hash];
}

/** Higher is stronger; a plain variant beats its "-sess" twin (fewer ways to get it wrong). */
export function algorithmRank(algorithm: DigestAlgorithm): number {
  return HASH_RANK[hashOf(algorithm)] * 2 + (isSession(algorithm) ? 0 : 1);
}

/** H(data) as lower-case hex; strings are hashed as UTF-8 (RFC 7616 §3.4.1, §4). */
export function digestHex(hash: HashName, data: string | Buffer): string {
  return createHash(NODE_HASH[hash]).update(data).digest('hex');
}

/** What the verifier or the client knows: the password, or a stored H(username:realm:password). */
export type DigestSecret =
  | { readonly kind: 'password'; readonly password: string }
  | { readonly kind: 'ha1'; readonly ha1: string };

export interface DigestInput {
  readonly algorithm: DigestAlgorithm;
  /** The real username (not the RFC 7616 §3.4.4 userhash). */
  readonly username: string;
  readonly realm: string;
  readonly secret: DigestSecret;
  readonly nonce: string;
  readonly method: string;
  /** The digest-uri exactly as sent in the "uri" parameter. */
  readonly uri: string;
  /** undefined → RFC 2069 form (no cnonce, no nc). */
  readonly qop: Qop | undefined;
  readonly cnonce: string | undefined;
  /** nc-value, 8 hex digits as sent. */
  readonly nc: string | undefined;
  /** Message body for auth-int; absent means empty (RFC 3261 §22.4). */
  readonly body: Buffer | undefined;
}

/**
 * HA1 = H(A1). Plain: A1 = username:realm:password. Session variants
 * (RFC 7616 §3.4.2): A1 = H(username:realm:password):nonce:cnonce.
 */
export function computeHa1(input: DigestInput): string {
  const hash = hashOf(input.algorithm);
  const base =
    input.secret.kind === 'password'
      ? digestHex(hash, `${input.username}:${input.realm}:${input.secret.password}`)
      : input.secret.ha1.toLowerCase();
  if (!isSession(input.algorithm)) return base;
  if (input.cnonce === undefined) {
    // RFC 2617 §3.2.2: cnonce only exists with qop, and -sess needs it.
    throw new LinegateError('sip.auth', `${input.algorithm} needs qop (no cnonce without it)`);
  }
  return digestHex(hash, `${base}:${input.nonce}:${input.cnonce}`);
}

/** HA2 = H(A2); A2 = method:uri, plus :H(body) for auth-int (RFC 7616 §3.4.3). */
function computeHa2(input: DigestInput): string {
  const hash = hashOf(input.algorithm);
  if (input.qop === 'auth-int') {
    const bodyHash = digestHex(hash, input.body ?? Buffer.alloc(0));
    return digestHex(hash, `${input.method}:${input.uri}:${bodyHash}`);
  }
  return digestHex(hash, `${input.method}:${input.uri}`);
}

/**
 * request-digest (RFC 7616 §3.4.1, RFC 3261 §22.4):
 *   with qop:    KD(HA1, nonce:nc:cnonce:qop:HA2)
 *   without qop: KD(HA1, nonce:HA2)            (RFC 2069)
 * where KD(secret, data) = H(secret:data).
 */
export function computeResponse(input: DigestInput): string {
  const hash = hashOf(input.algorithm);
  const ha1 = computeHa1(input);
  const ha2 = computeHa2(input);
  if (input.qop === undefined) return digestHex(hash, `${ha1}:${input.nonce}:${ha2}`);
  if (input.cnonce === undefined || input.nc === undefined) {
    throw new LinegateError('sip.auth', 'qop requires cnonce and nc (RFC 7616 §3.4)');
  }
  return digestHex(hash, `${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`);
}

/** nc-value = 8LHEX (RFC 3261 §25.1); 1 … 2^32-1. */
export function formatNonceCount(count: number): string {
  if (!Number.isInteger(count) || count < 1 || count > 0xffffffff) {
    throw new LinegateError('sip.auth', `nonce count out of range: ${count}`);
  }
  return count.toString(16).padStart(8, '0');
}

/** Parses an nc-value; undefined unless exactly 8 hex digits and non-zero. */
export function parseNonceCount(text: string): number | undefined {
  if (!/^[0-9a-fA-F]{8}$/.test(text)) return undefined;
  const count = Number.parseInt(text, 16);
  return count === 0 ? undefined : count;
}

/**
 * Compares two hex digests without an early exit, so the time taken does not
 * tell an attacker how many leading characters were right. Case-insensitive:
 * the grammar says LHEX (RFC 3261 §25.1) but some peers send upper case.
 */
export function digestsEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'latin1');
  const b = Buffer.from(received.toLowerCase(), 'latin1');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** H(username:realm) sent instead of the username when userhash=true (RFC 7616 §3.4.4). */
export function userHash(algorithm: DigestAlgorithm, username: string, realm: string): string {
  return digestHex(hashOf(algorithm), `${username}:${realm}`);
}
