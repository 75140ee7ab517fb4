/**
 * One row of lg-journal, from the gateway's journal or the device's own
 * history alike: who, which way, when, on which line, how it ended. The
 * numbers are shown as at the line's location (shown-number.ts); calling
 * back dials the number as it came.
 */
import { t, type MessageKey } from '../../i18n/index.ts';
import type { ApiLine, JournalEntry, JournalResult } from '../../phone/types.ts';
import { endReasonKey } from '../../app/end-reason.ts';
import { formatDuration } from '../../app/format.ts';
import { isMissed, type HistoryEntry } from '../../app/history.ts';
import { shownNumber } from '../../app/shown-number.ts';

export interface JournalRow {
  readonly id: string;
  readonly direction: 'incoming' | 'outgoing';
  /** As it came, for calling back; "" when withheld. */
  readonly number: string;
  /** As shown at the line's location. */
  readonly shown: string;
  readonly name?: string | undefined;
  readonly line?: string | undefined;
  readonly at: number;
  readonly missed: boolean;
  /** The duration of an answered call, else how it ended. */
  readonly outcome: string;
  /** Who of the user's colleagues made, answered or picked it up, in words. */
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
export function gatewayRow(
  e: JournalEntry,
  me: string | undefined,
  lines: readonly ApiLine[],
): JournalRow {
  const shown = (raw: string) => shownNumber(raw, lines, e.line);
  const duration =
    e.answeredAt !== undefined && e.endedAt !== undefined
      ? formatDuration(e.endedAt - e.answeredAt)
      : undefined;
  let outcome: string;
  if (e.result === undefined) outcome = t('journal.result.ongoing');
  else if (e.result === 'answered') outcome = duration ?? t('journal.result.ongoing');
  else {
    const label = e.result === 'forwarded' ? forwardedLabel(e, shown) : t(RESULT_KEYS[e.result]);
    outcome = duration === undefined ? label : `${duration} · ${label}`;
  }
  return {
    id: e.id,
    direction: e.direction,
    number: e.remoteNumber,
    shown: shown(e.remoteNumber),
    name: e.remoteName,
    line: e.line,
    at: e.at,
    missed: e.result === 'missed',
    outcome,
    by: byWhom(e, me),
  };
}

/** "Forwarded to +49 89 1234567 by bob": where to and whose rule, as far as known. */
function forwardedLabel(e: JournalEntry, shown: (raw: string) => string): string {
  const { forwardedTo, forwardedBy } = e;
  if (forwardedTo !== undefined && forwardedBy !== undefined) {
    return t('journal.result.forwardedToBy', { number: shown(forwardedTo), user: forwardedBy });
  }
  if (forwardedTo !== undefined) {
    return t('journal.result.forwardedTo', { number: shown(forwardedTo) });
  }
  if (forwardedBy !== undefined) return t('journal.result.forwardedBy', { user: forwardedBy });
  return t('journal.result.forwarded');
}

/** A call picked up from a colleague's line names who took it, even the user; others only colleagues. */
function byWhom(e: JournalEntry, me: string | undefined): string | undefined {
  if (e.user === undefined) return undefined;
  if (e.pickedUp === true) return t('journal.pickedUpBy', { user: e.user });
  if (e.user === me) return undefined;
  return t(e.direction === 'incoming' ? 'journal.answeredBy' : 'journal.calledBy', {
    user: e.user,
  });
}

/** A row of this device's own history. */
export function localRow(e: HistoryEntry, lines: readonly ApiLine[]): JournalRow {
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
    shown: shownNumber(e.number, lines, e.line),
    name: e.name,
    line: e.line,
    at: e.startedAt,
    missed,
    outcome,
  };
}
