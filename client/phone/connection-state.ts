/**
 * The connection state the user sees, derived from what the phone knows,
 * and the back-off between registration attempts. Pure.
 */
import type { ConnectionState } from './types.ts';

export interface ConnectionFacts {
  readonly signedIn: boolean;
  /** navigator.onLine. */
  readonly online: boolean;
  /** JsSIP says the REGISTER was accepted and not lost since. */
  readonly registered: boolean;
  /**
   * Since signing in, the phone was registered once, or a connection or
   * registration attempt failed: from then on it is "reconnecting", not
   * "connecting".
   */
  readonly troubled: boolean;
}

export function connectionStateOf(f: ConnectionFacts): ConnectionState {
  if (!f.signedIn) return 'signed-out';
  if (!f.online) return 'offline';
  if (f.registered) return 'connected';
  return f.troubled ? 'reconnecting' : 'connecting';
}

export const RETRY_MIN_MS = 1000;
export const RETRY_MAX_MS = 30_000;

/**
 * Delay before registration attempt `attempt` (1, 2, …): doubling from
 * RETRY_MIN_MS up to RETRY_MAX_MS, with 50–100 % jitter (RFC 5626 §4.5) so
 * a gateway restart does not get every phone back in the same second.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + 0.5 * random()));
}
