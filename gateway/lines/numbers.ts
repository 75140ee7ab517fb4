/**
 * A line's phone numbers when the config says `numbers: auto`: the
 * identities the registrar associates with the account (P-Associated-URI in
 * the 200 to REGISTER, RFC 3455 §4.1), else the AOR's user part when it is
 * a number (most PBX accounts are named by their extension).
 */
import { getHeaders, parseNameAddrList } from '../sip/message/headers.ts';
import type { NameAddr, SipResponse, Uri } from '../sip/message/types.ts';

/** Dialable: digits, *, # and a leading +. */
const NUMBER = /^\+?[0-9*#]+$/;
/** RFC 3966 §3 visual separators inside a telephone number. */
const VISUAL_SEPARATORS = /[-.()]/g;

export function numbersFromRegistration(res: SipResponse, username: string): string[] {
  const out: string[] = [];
  for (const field of getHeaders(res, 'P-Associated-URI')) {
    let list: NameAddr[];
    try {
      list = parseNameAddrList(field.value, { what: 'P-Associated-URI' });
    } catch {
      continue; // a malformed header is the PBX's problem, not a reason to fail the line
    }
    for (const na of list) {
      const n = numberOf(na.uri);
      if (n !== undefined && !out.includes(n)) out.push(n);
    }
  }
  if (out.length > 0) return out;
  return NUMBER.test(username) ? [username] : [];
}

function numberOf(uri: Uri): string | undefined {
  if (uri.kind === 'absolute') {
    if (uri.scheme !== 'tel') return undefined;
    const n = (uri.text.slice(4).split(';')[0] ?? '').replace(VISUAL_SEPARATORS, '');
    return NUMBER.test(n) ? n : undefined;
  }
  if (uri.user === undefined) return undefined;
  // RFC 3261 §19.1.1: with user=phone the user part is a telephone-subscriber.
  const n =
    uri.params.get('user') === 'phone'
      ? (uri.user.split(';')[0] ?? '').replace(VISUAL_SEPARATORS, '')
      : uri.user;
  return NUMBER.test(n) ? n : undefined;
}
