/**
 * Display data read from SIP headers (party.ts, diversion.ts): numbers from
 * sip and tel URIs, text that is safe to show and to put back in a header,
 * and name-addr lists read value by value, so that one value that does not
 * parse costs only itself. Nothing here throws on what a peer sent.
 */
import { headerValues, parseNameAddr, type HasHeaders } from '../../sip/message/headers.ts';
import type { NameAddr, Uri } from '../../sip/message/types.ts';
import { unescapeComponent } from '../../sip/message/uri.ts';

/** Longest text put in a header or shown as a name or number. */
export const MAX_TEXT = 128;

/**
 * Text safe to show and to put in a header: C0 and C1 controls (CR and LF
 * among them), DEL, line and paragraph separators and bidi overrides (which
 * can make a name read as another) become spaces, the ends are trimmed, the
 * length bounded in code points (no surrogate pair is split). Undefined
 * when nothing is left.
 */
export function cleanText(s: string | undefined, max = MAX_TEXT): string | undefined {
  if (s === undefined) return undefined;
  // eslint-disable-next-line no-control-regex -- replacing control characters is the point
  const cleaned = s.replace(/[\0-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ');
  const trimmed = cleaned.trim();
  const bounded =
    trimmed.length <= max ? trimmed : Array.from(trimmed).slice(0, max).join('').trimEnd();
  return bounded === '' ? undefined : bounded;
}

const DIALABLE = /^\+?[0-9*#]+$/;
/** RFC 3966 §5.1.1 visual separators, and the spaces some send escaped. */
const VISUAL_SEPARATORS = /[-.()\s]/g;

/**
 * A telephone-subscriber (RFC 3966 §3) as digits: parameters (";ext=…",
 * ";phone-context=…") and visual separators removed, a leading "+" kept.
 * Undefined when what is left is not dialable.
 */
export function phoneNumber(text: string): string | undefined {
  const subscriber = (text.split(';', 1)[0] ?? '').replace(VISUAL_SEPARATORS, '');
  return DIALABLE.test(subscriber) && subscriber.length <= MAX_TEXT ? subscriber : undefined;
}

/**
 * The number of a tel URI, or the user of a sip/sips URI: a phone number
 * when it is one (RFC 3261 §19.1.1: with or without user=phone), else the
 * user as it is ("alice"), cleaned. Undefined for other schemes and for a
 * URI without user.
 */
export function numberOfUri(uri: Uri): string | undefined {
  if (uri.kind === 'absolute') {
    if (uri.scheme !== 'tel') return undefined;
    return phoneNumber(unescapeComponent(uri.text.slice(uri.scheme.length + 1)));
  }
  if (uri.user === undefined) return undefined;
  return phoneNumber(uri.user) ?? cleanText(uri.user);
}

/**
 * A URI parameter by lower-case name: parsed for sip URIs, read from the
 * text of a tel URI (RFC 3966 par); undefined when absent or valueless.
 */
export function uriParam(uri: Uri, name: string): string | undefined {
  if (uri.kind === 'sip') return uri.params.get(name) ?? undefined;
  for (const p of uri.text.split(';').slice(1)) {
    const eq = p.indexOf('=');
    if (eq > 0 && p.slice(0, eq).trim().toLowerCase() === name) {
      return unescapeComponent(p.slice(eq + 1).trim());
    }
  }
  return undefined;
}

/** Each value of a name-addr list header (in order, across fields) that parses. */
export function nameAddrs(msg: HasHeaders, header: string): NameAddr[] {
  const out: NameAddr[] = [];
  for (const value of headerValues(msg, header)) {
    const na = safely(() => parseNameAddr(value, { what: header }));
    if (na !== undefined) out.push(na);
  }
  return out;
}

/** The value, or undefined when the parser throws: display data never fails a call. */
export function safely<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
