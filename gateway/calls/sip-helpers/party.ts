/**
 * Who is calling, for the browser (issue text: "the caller's name and number
 * and the line that was called are shown to the client"): the caller from
 * P-Asserted-Identity (RFC 3325) or From, withheld per Privacy (RFC 3323);
 * the number the PBX called; the number originally called when the call was
 * forwarded (diversion.ts). And what the gateway writes from them on the
 * INVITE to the browser: its From and X-Linegate-* header fields.
 *
 * All of it is display data: a value that does not parse is skipped, never
 * a reason to refuse the call, and what goes back out in a header is
 * stripped of control characters and bounded in length (display.ts).
 */
import { from, headerValues, to, type HasHeaders } from '../../sip/message/headers.ts';
import { sipUri } from '../../sip/message/uri.ts';
import type { HeaderField, SipRequest, Uri } from '../../sip/message/types.ts';
import type { Party } from '../../sip/dialog/requests.ts';
import type { Diversion } from './diversion.ts';
import { cleanText, nameAddrs, numberOfUri, safely } from './display.ts';

export { diversionOf, type Diversion } from './diversion.ts';

export interface Caller {
  /** Phone number (visual separators removed, leading + kept) or other URI user. */
  readonly number: string | undefined;
  readonly name: string | undefined;
  /** Caller ID withheld: number and name are then undefined. */
  readonly anonymous: boolean;
}

export const LINE_HEADER = 'X-Linegate-Line';
export const CALLED_HEADER = 'X-Linegate-Called';
export const DIVERTED_HEADER = 'X-Linegate-Diverted-From';

/** RFC 3323 §4.1.1.3: the From of an anonymous caller is sip:anonymous@anonymous.invalid. */
export const ANONYMOUS_HOST = 'anonymous.invalid';

/**
 * The caller: number and name from the first P-Asserted-Identity with a
 * sip, sips or tel URI that has them (RFC 3325 §9.1 allows one sip and one
 * tel), else from From. Anonymous when Privacy lists "id" (RFC 3325 §9.3)
 * or "user" (RFC 3323 §4.2), or when From or an asserted identity is the
 * anonymous URI: the browser then gets neither number nor name, even when
 * the PBX asserted them, since it is outside any trust domain.
 */
export function callerOf(invite: SipRequest): Caller {
  const asserted = nameAddrs(invite, 'P-Asserted-Identity').filter((na) => isSipOrTel(na.uri));
  const fromValue = safely(() => from(invite));
  const anonymous =
    privacyWithholdsId(invite) ||
    (fromValue !== undefined && isAnonymousUri(fromValue.uri)) ||
    asserted.some((na) => isAnonymousUri(na.uri));
  if (anonymous) return { number: undefined, name: undefined, anonymous: true };
  const parties = fromValue === undefined ? asserted : [...asserted, fromValue];
  return {
    number: firstDefined(parties, (na) => numberOfUri(na.uri)),
    name: firstDefined(parties, (na) => cleanText(na.displayName)),
    anonymous: false,
  };
}

/**
 * The number the PBX called: the To user, else the Request-URI user. To
 * comes first because the Request-URI is the Contact the line registered
 * (sip:<username>@us, lines/register-client.ts), which names the line,
 * while To keeps what the caller dialed (RFC 3261 §8.1.1.2): a DID on a
 * trunk.
 */
export function calledOf(invite: SipRequest): string | undefined {
  const t = safely(() => to(invite));
  return (t === undefined ? undefined : numberOfUri(t.uri)) ?? numberOfUri(invite.uri);
}

export interface IdentityHeadersInput {
  /** The line's id, "<group>/<username>". */
  readonly line: string;
  /** The number the PBX called (calledOf). */
  readonly called: string | undefined;
  /** diversionOf(invite). */
  readonly diversion: Diversion | undefined;
}

/**
 * X-Linegate-* header fields for the INVITE to the browser: the line, the
 * number called and, when forwarded, "<original number>;reason=<reason>".
 * Every value is cleaned (no CR, LF or other controls) and at most 128
 * characters; the number loses the characters that would split the value
 * (";" "," quotes, spaces), the reason all but token characters (RFC 3261
 * §25.1). Empty values are left out.
 */
export function browserIdentityHeaders(input: IdentityHeadersInput): HeaderField[] {
  const out: HeaderField[] = [];
  const line = cleanText(input.line);
  if (line !== undefined) out.push({ name: LINE_HEADER, value: line });
  const called = cleanText(input.called);
  if (called !== undefined) out.push({ name: CALLED_HEADER, value: called });
  const d = input.diversion;
  const number = cleanText(d?.originalNumber.replace(/[;,"<>\\\s]/g, ''), 64);
  if (d !== undefined && number !== undefined) {
    const reason = d.reason
      ?.toLowerCase()
      .replace(/[^a-z0-9\-.!%*_+`'~]/g, '')
      .slice(0, 48);
    const param = reason === undefined || reason === '' ? '' : `;reason=${reason}`;
    out.push({ name: DIVERTED_HEADER, value: number + param });
  }
  return out;
}

/**
 * The From of the INVITE to the browser: the caller's name as display name
 * and number as user at our domain, or "Anonymous"
 * <sip:anonymous@anonymous.invalid> for a withheld caller (RFC 3323
 * §4.1.1.3); user "anonymous" at our domain when there is no number. The
 * display name is plain text: formatNameAddr quotes it and escapes '"' and
 * '\' (RFC 3261 §25.1 quoted-pair), and formatUri escapes the user.
 */
export function browserFrom(caller: Caller, domain: string): Party {
  if (caller.anonymous) {
    return { uri: sipUri('anonymous', ANONYMOUS_HOST), displayName: 'Anonymous' };
  }
  return {
    uri: sipUri(cleanText(caller.number) ?? 'anonymous', domain),
    displayName: cleanText(caller.name),
  };
}

// ------------------------------------------------------------ internals

function isSipOrTel(uri: Uri): boolean {
  return uri.kind === 'sip' || uri.scheme === 'tel';
}

/** RFC 3323 §4.1.1.3's anonymous URI, and the user "anonymous" others send at their host. */
function isAnonymousUri(uri: Uri): boolean {
  if (uri.kind !== 'sip') return false;
  return uri.host === ANONYMOUS_HOST || uri.user?.toLowerCase() === 'anonymous';
}

/** Privacy = priv-value *(";" priv-value) (RFC 3323 §4.2), values case-insensitive. */
function privacyWithholdsId(msg: HasHeaders): boolean {
  return headerValues(msg, 'Privacy')
    .flatMap((v) => v.split(';'))
    .some((v) => {
      const p = v.trim().toLowerCase();
      return p === 'id' || p === 'user';
    });
}

function firstDefined<T, R>(items: readonly T[], f: (item: T) => R | undefined): R | undefined {
  for (const item of items) {
    const r = f(item);
    if (r !== undefined) return r;
  }
  return undefined;
}
