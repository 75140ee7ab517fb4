/**
 * One row of lg-journal, from the gateway's journal or the device's own
 * history alike: who, which way, when, on which line, how it ended.
 */
import { t, type MessageKey } from '../../i18n/index.ts';
import type { JournalEntry, JournalResult } from '../../phone/types.ts';
import { endReasonKey } from '../../app/end-reason.ts';
import { formatDuration } from '../../app/format.ts';
import { isMissed, type HistoryEntry } from '../../app/history.ts';

export interface JournalRow {
  readonly id: string;
  readonly direction: 'incoming' | 'outgoing';
  /** "" when withheld. */
  readonly number: string;
  readonly name?: string | undefined;
  readonly line?: string | undefined;
  readonly at: number;
  readonly missed: boolean;
  /** The duration of an answered call, else how it ended. */
  readonly outcome: string;
  /** Who of the user's colleagues made or answered it. */
  readonly by?: string | undefined;
}

const RESULT_KEYS: Readonly<Record<Exclude<JournalResult, 'answered'>, MessageKey>> = {
  missed: 'journal.notAnswered',
  declined: 'journal.result.declined',
  busy: 'journal.result.busy',
  cancelled: 'journal.result.cancelled',
  unavailable: 'journal.result.unavailable',
  'not-found': 'journal.result.not-found',
  failed: 'journal.result.failed',
  forwarded: 'journal.result.forwarded',
  interrupted: 'journal.result.interrupted',
};

/** A row of the gateway's journal; `me` is the signed-in username. */
export function gatewayRow(e: JournalEntry, me: string | undefined): JournalRow {
  const duration =
    e.answeredAt !== undefined && e.endedAt !== undefined
      ? formatDuration(e.endedAt - e.answeredAt)
      : undefined;
  let outcome: string;
  if (e.result === undefined) outcome = t('journal.result.ongoing');
  else if (e.result === 'answered') outcome = duration ?? t('journal.result.ongoing');
  else {
    const label =
      e.result === 'forwarded' && e.forwardedTo !== undefined
        ? t('journal.result.forwardedTo', { number: e.forwardedTo })
        : t(RESULT_KEYS[e.result]);
    outcome = duration === undefined ? label : `${duration} · ${label}`;
  }
  return {
    id: e.id,
    direction: e.direction,
    number: e.remoteNumber,
    name: e.remoteName,
    line: e.line,
    at: e.at,
    missed: e.result === 'missed',
    outcome,
    by: e.user !== undefined && e.user !== me ? e.user : undefined,
  };
}

/** A row of this device's own history. */
export function localRow(e: HistoryEntry): JournalRow {
  const missed = isMissed(e);
  const outcome =
    e.answeredAt !== undefined
      ? formatDuration(e.endedAt - e.answeredAt)
      : e.direction === 'outgoing' || !missed
        ? t(endReasonKey(e.reason))
        : t('journal.notAnswered');
  return {
    id: e.id,
    direction: e.direction,
    number: e.number,
    name: e.name,
    line: e.line,
    at: e.startedAt,
    missed,
    outcome,
  };
}
