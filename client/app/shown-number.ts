/**
 * Numbers of a line's calls as people read them at the line's location
 * (ApiLine.location, seed 004), with displayNumber() from #shared/dialing:
 * extensions short, everything else international, grouped in the own area
 * ("+49 89 1234567"). Without a location — and for what is no number at
 * all, like a SIP user name — the number shows as it came. Only for
 * showing: calling back and redial dial the number as it came.
 */
import { displayNumber } from '#shared/dialing/display.ts';
import type { ApiLine, Party } from '../phone/types.ts';

export function shownNumber(
  raw: string,
  lines: readonly ApiLine[],
  lineId: string | undefined,
): string {
  const location = lines.find((l) => l.id === lineId)?.location;
  if (raw === '' || location === undefined) return raw;
  return displayNumber(raw, location) || raw;
}

/** The other side of a call with its number as shown on the call's line. */
export function shownParty(
  party: Party,
  lines: readonly ApiLine[],
  lineId: string | undefined,
): Party {
  const number = shownNumber(party.number, lines, lineId);
  return number === party.number ? party : { ...party, number };
}
