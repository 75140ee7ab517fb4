/**
 * The first redirection of a forwarded call, for the browser to show "for
 * <original number>": from Diversion (RFC 5806) when present, else from
 * History-Info (RFC 7044, with RFC 4458 cause parameters). Entries that do
 * not parse are skipped; a call is never refused over them.
 */
import { parseParams, splitList, unquote, type HasHeaders } from '../../sip/message/headers.ts';
import type { NameAddr, Uri } from '../../sip/message/types.ts';
import { cleanText, nameAddrs, numberOfUri, safely, uriParam } from './display.ts';

export interface Diversion {
  /** The number called before the first redirection. */
  readonly originalNumber: string;
  /** 'unconditional', 'user-busy', 'no-answer' … (RFC 5806 §4), or a SIP status code. */
  readonly reason?: string;
  /** How many redirections happened (at least 1). */
  readonly count: number;
}

/** Undefined when the call was not forwarded (or nothing about it parses). */
export function diversionOf(invite: HasHeaders): Diversion | undefined {
  return fromDiversion(invite) ?? fromHistoryInfo(invite);
}

/**
 * RFC 5806: each redirecting server adds its Diversion above the others, so
 * the last entry is the first redirection: it names the number originally
 * called and the first reason. Each entry's counter (default 1) says how
 * many redirections it stands for. An entry without a usable number is
 * passed over for the one before it.
 */
function fromDiversion(msg: HasHeaders): Diversion | undefined {
  const entries = nameAddrs(msg, 'Diversion');
  let count = 0;
  for (const e of entries) count += counterOf(e.params.get('counter'));
  for (const e of entries.reverse()) {
    const originalNumber = numberOfUri(e.uri);
    if (originalNumber === undefined) continue;
    const raw = e.params.get('reason');
    // diversion-reason is a token or a quoted-string (RFC 5806 §4); tokens are case-insensitive.
    const reason = cleanText(raw == null ? undefined : unquote(raw), 48)?.toLowerCase();
    return { originalNumber, count, ...(reason === undefined ? {} : { reason }) };
  }
  return undefined;
}

/** counter = 1*2DIGIT (RFC 5806 §4); anything else, 0 included, counts as one. */
function counterOf(raw: string | null | undefined): number {
  const n = raw != null && /^[0-9]{1,2}$/.test(raw) ? Number(raw) : 0;
  return n > 0 ? n : 1;
}

interface HiEntry {
  readonly na: NameAddr;
  readonly index: readonly number[] | undefined;
}

/**
 * RFC 7044: the entry with the lowest index ("1") is the original target.
 * Later entries are retargets; a redirection is one tagged "mp" (§9: the
 * target was mapped to another user), one whose URI has an RFC 4458 cause, or an
 * untagged one (RFC 4244 servers tag nothing) whose number differs from
 * the original. "rc" (the registered contact) and "np" (target unchanged)
 * entries are no forwarding.
 *
 * The reason: the RFC 4458 cause of the first redirection's URI, else the
 * SIP cause of the Reason header escaped in the URI of the entry it came
 * from ("mp" names it; else the entry before it): the response that ended
 * the request to that target (RFC 7044 §4).
 */
function fromHistoryInfo(msg: HasHeaders): Diversion | undefined {
  const entries: HiEntry[] = nameAddrs(msg, 'History-Info').map((na) => ({
    na,
    index: indexOf(na.params.get('index')),
  }));
  // By index when every entry has a valid one (the received order otherwise).
  if (entries.every((e) => e.index !== undefined)) {
    entries.sort((a, b) => compareIndex(a.index ?? [], b.index ?? []));
  }
  const [original, ...rest] = entries;
  if (original === undefined) return undefined;
  const originalNumber = numberOfUri(original.na.uri);
  if (originalNumber === undefined) return undefined;
  let count = 0;
  let reason: string | undefined;
  let previous = original;
  for (const e of rest) {
    if (isRedirection(e.na, originalNumber)) {
      if (count === 0) {
        const source = sourceOf(e, entries) ?? previous;
        reason = causeReason(uriParam(e.na.uri, 'cause') ?? reasonCause(source));
      }
      count++;
    }
    previous = e;
  }
  if (count === 0) return undefined;
  return { originalNumber, count, ...(reason === undefined ? {} : { reason }) };
}

/** The entry an "mp" entry was mapped from: its value is that entry's index (RFC 7044 §9). */
function sourceOf(entry: HiEntry, entries: readonly HiEntry[]): HiEntry | undefined {
  const mp = entry.na.params.get('mp');
  return mp == null ? undefined : entries.find((e) => e.na.params.get('index') === mp);
}

function isRedirection(na: NameAddr, originalNumber: string): boolean {
  if (na.params.has('mp') || uriParam(na.uri, 'cause') !== undefined) return true;
  if (na.params.has('rc') || na.params.has('np')) return false;
  const n = numberOfUri(na.uri);
  return n !== undefined && n !== originalNumber;
}

/** index = 1*DIGIT *("." 1*DIGIT) (RFC 7044 §9); bounded so a hostile one stays cheap. */
function indexOf(raw: string | null | undefined): number[] | undefined {
  if (raw == null || raw.length > 64 || !/^[0-9]+(\.[0-9]+)*$/.test(raw)) return undefined;
  return raw.split('.').map(Number);
}

/** "1" < "1.1" < "1.1.2" < "1.2" < "2". */
function compareIndex(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** The cause of a "Reason: SIP ;cause=302 ;text=…" escaped in the entry's URI (RFC 3326 §2). */
function reasonCause(entry: HiEntry): string | undefined {
  const uri: Uri = entry.na.uri;
  if (uri.kind !== 'sip') return undefined;
  for (const [name, value] of uri.headers) {
    if (name.toLowerCase() !== 'reason') continue;
    // Several reasons may be listed (SIP and Q.850, RFC 3326 §2); only SIP codes are SIP causes.
    for (const reason of splitList(value, false)) {
      const semi = reason.indexOf(';');
      if (semi < 0 || reason.slice(0, semi).trim().toLowerCase() !== 'sip') continue;
      const params = new Map<string, string | null>();
      if (safely(() => parseParams(reason, semi, params, 'Reason')) === undefined) continue;
      const cause = params.get('cause');
      if (typeof cause === 'string') return cause;
    }
  }
  return undefined;
}

/** RFC 4458 §3's redirecting reasons as SIP codes, in RFC 5806's vocabulary. */
const CAUSES: ReadonlyMap<string, string> = new Map([
  ['302', 'unconditional'],
  ['486', 'user-busy'],
  ['408', 'no-answer'],
  ['480', 'deflection'], // deflection, immediate response
  ['487', 'deflection'], // deflection during alerting
  ['404', 'unknown'],
  ['503', 'unavailable'], // mobile subscriber not reachable
]);

/** The reason for a cause code; another 3-digit code stands for itself ("301"). */
function causeReason(cause: string | undefined): string | undefined {
  if (cause === undefined || !/^[0-9]{3}$/.test(cause)) return undefined;
  return CAUSES.get(cause) ?? cause;
}
