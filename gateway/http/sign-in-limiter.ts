/**
 * Failed sign-ins per client address (password guessing, OWASP ASVS 2.2.1):
 * up to FREE failures in a WINDOW pass; after that the address waits, the
 * wait doubling with every further failure up to MAX_WAIT. A success
 * clears the address. Memory is bounded: at most MAX_ADDRESSES are
 * remembered, the oldest forgotten first.
 */
const FREE = 5;
const WINDOW_MS = 10 * 60_000;
const FIRST_WAIT_MS = 30_000;
const MAX_WAIT_MS = 15 * 60_000;
const MAX_ADDRESSES = 10_000;

interface Entry {
  failures: number;
  firstAt: number;
  blockedUntil: number;
}

export class SignInLimiter {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly now: () => number) {}

  /** ms this address must still wait (0: it may try). */
  blockedFor(address: string): number {
    const e = this.#entries.get(address);
    return e === undefined ? 0 : Math.max(0, e.blockedUntil - this.now());
  }

  failed(address: string): void {
    const now = this.now();
    let e = this.#entries.get(address);
    if (e === undefined || now - e.firstAt > WINDOW_MS) {
      e = { failures: 0, firstAt: now, blockedUntil: 0 };
      this.#entries.delete(address);
      this.#entries.set(address, e);
      this.#bound();
    }
    e.failures++;
    if (e.failures > FREE) {
      const wait = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (e.failures - FREE - 1));
      e.blockedUntil = now + wait;
    }
  }

  succeeded(address: string): void {
    this.#entries.delete(address);
  }

  #bound(): void {
    while (this.#entries.size > MAX_ADDRESSES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) return;
      this.#entries.delete(oldest);
    }
  }
}
