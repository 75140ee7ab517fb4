/**
 * A line's registration as operators see it (GET /api/lines, metrics, logs):
 * the machine's state (machine.ts) in wall-clock time, with failures split
 * into "failed" (an administrator must act: wrong password, account
 * refused) and "retrying" (transient: timeouts, 5xx), both with the time of
 * the next attempt.
 */
import type { FailureReason, LineState } from './machine.ts';

export const LINE_STATES = [
  'unregistered',
  'registering',
  'registered',
  'retrying',
  'failed',
  'unregistering',
  'stopped',
] as const;

export type LineStatusState = (typeof LINE_STATES)[number];

export interface LineStatus {
  /** "<group>/<username>" */
  readonly id: string;
  readonly username: string;
  readonly state: LineStatusState;
  /** ISO time of the last state change. */
  readonly since: string;
  /** registered: when the PBX forgets the binding unless refreshed. */
  readonly until?: string;
  /** registered: when the refresh goes out. */
  readonly refreshAt?: string;
  /** Last successful REGISTER (ISO). */
  readonly registeredAt?: string;
  /** retrying / failed: when the next attempt goes out. */
  readonly retryAt?: string;
  /** retrying / failed: why, in words. */
  readonly reason?: string;
  /** retrying / failed: consecutive failures. */
  readonly failures?: number;
  /** Contacts the PBX lists for this account besides ours: the account is used elsewhere too. */
  readonly foreignContacts: readonly string[];
  readonly numbers: readonly string[];
}

export type StateCounts = Record<LineStatusState, number>;

export interface GroupStatus {
  readonly id: string;
  readonly name?: string;
  /** "host:port" */
  readonly registrar: string;
  readonly counts: StateCounts & { readonly total: number };
  readonly lines: readonly LineStatus[];
}

export interface LinesStatus {
  readonly groups: readonly GroupStatus[];
  readonly counts: StateCounts & { readonly total: number };
}

/** Failures that retrying alone will not cure (RFC 3261 §21.4: the request must change). */
export function isPermanent(reason: FailureReason): boolean {
  switch (reason.kind) {
    case 'auth':
      return true;
    case 'rejected':
      // 408, 423 (handled before here), 429 and 480 are about timing; 5xx may pass.
      return (
        (reason.status >= 400 &&
          reason.status < 500 &&
          ![408, 423, 429, 480].includes(reason.status)) ||
        reason.status >= 600
      );
    case 'timeout':
    case 'transport':
    case 'bad-response':
      return false;
  }
}

export function describeFailure(reason: FailureReason): string {
  switch (reason.kind) {
    case 'timeout':
      return 'no answer from the registrar (timeout)';
    case 'transport':
      return `cannot reach the registrar: ${reason.detail}`;
    case 'auth':
      return reason.detail;
    case 'rejected':
      return `registrar answered ${reason.status} ${reason.reason}`;
    case 'bad-response':
      return `unusable answer from the registrar: ${reason.detail}`;
  }
}

/** A bounded label for metrics: the failure kind, or the SIP status that refused us. */
export function failureLabel(reason: FailureReason): string {
  return reason.kind === 'rejected' ? String(reason.status) : reason.kind;
}

export function statusState(state: LineState): LineStatusState {
  switch (state.kind) {
    case 'retrying':
      return isPermanent(state.reason) ? 'failed' : 'retrying';
    case 'unregistered':
    case 'registering':
    case 'registered':
    case 'unregistering':
    case 'stopped':
      return state.kind;
  }
}

export function emptyCounts(): StateCounts & { total: number } {
  return {
    unregistered: 0,
    registering: 0,
    registered: 0,
    retrying: 0,
    failed: 0,
    unregistering: 0,
    stopped: 0,
    total: 0,
  };
}

export function countStates(lines: readonly { readonly state: LineStatusState }[]): StateCounts & {
  total: number;
} {
  const counts = emptyCounts();
  for (const l of lines) {
    counts[l.state] += 1;
    counts.total += 1;
  }
  return counts;
}
