/**
 * UAC side of SIP Digest authentication (RFC 3261 §22.2–22.4, RFC 7616,
 * RFC 8760): read a challenge, pick the best of several, and compute the
 * Authorization / Proxy-Authorization value that answers it.
 */
import { randomBytes } from 'node:crypto';
import { LinegateError, isLinegateError } from '#shared/errors.ts';
import {
  type DigestAlgorithm,
  type Qop,
  algorithmRank,
  computeResponse,
  formatNonceCount,
  parseAlgorithm,
  userHash,
} from './digest.ts';
import {
  type AuthParamInput,
  formatAuthValue,
  paramValue,
  parseAuthValue,
  splitParamList,
} from './params.ts';

export type ChallengeHeaderName = 'WWW-Authenticate' | 'Proxy-Authenticate';
export type CredentialsHeaderName = 'Authorization' | 'Proxy-Authorization';

/** A Digest challenge from one WWW-Authenticate or Proxy-Authenticate value. */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly algorithm: DigestAlgorithm;
  /** The algorithm token as received, echoed back verbatim; undefined when absent. */
  readonly algorithmToken: string | undefined;
  /** Offered qop values, lower-cased; undefined when the parameter is absent (RFC 2069). */
  readonly qop: readonly string[] | undefined;
  readonly opaque: string | undefined;
  /** stale=true: the nonce expired, the credentials were fine (RFC 7616 §3.3). */
  readonly stale: boolean;
  /** The server accepts a hashed username (RFC 7616 §3.4.4). */
  readonly userhash: boolean;
}

function reject(message: string, details: Record<string, unknown> = {}): never {
  throw new LinegateError('sip.auth', message, { details });
}

/** Parses one challenge value; refuses non-Digest schemes and unknown algorithms. */
export function parseDigestChallenge(value: string): DigestChallenge {
  const parsed = parseAuthValue(value);
  if (parsed.scheme.toLowerCase() !== 'digest') {
    reject(`unsupported auth scheme "${parsed.scheme}"`, { reason: 'scheme' });
  }
  const realm = paramValue(parsed, 'realm');
  const nonce = paramValue(parsed, 'nonce');
  if (realm === undefined) reject('challenge without realm', { reason: 'missing-realm' });
  if (nonce === undefined) reject('challenge without nonce', { reason: 'missing-nonce' });
  const algorithmToken = paramValue(parsed, 'algorithm');
  const algorithm = parseAlgorithm(algorithmToken);
  if (algorithm === undefined) {
    reject(`unsupported digest algorithm "${algorithmToken ?? ''}"`, {
      reason: 'unsupported-algorithm',
    });
  }
  const qop = paramValue(parsed, 'qop');
  return {
    realm,
    nonce,
    algorithm,
    algorithmToken,
    qop: qop === undefined ? undefined : splitParamList(qop),
    opaque: paramValue(parsed, 'opaque'),
    stale: paramValue(parsed, 'stale')?.toLowerCase() === 'true',
    userhash: paramValue(parsed, 'userhash')?.toLowerCase() === 'true',
  };
}

/**
 * qop choice (RFC 7616 §3.4): "auth" whenever offered — it needs no body and
 * every PBX verifies it; "auth-int" only when it is the sole option and the
 * caller supplied the body to protect. Absent qop selects the RFC 2069 form.
 */
function chooseQop(
  offered: readonly string[] | undefined,
  body: Buffer | undefined,
): Qop | undefined {
  if (offered === undefined) return undefined;
  if (offered.includes('auth')) return 'auth';
  if (offered.includes('auth-int')) {
    if (body === undefined) reject('challenge offers only qop=auth-int but no body was given');
    return 'auth-int';
  }
  return reject(`no supported qop in "${offered.join(',')}"`, { reason: 'unsupported-qop' });
}

export interface AnswerOptions {
  /** A WWW-Authenticate / Proxy-Authenticate value, or one parsed already. */
  readonly challenge: string | DigestChallenge;
  readonly method: string;
  /** Request-URI text; becomes the "uri" parameter (RFC 3261 §22.4). */
  readonly uri: string;
  readonly username: string;
  readonly password: string;
  /** Message body, needed only for qop=auth-int. */
  readonly body?: Buffer | undefined;
  /** Client nonce; random when absent (injectable for tests). */
  readonly cnonce?: string | undefined;
  /** How many times this nonce has been used, this use included: 1 for a fresh nonce. */
  readonly nonceCount: number;
  /** Send H(username:realm) instead of the username when the server allows it. */
  readonly userhash?: boolean | undefined;
}

export interface DigestAnswer {
  /** The Authorization / Proxy-Authorization header value. */
  readonly header: string;
  readonly algorithm: DigestAlgorithm;
  /** undefined when answered in the RFC 2069 form. */
  readonly qop: Qop | undefined;
  readonly realm: string;
  readonly nonce: string;
}

/** 16 random bytes as hex: enough entropy for chosen-plaintext resistance (RFC 7616 §3.4). */
function newCnonce(): string {
  return randomBytes(16).toString('hex');
}

/** Computes the credentials answering a Digest challenge (RFC 3261 §22.4, RFC 7616 §3.4). */
export function answerChallenge(options: AnswerOptions): DigestAnswer {
  const challenge =
    typeof options.challenge === 'string'
      ? parseDigestChallenge(options.challenge)
      : options.challenge;
  const qop = chooseQop(challenge.qop, options.body);
  const cnonce = qop === undefined ? undefined : (options.cnonce ?? newCnonce());
  const nc = qop === undefined ? undefined : formatNonceCount(options.nonceCount);
  const response = computeResponse({
    algorithm: challenge.algorithm,
    username: options.username,
    realm: challenge.realm,
    secret: { kind: 'password', password: options.password },
    nonce: challenge.nonce,
    method: options.method,
    uri: options.uri,
    qop,
    cnonce,
    nc,
    body: options.body,
  });
  const hashUser = options.userhash === true && challenge.userhash;
  const username = hashUser
    ? userHash(challenge.algorithm, options.username, challenge.realm)
    : options.username;
  const params: AuthParamInput[] = [
    { name: 'username', value: username, quoted: true },
    { name: 'realm', value: challenge.realm, quoted: true },
    { name: 'nonce', value: challenge.nonce, quoted: true },
    { name: 'uri', value: options.uri, quoted: true },
    { name: 'response', value: response, quoted: true },
  ];
  // Echo the server's spelling; omit when it sent none, as RFC 2069 servers expect.
  if (challenge.algorithmToken !== undefined) {
    params.push({ name: 'algorithm', value: challenge.algorithmToken, quoted: false });
  }
  if (qop !== undefined && cnonce !== undefined && nc !== undefined) {
    params.push({ name: 'qop', value: qop, quoted: false });
    params.push({ name: 'nc', value: nc, quoted: false });
    params.push({ name: 'cnonce', value: cnonce, quoted: true });
  }
  // opaque MUST be returned unchanged (RFC 3261 §22.4 item 4, RFC 7616 §3.4).
  if (challenge.opaque !== undefined) {
    params.push({ name: 'opaque', value: challenge.opaque, quoted: true });
  }
  if (hashUser) params.push({ name: 'userhash', value: 'true', quoted: false });
  return {
    header: formatAuthValue('Digest', params),
    algorithm: challenge.algorithm,
    qop,
    realm: challenge.realm,
    nonce: challenge.nonce,
  };
}

/** A challenge header as found in a 401 or 407 response. Names compare case-insensitively. */
export interface ChallengeHeader {
  readonly name: string;
  readonly value: string;
}

/** WWW-Authenticate (401) → Authorization; Proxy-Authenticate (407) → Proxy-Authorization (RFC 3261 §22.2, §22.3). */
export function credentialsHeaderFor(challengeHeader: string): CredentialsHeaderName | undefined {
  switch (challengeHeader.toLowerCase()) {
    case 'www-authenticate':
      return 'Authorization';
    case 'proxy-authenticate':
      return 'Proxy-Authorization';
    default:
      return undefined;
  }
}

export interface ChosenChallenge {
  /** Which header the answer goes in. */
  readonly headerName: CredentialsHeaderName;
  readonly challenge: DigestChallenge;
}

function tryParse(value: string): DigestChallenge | undefined {
  try {
    return parseDigestChallenge(value);
  } catch (e) {
    if (isLinegateError(e, 'sip.auth')) return undefined;
    throw e;
  }
}

/**
 * Picks what to answer among all challenges of a 401/407: one per
 * (header, realm), since each proxy or UAS on the path challenges with its
 * own realm and each needs its own credentials (RFC 3261 §22.3). Within a
 * realm the strongest algorithm wins — SHA-256 over MD5 (RFC 8760 §2.4,
 * RFC 7616 §3.7); ties go to the one listed first, the server's preference.
 * Unparseable values and other schemes are skipped, not fatal.
 */
export function chooseChallenges(headers: readonly ChallengeHeader[]): ChosenChallenge[] {
  const best = new Map<string, ChosenChallenge>();
  for (const header of headers) {
    const headerName = credentialsHeaderFor(header.name);
    if (headerName === undefined) continue;
    const challenge = tryParse(header.value);
    if (challenge === undefined) continue;
    const key = `${headerName}\n${challenge.realm}`;
    const current = best.get(key);
    if (
      current === undefined ||
      algorithmRank(challenge.algorithm) > algorithmRank(current.challenge.algorithm)
    ) {
      best.set(key, { headerName, challenge });
    }
  }
  return [...best.values()];
}
