/**
 * The caller as the browser shows it (issue #7, seed 004): with a location,
 * internal callers as their extension and others in international form
 * (displayNumber without its spaces, which a SIP URI user cannot hold);
 * otherwise as the PBX sent it.
 */
import { displayNumber } from '#shared/dialing/index.ts';
import type { LineInfo } from '../../lines/manager.ts';
import type { Caller } from './party.ts';

export function shownCaller(caller: Caller, line: Pick<LineInfo, 'location'>): Caller {
  const loc = line.location;
  if (loc === undefined || caller.number === undefined || caller.anonymous) return caller;
  const shown = displayNumber(caller.number, { ...loc }).replace(/ /g, '');
  return shown === '' ? caller : { ...caller, number: shown };
}
