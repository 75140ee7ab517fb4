/**
 * Username lists of a line entry, written as in the UCServer's "Benutzername(n)"
 * field (seed 004): "123", "100-199", "150;177;200-220". Items are separated by
 * ';' (or ','), a numeric range "a-b" expands to every number from a to b; a
 * range keeps leading zeros when both ends have the same width ("001-010").
 */

/** Above this a line entry is almost certainly a typo (and would flood the PBX). */
export const MAX_LINES_PER_ENTRY = 10_000;

/** RFC 3261 §25.1 user = 1*( unreserved / escaped / user-unreserved ), minus escapes. */
const USER = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/]+$/;
const RANGE = /^(\d+)-(\d+)$/;

export type UsernamesResult = { ok: true; usernames: string[] } | { ok: false; message: string };

export function expandUsernames(spec: string): UsernamesResult {
  const out: string[] = [];
  const items = spec
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) return { ok: false, message: 'no username given' };
  for (const item of items) {
    const range = RANGE.exec(item);
    if (range) {
      const r = expandRange(range[1] ?? '', range[2] ?? '', MAX_LINES_PER_ENTRY - out.length);
      if (!r.ok) return { ok: false, message: `range "${item}": ${r.message}` };
      out.push(...r.usernames);
    } else if (/^\d/.test(item) && item.includes('-')) {
      // Starts like a range but is not one ("1-", "201-1x9", "1-2-3").
      return {
        ok: false,
        message: `malformed range "${item}" (write it as FROM-TO, e.g. 100-199)`,
      };
    } else if (USER.test(item)) {
      out.push(item);
    } else {
      return { ok: false, message: `"${item}" is not a valid SIP username` };
    }
    if (out.length > MAX_LINES_PER_ENTRY) {
      return { ok: false, message: `more than ${MAX_LINES_PER_ENTRY} lines in one entry` };
    }
  }
  const seen = new Set<string>();
  for (const u of out) {
    if (seen.has(u)) return { ok: false, message: `username "${u}" is listed twice` };
    seen.add(u);
  }
  return { ok: true, usernames: out };
}

function expandRange(from: string, to: string, room: number): UsernamesResult {
  const a = Number(from);
  const b = Number(to);
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) {
    return { ok: false, message: 'number too large' };
  }
  if (a > b) return { ok: false, message: 'start is greater than end' };
  if (b - a + 1 > room) return { ok: false, message: `more than ${MAX_LINES_PER_ENTRY} lines` };
  const width = from.length === to.length && from.startsWith('0') ? from.length : 0;
  const usernames: string[] = [];
  for (let n = a; n <= b; n++) usernames.push(String(n).padStart(width, '0'));
  return { ok: true, usernames };
}
