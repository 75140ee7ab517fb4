/**
 * Per-UA memory of Digest challenges (RFC 3261 §22.3, RFC 7616 §3.4): the
 * nonce last received for each realm, its nonce-count, and the decision taken
 * when a request that already carried credentials is challenged again —
 * stale=true means "retry once with the new nonce", anything else means the
 * credentials were refused and retrying would only repeat the failure.
 */
import { isLinegateError } from '#shared/errors.ts';
import {
  type ChallengeHeader,
  type CredentialsHeaderName,
  type DigestChallenge,
  answerChallenge,
  chooseChallenges,
} from './client.ts';
import { parseNonceCount } from './digest.ts';
import { paramValue, parseAuthValue } from './params.ts';

export interface ClientCredentials {
  readonly username: string;
  readonly password: string;
}

export interface ClientAuthOptions {
  /** Credentials for a realm; undefined → that challenge cannot be answered. */
  readonly credentials: (realm: string) => ClientCredentials | undefined;
  /** Client-nonce source (injectable for tests); random when absent. */
  readonly cnonce?: (() => string) | undefined;
  /** Hash the username when the server offers userhash=true (RFC 7616 §3.4.4). */
  readonly userhash?: boolean | undefined;
}

/** An Authorization or Proxy-Authorization header field to put on a request. */
export interface AuthHeader {
  readonly name: CredentialsHeaderName;
  readonly value: string;
}

export interface AuthRequest {
  readonly method: string;
  /** Request-URI text. */
  readonly uri: string;
  readonly body?: Buffer | undefined;
}

export type GiveUpReason =
  /** A request with credentials for this realm was challenged again without stale=true. */
  | 'rejected'
  /** The retry made after stale=true was itself answered stale=true. */
  | 'stale-loop'
  /** No credentials are configured for the challenging realm. */
  | 'no-credentials'
  /** No challenge this module can answer (other scheme, unknown algorithm or qop). */
  | 'no-usable-challenge';

export type ChallengeOutcome =
  | { readonly action: 'retry'; readonly headers: readonly AuthHeader[] }
  | {
      readonly action: 'give-up';
      readonly reason: GiveUpReason;
      readonly realm: string | undefined;
    };

export interface ChallengeInput {
  /** Every WWW-Authenticate / Proxy-Authenticate field of the 401/407. */
  readonly challenges: readonly ChallengeHeader[];
  /** The credential headers the challenged request carried ([] when none). */
  readonly sent: readonly AuthHeader[];
  /** The request to re-send (its new CSeq does not enter the digest). */
  readonly request: AuthRequest;
}

interface CacheEntry {
  readonly headerName: CredentialsHeaderName;
  readonly challenge: DigestChallenge;
  /** Uses of this nonce so far; the next use sends nc = uses + 1. */
  uses: number;
  /** The nonce came with stale=true in answer to credentials we had sent. */
  readonly fromStale: boolean;
}

interface SentCredentials {
  readonly key: string;
  readonly nonce: string | undefined;
  readonly nc: number | undefined;
}

const MAX_NONCE_COUNT = 0xffffffff;

function cacheKey(headerName: CredentialsHeaderName, realm: string): string {
  return `${headerName}\n${realm}`;
}

/** Reads realm, nonce and nc back from a credentials value this UA sent. */
function readSent(header: AuthHeader): SentCredentials | undefined {
  try {
    const parsed = parseAuthValue(header.value);
    const realm = paramValue(parsed, 'realm');
    if (realm === undefined) return undefined;
    const nc = paramValue(parsed, 'nc');
    return {
      key: cacheKey(header.name, realm),
      nonce: paramValue(parsed, 'nonce'),
      nc: nc === undefined ? undefined : parseNonceCount(nc),
    };
  } catch (e) {
    if (isLinegateError(e, 'sip.auth')) return undefined;
    throw e;
  }
}

type Step = { ok: true; header: AuthHeader } | { ok: false; reason: GiveUpReason; realm: string };

export class ClientAuthState {
  readonly #options: ClientAuthOptions;
  readonly #cache = new Map<string, CacheEntry>();

  constructor(options: ClientAuthOptions) {
    this.#options = options;
  }

  /** Number of realms with a remembered nonce. */
  get size(): number {
    return this.#cache.size;
  }

  /**
   * Credentials for a new request, reusing each remembered nonce with the
   * next nonce-count (RFC 3261 §22.3 lets a UA reuse credentials for a realm;
   * RFC 7616 §3.4 requires nc to increase). Saves a 401 round trip when the
   * server still accepts the nonce; if not, it answers stale=true.
   */
  authorize(request: AuthRequest): AuthHeader[] {
    const headers: AuthHeader[] = [];
    for (const [key, entry] of this.#cache) {
      const header = this.#reuse(key, entry, request);
      if (header !== undefined) headers.push(header);
    }
    return headers;
  }

  /** Decides what to do with a 401/407 to a request that carried `sent`. */
  onChallenge(input: ChallengeInput): ChallengeOutcome {
    const chosen = chooseChallenges(input.challenges);
    if (chosen.length === 0)
      return { action: 'give-up', reason: 'no-usable-challenge', realm: undefined };
    const sent = new Map<string, SentCredentials>();
    for (const header of input.sent) {
      const credentials = readSent(header);
      if (credentials !== undefined) sent.set(credentials.key, credentials);
    }
    const headers: AuthHeader[] = [];
    const answered = new Set<string>();
    for (const { headerName, challenge } of chosen) {
      const key = cacheKey(headerName, challenge.realm);
      const step = this.#answerNew(key, headerName, challenge, sent.get(key), input.request);
      if (!step.ok) return { action: 'give-up', reason: step.reason, realm: step.realm };
      headers.push(step.header);
      answered.add(key);
    }
    // Realms that accepted our credentials upstream still need them on the
    // retry: a proxy chain re-checks every hop (RFC 3261 §22.3).
    for (const key of sent.keys()) {
      const entry = this.#cache.get(key);
      if (answered.has(key) || entry === undefined) continue;
      const header = this.#reuse(key, entry, input.request);
      if (header !== undefined) headers.push(header);
    }
    return { action: 'retry', headers };
  }

  /** Drops the remembered nonce of one realm, or of all. */
  forget(realm?: string): void {
    if (realm === undefined) {
      this.#cache.clear();
      return;
    }
    for (const [key, entry] of this.#cache) {
      if (entry.challenge.realm === realm) this.#cache.delete(key);
    }
  }

  #answerNew(
    key: string,
    headerName: CredentialsHeaderName,
    challenge: DigestChallenge,
    prior: SentCredentials | undefined,
    request: AuthRequest,
  ): Step {
    const realm = challenge.realm;
    const credentials = this.#options.credentials(realm);
    if (credentials === undefined) return { ok: false, reason: 'no-credentials', realm };
    if (prior !== undefined) {
      // Our credentials for this realm were refused. Only stale=true says the
      // password was right and the nonce merely too old (RFC 7616 §3.3).
      if (!challenge.stale) return { ok: false, reason: 'rejected', realm };
      if (this.#wasStaleRetry(key, prior)) return { ok: false, reason: 'stale-loop', realm };
    }
    const entry: CacheEntry = { headerName, challenge, uses: 0, fromStale: prior !== undefined };
    const header = this.#answer(entry, credentials, request);
    if (header === undefined) return { ok: false, reason: 'no-usable-challenge', realm };
    this.#cache.set(key, entry);
    return { ok: true, header };
  }

  /** True when the refused request was the first use of a nonce obtained from stale=true. */
  #wasStaleRetry(key: string, prior: SentCredentials): boolean {
    const entry = this.#cache.get(key);
    if (entry === undefined || !entry.fromStale || entry.challenge.nonce !== prior.nonce)
      return false;
    return prior.nc !== undefined ? prior.nc === 1 : entry.uses <= 1;
  }

  #reuse(key: string, entry: CacheEntry, request: AuthRequest): AuthHeader | undefined {
    const credentials = this.#options.credentials(entry.challenge.realm);
    if (credentials === undefined || entry.uses >= MAX_NONCE_COUNT) {
      this.#cache.delete(key);
      return undefined;
    }
    return this.#answer(entry, credentials, request);
  }

  /** Answers with the entry's next nonce-count; undefined when the challenge cannot be answered. */
  #answer(
    entry: CacheEntry,
    credentials: ClientCredentials,
    request: AuthRequest,
  ): AuthHeader | undefined {
    try {
      const answer = answerChallenge({
        challenge: entry.challenge,
        method: request.method,
        uri: request.uri,
        username: credentials.username,
        password: credentials.password,
        body: request.body,
        cnonce: this.#options.cnonce?.(),
        nonceCount: entry.uses + 1,
        userhash: this.#options.userhash,
      });
      entry.uses += 1;
      return { name: entry.headerName, value: answer.header };
    } catch (e) {
      if (isLinegateError(e, 'sip.auth')) return undefined;
      throw e;
    }
  }
}
