/**
 * UAS side of SIP Digest authentication (RFC 3261 §22.4, RFC 7616 §3.3–3.5,
 * RFC 8760): challenges for browsers registering with the gateway and
 * verification of their Authorization values. Nonces are self-validating
 * (nonce.ts); only successfully used ones are tracked, for replay protection.
 */
import { LinegateError, isLinegateError } from '#shared/errors.ts';
import {
  type DigestAlgorithm,
  type DigestSecret,
  type HashName,
  DIGEST_ALGORITHMS,
  computeResponse,
  digestsEqual,
  hashOf,
  hexLength,
  parseAlgorithm,
  parseNonceCount,
} from './digest.ts';
import { NonceMinter, NonceTracker } from './nonce.ts';
import { type ParsedAuthValue, formatAuthValue, paramValue, parseAuthValue } from './params.ts';

/** A password, an HA1 = H(username:realm:password) for the requested hash, or unknown user. */
export type PasswordLookupResult = string | { readonly ha1: string } | undefined;
/**
 * `hash` says which function an HA1 must have been computed with; a lookup
 * that stores only MD5 HA1s should return undefined (or a password) for others.
 */
export type PasswordLookup = (
  username: string,
  realm: string,
  hash: HashName,
) => PasswordLookupResult;

export interface DigestServerOptions {
  readonly realm: string;
  /** Clock in milliseconds (injected so tests control expiry). */
  readonly now: () => number;
  /** Random bytes (injected); used for nonces and, when `secret` is absent, the secret. */
  readonly random: (n: number) => Buffer;
  /** HMAC key for nonces; share it between processes that must accept each other's nonces. */
  readonly secret?: Buffer | undefined;
  readonly nonceTtlMs?: number | undefined;
  /** Offered in this order except that MD5 always comes last (see orderAlgorithms()). */
  readonly algorithms?: readonly DigestAlgorithm[] | undefined;
  /** Bound on nonces remembered for replay protection. */
  readonly maxTrackedNonces?: number | undefined;
}

export interface VerifyOptions {
  /** The Authorization value. */
  readonly header: string;
  readonly method: string;
  readonly lookup: PasswordLookup;
  /**
   * Request-URI text; when given, the "uri" parameter must equal it exactly
   * (RFC 7616 §3.4.6, RFC 2617 §3.2.2.5; the caller should answer a mismatch
   * with 400 rather than 401).
   */
  readonly requestUri?: string | undefined;
}

export type VerifyFailureReason =
  | 'malformed'
  | 'unknown-user'
  | 'wrong-realm'
  | 'bad-response'
  | 'stale'
  | 'replay'
  | 'unsupported-algorithm'
  | 'uri-mismatch';

export type VerifyResult =
  | { readonly ok: true; readonly username: string; readonly algorithm: DigestAlgorithm }
  | {
      readonly ok: false;
      readonly reason: VerifyFailureReason;
      /** Re-challenge with challenge({ stale: true }): the password was right. */
      readonly stale: boolean;
      /** The claimed username, for logs; undefined when unreadable. */
      readonly username: string | undefined;
    };

export interface DigestServer {
  readonly realm: string;
  /** One WWW-Authenticate (or Proxy-Authenticate) value per algorithm, MD5 last. */
  challenge(options?: { readonly stale?: boolean | undefined }): string[];
  verify(options: VerifyOptions): VerifyResult;
}

/** What a well-formed Authorization value says (RFC 3261 §25.1 digest-response). */
interface Credentials {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  readonly algorithm: DigestAlgorithm;
  readonly cnonce: string;
  readonly ncText: string;
  readonly nc: number;
}

type Read =
  | { readonly ok: true; readonly credentials: Credentials }
  | {
      readonly ok: false;
      readonly reason: VerifyFailureReason;
      readonly username: string | undefined;
    };

const DEFAULT_TTL_MS = 300_000;
const DEFAULT_MAX_TRACKED = 10_000;

function failure(reason: VerifyFailureReason, username: string | undefined): VerifyResult {
  return { ok: false, reason, stale: reason === 'stale', username };
}

function parseOrUndefined(header: string): ParsedAuthValue | undefined {
  try {
    return parseAuthValue(header);
  } catch (e) {
    if (isLinegateError(e, 'sip.auth')) return undefined;
    throw e;
  }
}

/**
 * Only qop=auth is offered, and RFC 7616 §3.4 requires the client to pick an
 * offered qop, so answers without qop (RFC 2069, no replay protection) or
 * with auth-int are refused. Usernames hashed with userhash are not offered
 * either.
 */
function readCredentials(header: string, accepted: readonly DigestAlgorithm[]): Read {
  const parsed = parseOrUndefined(header);
  if (parsed === undefined || parsed.scheme.toLowerCase() !== 'digest') {
    return { ok: false, reason: 'malformed', username: undefined };
  }
  const get = (name: string): string | undefined => paramValue(parsed, name);
  const username = get('username');
  const malformed: Read = { ok: false, reason: 'malformed', username };
  const [realm, nonce, uri, response, qop, cnonce, ncText] = [
    get('realm'),
    get('nonce'),
    get('uri'),
    get('response'),
    get('qop'),
    get('cnonce'),
    get('nc'),
  ];
  if (
    username === undefined ||
    realm === undefined ||
    nonce === undefined ||
    uri === undefined ||
    response === undefined ||
    cnonce === undefined ||
    ncText === undefined
  ) {
    return malformed;
  }
  if (qop?.toLowerCase() !== 'auth' || get('userhash')?.toLowerCase() === 'true') return malformed;
  const algorithm = parseAlgorithm(get('algorithm'));
  if (algorithm === undefined || !accepted.includes(algorithm)) {
    return { ok: false, reason: 'unsupported-algorithm', username };
  }
  const nc = parseNonceCount(ncText);
  const hexPattern = new RegExp(`^[0-9a-fA-F]{${hexLength(hashOf(algorithm))}}$`);
  if (nc === undefined || !hexPattern.test(response)) return malformed;
  return {
    ok: true,
    credentials: { username, realm, nonce, uri, response, algorithm, cnonce, ncText, nc },
  };
}

/** Turns a lookup result into a secret usable for `hash`, or a failure reason. */
function toSecret(
  found: PasswordLookupResult,
  hash: HashName,
): DigestSecret | 'unknown-user' | 'unsupported-algorithm' {
  if (found === undefined) return 'unknown-user';
  if (typeof found === 'string') return { kind: 'password', password: found };
  // An HA1 of another hash cannot verify this answer; the length tells MD5 apart.
  const pattern = new RegExp(`^[0-9a-fA-F]{${hexLength(hash)}}$`);
  return pattern.test(found.ha1) ? { kind: 'ha1', ha1: found.ha1 } : 'unsupported-algorithm';
}

/**
 * RFC 8760 §2.4: challenges in order of preference, strongest first, so MD5
 * goes last. That is also what JsSIP (3.x) needs: its message parser keeps
 * only the LAST WWW-Authenticate field (Parser.js stores it with setHeader)
 * and it answers only MD5, so an MD5 challenge anywhere but last locks every
 * JsSIP client, our own PWA included, out.
 */
function orderAlgorithms(algorithms: readonly DigestAlgorithm[]): DigestAlgorithm[] {
  const unique = [...new Set(algorithms)];
  return [...unique.filter((a) => a !== 'MD5'), ...unique.filter((a) => a === 'MD5')];
}

function validateOptions(
  options: DigestServerOptions,
  ttl: number,
  algorithms: readonly DigestAlgorithm[],
): void {
  const bad = (message: string): never => {
    throw new LinegateError('sip.auth', `digest server: ${message}`);
  };
  if (options.realm.length === 0) bad('realm must not be empty');
  if (!Number.isFinite(ttl) || ttl <= 0) bad('nonceTtlMs must be a positive number');
  if (algorithms.length === 0) bad('at least one algorithm is needed');
  for (const a of algorithms) {
    if (!DIGEST_ALGORITHMS.includes(a)) bad(`unknown algorithm ${JSON.stringify(a)}`);
  }
  // Fail at startup, not on the first 401, if the realm cannot be quoted.
  formatAuthValue('Digest', [{ name: 'realm', value: options.realm, quoted: true }]);
}

export function createDigestServer(options: DigestServerOptions): DigestServer {
  const ttl = options.nonceTtlMs ?? DEFAULT_TTL_MS;
  const algorithms = orderAlgorithms(options.algorithms ?? ['MD5', 'SHA-256']);
  validateOptions(options, ttl, algorithms);
  const realm = options.realm;
  const minter = new NonceMinter({
    realm,
    secret: options.secret ?? options.random(32),
    ttlMs: ttl,
    now: options.now,
    random: options.random,
  });
  const tracker = new NonceTracker(options.maxTrackedNonces ?? DEFAULT_MAX_TRACKED);

  function challenge(opts: { readonly stale?: boolean | undefined } = {}): string[] {
    // One nonce for all algorithms of a 401: whichever the client picks, one tracker entry.
    const nonce = minter.mint();
    return algorithms.map((algorithm) =>
      formatAuthValue('Digest', [
        { name: 'realm', value: realm, quoted: true },
        { name: 'nonce', value: nonce, quoted: true },
        { name: 'algorithm', value: algorithm, quoted: false },
        { name: 'qop', value: 'auth', quoted: true },
        ...(opts.stale === true ? [{ name: 'stale', value: 'true', quoted: false }] : []),
      ]),
    );
  }

  /** Nonce freshness and nc ordering, checked only once the digest proved the password. */
  function checkNonce(credentials: Credentials): VerifyResult {
    const { username, nonce, nc, algorithm } = credentials;
    // RFC 7616 §3.3: stale=true when the nonce is invalid but the digest valid,
    // so the client retries without asking the user again. That covers nonces
    // signed with a previous secret (a restart) as well as expired ones.
    const check = minter.check(nonce);
    if (check.status !== 'valid') return failure('stale', username);
    const isExpired = (issuedAt: number): boolean => minter.isExpired(issuedAt, options.now());
    switch (tracker.use(nonce, check.issuedAt, nc, isExpired)) {
      case 'ok':
        return { ok: true, username, algorithm };
      case 'replay':
        return failure('replay', username);
      case 'evicted':
        return failure('stale', username);
    }
  }

  function verify(opts: VerifyOptions): VerifyResult {
    const read = readCredentials(opts.header, algorithms);
    if (!read.ok) return failure(read.reason, read.username);
    const credentials = read.credentials;
    const { username, algorithm } = credentials;
    if (credentials.realm !== realm) return failure('wrong-realm', username);
    // The digest-uri must name the request's target, or a digest captured for
    // one request could be replayed against another (RFC 7616 §3.4.6).
    if (opts.requestUri !== undefined && credentials.uri !== opts.requestUri) {
      return failure('uri-mismatch', username);
    }
    const hash = hashOf(algorithm);
    const secret = toSecret(opts.lookup(username, realm, hash), hash);
    if (typeof secret === 'string') return failure(secret, username);
    const expected = computeResponse({
      algorithm,
      username,
      realm,
      secret,
      nonce: credentials.nonce,
      method: opts.method,
      uri: credentials.uri,
      qop: 'auth',
      cnonce: credentials.cnonce,
      nc: credentials.ncText,
      body: undefined,
    });
    if (!digestsEqual(expected, credentials.response)) return failure('bad-response', username);
    return checkNonce(credentials);
  }

  return { realm, challenge, verify };
}
