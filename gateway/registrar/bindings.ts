/**
 * Registrations of browser devices (RFC 3261 §10.3). Every binding belongs
 * to the WebSocket flow it arrived on: requests for the user are sent back
 * over that flow, and closing the socket removes the binding (RFC 5626 §5).
 * A device that reconnects keeps its +sip.instance/reg-id, so its new
 * REGISTER replaces the old binding instead of adding a ghost (RFC 5626 §6).
 */
import type { NameAddr } from '../sip/message/types.ts';

export interface Binding {
  readonly username: string;
  /** The Contact as the device sent it (its URI and parameters). */
  readonly contact: NameAddr;
  /** +sip.instance + reg-id (RFC 5626) when present, else the contact URI text. */
  readonly key: string;
  /** The transport flow (WebSocket connection) the REGISTER arrived on. */
  readonly flowId: string;
  /** The digest identity that registered it: the username, or a session's "~<id>". */
  readonly authUser: string;
  readonly callId: string;
  readonly cseq: number;
  /** Absolute expiry, ms on the registrar's clock. */
  readonly expiresAt: number;
}

export type BindingEvent =
  | { type: 'added' | 'refreshed'; binding: Binding }
  | {
      type: 'removed';
      binding: Binding;
      why: 'unregistered' | 'expired' | 'flow-closed' | 'replaced';
    };

export class BindingStore {
  readonly #byUser = new Map<string, Map<string, Binding>>();
  readonly #listeners = new Set<(e: BindingEvent) => void>();
  /** Bindings per flow, so "is this socket authenticated" is O(1) per request. */
  readonly #perFlow = new Map<string, number>();

  onChange(listener: (e: BindingEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Live bindings of a user at `now`, oldest first. */
  lookup(username: string, now: number): Binding[] {
    const map = this.#byUser.get(username);
    if (!map) return [];
    return [...map.values()].filter((b) => b.expiresAt > now);
  }

  get(username: string, key: string): Binding | undefined {
    return this.#byUser.get(username)?.get(key);
  }

  /** Whether any binding lives on this flow (the socket has authenticated). */
  hasFlow(flowId: string): boolean {
    return (this.#perFlow.get(flowId) ?? 0) > 0;
  }

  count(username: string): number {
    return this.#byUser.get(username)?.size ?? 0;
  }

  put(binding: Binding): void {
    let map = this.#byUser.get(binding.username);
    if (!map) {
      map = new Map();
      this.#byUser.set(binding.username, map);
    }
    const old = map.get(binding.key);
    map.set(binding.key, binding);
    if (old) this.#countFlow(old.flowId, -1);
    this.#countFlow(binding.flowId, 1);
    if (old && old.flowId !== binding.flowId)
      this.#emit({ type: 'removed', binding: old, why: 'replaced' });
    this.#emit({ type: old && old.flowId === binding.flowId ? 'refreshed' : 'added', binding });
  }

  remove(username: string, key: string, why: 'unregistered' | 'expired' | 'flow-closed'): void {
    const map = this.#byUser.get(username);
    const b = map?.get(key);
    if (!map || !b) return;
    map.delete(key);
    this.#countFlow(b.flowId, -1);
    if (map.size === 0) this.#byUser.delete(username);
    this.#emit({ type: 'removed', binding: b, why });
  }

  /** The WebSocket closed: every binding that lives on it goes (RFC 5626 §5.3). */
  removeFlow(flowId: string): number {
    return this.#removeWhere((b) => b.flowId === flowId, 'flow-closed');
  }

  /** A browser session was revoked (sign-out): the devices it registered go. */
  removeAuth(authUser: string): number {
    return this.#removeWhere((b) => b.authUser === authUser, 'unregistered');
  }

  /** Drops bindings whose expiry has passed; the registrar calls this periodically. */
  expire(now: number): number {
    return this.#removeWhere((b) => b.expiresAt <= now, 'expired');
  }

  get size(): number {
    let n = 0;
    for (const m of this.#byUser.values()) n += m.size;
    return n;
  }

  #removeWhere(
    pred: (b: Binding) => boolean,
    why: 'expired' | 'flow-closed' | 'unregistered',
  ): number {
    const doomed: Binding[] = [];
    for (const map of this.#byUser.values())
      for (const b of map.values()) if (pred(b)) doomed.push(b);
    for (const b of doomed) this.remove(b.username, b.key, why);
    return doomed.length;
  }

  #countFlow(flowId: string, delta: number): void {
    const n = (this.#perFlow.get(flowId) ?? 0) + delta;
    if (n > 0) this.#perFlow.set(flowId, n);
    else this.#perFlow.delete(flowId);
  }

  #emit(e: BindingEvent): void {
    for (const l of this.#listeners) l(e);
  }
}
