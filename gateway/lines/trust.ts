/**
 * Addresses of the registrars and trusted hosts, resolved and kept fresh.
 * Requests from the PBX side are accepted only from these (toll-fraud
 * protection, issue #4); a registrar's DNS error also explains why its
 * REGISTERs cannot be sent.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Logger } from '../log.ts';
import type { Clock, TimerHandle } from '../sip/transport/clock.ts';

export type Resolve = (host: string) => Promise<string[]>;

/** The OS resolver, as the UDP transport uses it for sending (getaddrinfo). */
export const systemResolve: Resolve = async (host) => {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) !== 0) return [bare];
  const found = await lookup(bare, { all: true, verbatim: true });
  return found.map((a) => a.address);
};

/** "::ffff:10.0.0.1" → "10.0.0.1"; IPv6 lower-cased, without brackets. */
export function normalizeAddress(address: string): string {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

interface Entry {
  addresses: ReadonlySet<string>;
  error: string | undefined;
  pending: Promise<void> | undefined;
}

/** Re-resolve names this often: DNS of a cloud PBX may move. */
const REFRESH_MS = 5 * 60_000;

export class AddressBook {
  readonly #entries = new Map<string, Entry>();
  readonly #resolve: Resolve;
  readonly #clock: Clock;
  readonly #log: Logger;
  #timer: TimerHandle | undefined;

  constructor(resolve: Resolve, clock: Clock, log: Logger) {
    this.#resolve = resolve;
    this.#clock = clock;
    this.#log = log;
    this.#arm();
  }

  /** Makes sure these hosts are (being) resolved; returns when they are. */
  want(hosts: readonly string[]): Promise<void> {
    return Promise.all(
      hosts.map((h) => {
        const e = this.#entries.get(h);
        return e === undefined ? this.#lookup(h) : (e.pending ?? Promise.resolve());
      }),
    ).then(() => undefined);
  }

  /** Drops hosts no longer configured. */
  retain(hosts: ReadonlySet<string>): void {
    for (const h of this.#entries.keys()) if (!hosts.has(h)) this.#entries.delete(h);
  }

  has(host: string, address: string): boolean {
    return this.#entries.get(host)?.addresses.has(normalizeAddress(address)) ?? false;
  }

  /** The last resolution error of a host ("cannot resolve …"), if its last lookup failed. */
  error(host: string): string | undefined {
    return this.#entries.get(host)?.error;
  }

  /** Resolves every known host again. */
  refresh(): Promise<void> {
    return Promise.all([...this.#entries.keys()].map((h) => this.#lookup(h))).then(() => undefined);
  }

  close(): void {
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    this.#timer = this.#clock.setTimer(REFRESH_MS, () => {
      void this.refresh();
      this.#arm();
    });
  }

  #lookup(host: string): Promise<void> {
    const entry: Entry = this.#entries.get(host) ?? {
      addresses: new Set(),
      error: undefined,
      pending: undefined,
    };
    this.#entries.set(host, entry);
    const pending: Promise<void> = this.#resolve(host).then(
      (list) => {
        entry.addresses = new Set(list.map(normalizeAddress));
        entry.error = undefined;
      },
      (err: unknown) => {
        // Keep the last good addresses: a DNS hiccup must not lock the PBX out.
        const code = err instanceof Error && 'code' in err ? String(err.code) : String(err);
        entry.error = `cannot resolve "${host}": ${code}`;
        this.#log.warn({ host, err: code }, 'registrar or trusted host does not resolve');
      },
    );
    const settled: Promise<void> = pending.finally(() => {
      if (entry.pending === settled) entry.pending = undefined;
    });
    entry.pending = settled;
    return settled;
  }
}
