/**
 * Server nonces, after the construction RFC 7616 §3.3 (and RFC 2617 §3.2.1)
 * suggests, "time-stamp H(time-stamp ":" ETag ":" secret-data)": each nonce carries
 * its issue time and an HMAC under the server secret, so any nonce we issued
 * can be checked without remembering it. Only nonces that have been used
 * successfully are remembered, in a bounded LRU map, to enforce an increasing
 * nonce-count (replay protection: RFC 7616 §3.4 on nc, §5 on replay attacks).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { LinegateError } from '#shared/errors.ts';

const TIME_BYTES = 6; // milliseconds since 1970 fit in 48 bits until the year 10889
const RANDOM_BYTES = 10;
const MAC_BYTES = 16; // HMAC-SHA-256 truncated to 128 bits
const NONCE_BYTES = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;
/** base64url of 32 bytes, unpadded: 43 characters from [A-Za-z0-9_-]. */
const NONCE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type NonceCheck =
  | { readonly status: 'valid'; readonly issuedAt: number }
  | { readonly status: 'expired'; readonly issuedAt: number }
  /** Not issued by this server with this secret (forged, garbled, or from before a restart). */
  | { readonly status: 'invalid' };

export interface NonceMinterOptions {
  readonly realm: string;
  readonly secret: Buffer;
  readonly ttlMs: number;
  readonly now: () => number;
  readonly random: (n: number) => Buffer;
}

export class NonceMinter {
  readonly #options: NonceMinterOptions;

  constructor(options: NonceMinterOptions) {
    if (options.secret.length < 16) {
      throw new LinegateError('sip.auth', 'digest nonce secret must be at least 16 bytes');
    }
    this.#options = options;
  }

  /** A fresh nonce, base64url so it is safe in any quoted-string or token. */
  mint(): string {
    const body = Buffer.alloc(TIME_BYTES + RANDOM_BYTES);
    body.writeUIntBE(this.#clock(), 0, TIME_BYTES);
    const random = this.#options.random(RANDOM_BYTES);
    if (random.length !== RANDOM_BYTES) {
      throw new LinegateError(
        'sip.auth',
        `random(${RANDOM_BYTES}) returned ${random.length} bytes`,
      );
    }
    random.copy(body, TIME_BYTES);
    return Buffer.concat([body, this.#mac(body)]).toString('base64url');
  }

  check(nonce: string): NonceCheck {
    if (!NONCE_PATTERN.test(nonce)) return { status: 'invalid' };
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== NONCE_BYTES) return { status: 'invalid' };
    const body = raw.subarray(0, TIME_BYTES + RANDOM_BYTES);
    if (!timingSafeEqual(raw.subarray(TIME_BYTES + RANDOM_BYTES), this.#mac(body))) {
      return { status: 'invalid' };
    }
    const issuedAt = body.readUIntBE(0, TIME_BYTES);
    const now = this.#clock();
    // A nonce from the future means the clock went back; treat it as not ours.
    if (issuedAt > now) return { status: 'invalid' };
    return this.isExpired(issuedAt, now)
      ? { status: 'expired', issuedAt }
      : { status: 'valid', issuedAt };
  }

  isExpired(issuedAt: number, now: number): boolean {
    return now - issuedAt >= this.#options.ttlMs;
  }

  #clock(): number {
    const now = Math.floor(this.#options.now());
    if (!Number.isSafeInteger(now) || now < 0 || now >= 2 ** (8 * TIME_BYTES)) {
      throw new LinegateError('sip.auth', `clock returned an unusable time: ${now}`);
    }
    return now;
  }

  /** The realm is bound in, so a nonce of one realm is worthless in another sharing the secret. */
  #mac(body: Buffer): Buffer {
    return createHmac('sha256', this.#options.secret)
      .update(`linegate digest nonce\0${this.#options.realm}\0`)
      .update(body)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}

export type NonceUse = 'ok' | 'replay' | 'evicted';

interface TrackedNonce {
  readonly issuedAt: number;
  readonly nc: number;
}

/**
 * Highest nonce-count seen per live nonce, least recently used first (Map
 * keeps insertion order; a use re-inserts). When full, the oldest entry goes
 * and `evictedUpTo` remembers its issue time: a nonce issued no later than
 * that and not in the map may have been evicted, so its count can no longer
 * be checked and it is answered as stale instead of being trusted.
 */
export class NonceTracker {
  readonly #capacity: number;
  readonly #entries = new Map<string, TrackedNonce>();
  #evictedUpTo = -1;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new LinegateError('sip.auth', `nonce tracker capacity must be a positive integer`);
    }
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Records a use of `nonce` with count `nc`. `isExpired` drops dead entries
   * from the old end first, so expired nonces never hold capacity for long.
   */
  use(
    nonce: string,
    issuedAt: number,
    nc: number,
    isExpired: (issuedAt: number) => boolean,
  ): NonceUse {
    this.#sweep(isExpired);
    const known = this.#entries.get(nonce);
    if (known !== undefined) {
      if (nc <= known.nc) return 'replay';
      this.#entries.delete(nonce);
    } else if (issuedAt <= this.#evictedUpTo) {
      return 'evicted';
    }
    this.#entries.set(nonce, { issuedAt, nc });
    if (this.#entries.size > this.#capacity) this.#evictOldest(isExpired);
    return 'ok';
  }

  #sweep(isExpired: (issuedAt: number) => boolean): void {
    for (const [nonce, entry] of this.#entries) {
      if (!isExpired(entry.issuedAt)) return;
      this.#entries.delete(nonce);
    }
  }

  #evictOldest(isExpired: (issuedAt: number) => boolean): void {
    const oldest = this.#entries.entries().next();
    if (oldest.done === true) return;
    const [nonce, entry] = oldest.value;
    this.#entries.delete(nonce);
    // An expired nonce is refused by its timestamp anyway; only live ones need the mark.
    if (!isExpired(entry.issuedAt)) this.#evictedUpTo = Math.max(this.#evictedUpTo, entry.issuedAt);
  }
}
