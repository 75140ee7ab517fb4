/**
 * What an incoming INVITE tells the phone about a call: the caller (From,
 * which the gateway writes from P-Asserted-Identity or the PBX's From;
 * README "Calls") and the X-Linegate-* header fields. All of it is display
 * data: a value that does not parse is left out, never a reason to refuse
 * the call.
 */
import type { CallView, Party } from './types.ts';

/** RFC 3323 §4.1.1.3: the From of a withheld caller is sip:anonymous@anonymous.invalid. */
export const ANONYMOUS_HOST = 'anonymous.invalid';

/** Longest header text the phone keeps; the gateway bounds its own values to 128. */
const MAX_TEXT = 128;

/** Trimmed text without control characters, bounded; undefined when nothing is left. */
export function headerText(value: string | undefined | null, max = MAX_TEXT): string | undefined {
  if (typeof value !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return text === '' ? undefined : text.slice(0, max);
}

export interface NameAddr {
  /** Display name as JsSIP parsed it (unquoted). */
  readonly displayName?: string | undefined;
  /** URI user, unescaped. */
  readonly user?: string | undefined;
  readonly host?: string | undefined;
}

/**
 * The caller as a Party. Withheld callers (host anonymous.invalid, or user
 * "anonymous" as other servers send it) have no number; a name that only
 * says "Anonymous" is dropped, so the view can say it in the user's language.
 */
export function partyOf(from: NameAddr): Party {
  const user = headerText(from.user);
  const host = headerText(from.host)?.toLowerCase();
  const given = headerText(from.displayName);
  const name = given?.toLowerCase() === 'anonymous' || given === user ? undefined : given;
  if (host === ANONYMOUS_HOST) return { number: '', anonymous: true };
  const party =
    user?.toLowerCase() === 'anonymous'
      ? { number: '', anonymous: true }
      : { number: user ?? '', anonymous: false };
  return name === undefined ? party : { ...party, name };
}

type Diverted = NonNullable<CallView['divertedFrom']>;

/**
 * X-Linegate-Diverted-From: "<original number>;reason=<why>" (the reason
 * optional). A number given as a URI (<sip:123@host>) counts by its user.
 */
export function parseDiverted(value: string | undefined | null): Diverted | undefined {
  const text = headerText(value, 256);
  if (text === undefined) return undefined;
  const bracketed = /^<([^>]*)>(.*)$/.exec(text);
  const [head, params] = bracketed
    ? [bracketed[1] ?? '', bracketed[2] ?? '']
    : [text.split(';')[0] ?? '', text.slice((text.split(';')[0] ?? '').length)];
  const number = headerText(numberOfUriText(head), 64);
  if (number === undefined) return undefined;
  let reason: string | undefined;
  for (const param of params.split(';')) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'reason') continue;
    reason = headerText(param.slice(eq + 1).replace(/^\s*"|"\s*$/g, ''), 48);
  }
  return reason === undefined ? { number } : { number, reason };
}

/** "sip:123@host" → "123" (unescaped); a plain number stays as it is. */
function numberOfUriText(text: string): string {
  const m = /^\s*(?:sips?|tel):([^@;?]*)/i.exec(text);
  const raw = m ? (m[1] ?? '') : text;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
