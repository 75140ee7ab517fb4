/**
 * The device's SIP instance id (RFC 5626 +sip.instance, JsSIP `instance_id`).
 * It is kept in localStorage so that a reconnect, a reload or a restart of
 * the PWA registers as the same device: the gateway then replaces the old
 * binding instead of adding a ghost that rings on a dead socket.
 *
 * Two tabs of one browser are two devices, though: if they shared one id,
 * each REGISTER would replace the other's binding and only the last tab
 * would ring. So a tab claims a numbered slot with a Web Lock, held while it
 * is signed in and released when it signs out or closes; slot k keeps its
 * own stored id. A reloaded tab gets slot 0 back, a second tab slot 1.
 */

export const INSTANCE_KEY_PREFIX = 'linegate.instance.';
/** More tabs than this share the last slot's id (and replace each other's binding). */
export const MAX_SLOTS = 8;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface InstanceClaim {
  /** A UUID, the form JsSIP's instance_id accepts. */
  readonly id: string;
  readonly slot: number;
  /** Gives the slot back (idempotent). */
  release(): void;
}

/** Web Locks as far as this module uses them (navigator.locks). */
export interface Locks {
  request(
    name: string,
    options: { ifAvailable: true },
    callback: (lock: unknown) => Promise<void> | null,
  ): Promise<unknown>;
}

export function newUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Slot `slot`'s stored id, created and stored when missing or malformed. */
export function storedInstanceId(storage: Storage | undefined, slot: number): string {
  const key = INSTANCE_KEY_PREFIX + String(slot);
  try {
    const stored = storage?.getItem(key);
    if (stored && UUID.test(stored)) return stored.toLowerCase();
    const id = newUuid();
    storage?.setItem(key, id);
    return id;
  } catch {
    // Storage refused (private mode, quota): this page gets an id of its own.
    return newUuid();
  }
}

/** Takes `name` if nobody holds it; resolves with its release, or undefined. */
function tryLock(locks: Locks, name: string): Promise<(() => void) | undefined> {
  return new Promise((resolve) => {
    locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (lock === null) {
          resolve(undefined);
          return null;
        }
        return new Promise<void>((release) => resolve(release));
      })
      .catch(() => resolve(undefined));
  });
}

/** Claims the lowest free slot and its id. Without Web Locks (null) every page uses slot 0. */
export async function claimInstanceId(
  storage: Storage | undefined,
  locks: Locks | null = defaultLocks() ?? null,
): Promise<InstanceClaim> {
  if (locks !== null) {
    for (let slot = 0; slot < MAX_SLOTS; slot++) {
      const release = await tryLock(locks, `linegate-instance-${String(slot)}`);
      if (release !== undefined) {
        return { id: storedInstanceId(storage, slot), slot, release: once(release) };
      }
    }
  }
  const slot = locks === null ? 0 : MAX_SLOTS - 1;
  return { id: storedInstanceId(storage, slot), slot, release: () => undefined };
}

function defaultLocks(): Locks | undefined {
  const nav = globalThis.navigator as Navigator | undefined;
  return nav?.locks;
}

function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    f();
  };
}
