/**
 * Pure choices of call set-up, apart from the SIP flows that make them:
 * the codecs and media of a call, what the browser hears when the PBX leg
 * of an outgoing call fails, and what a dialled number means (the PBX's
 * dial string, a pickup code's number).
 */
import { NUMBER_PLACEHOLDER } from '#shared/feature-codes.ts';
import { dialable } from '#shared/dialing/index.ts';
import type { LineInfo } from '../lines/manager.ts';
import type { CallMediaOptions, ClientCodec } from '../media/index.ts';
import { firstAudioCodec } from '../media/index.ts';
import type { SipRequest, SipResponse } from '../sip/message/types.ts';
import type { ResponseSource } from '../sip/stack.ts';

/**
 * The codecs to answer the browser with: the line group's preference, but
 * when it prefers G.711 and the PBX chose one law, that law first, so the
 * call is relayed instead of transcoded.
 */
export function clientCodecs(
  preferred: readonly ClientCodec[],
  pbxAnswer: string | undefined,
): ClientCodec[] {
  const pbx = pbxAnswer === undefined ? null : firstAudioCodec(pbxAnswer);
  const first = preferred[0];
  if (pbx === null || first === 'opus' || first === undefined || !preferred.includes(pbx))
    return [...preferred];
  return [pbx, ...preferred.filter((c) => c !== pbx)];
}

/**
 * The media of a call on this line: its group's codecs, and no RFC 4733
 * toward the browser when the group has DTMF off (seed 003 "Funktionen":
 * INFO is refused with 403 in call.ts; without telephone-event the browser
 * cannot send tones in the media either).
 */
export function mediaOptions(line: LineInfo): CallMediaOptions {
  return {
    clientCodecs: line.codecs.client,
    pbxCodecs: line.codecs.pbx,
    clientDtmf: line.functions.dtmf,
  };
}

/** What the browser hears when the PBX leg fails: the PBX's own status where it means something. */
export function failureFor(r: {
  response: SipResponse;
  source: ResponseSource;
  authFailure?: unknown;
}): [number, string] {
  switch (r.source) {
    case 'timeout':
      return [408, 'Request Timeout - the PBX did not answer'];
    case 'transport-error':
    case 'overload':
      return [503, 'Service Unavailable - the PBX cannot be reached'];
    case 'cancelled':
      return [487, 'Request Terminated'];
    case 'network':
      break;
  }
  const { status, reason } = r.response;
  // A challenge we could not answer is the line's problem, not the browser's to answer.
  if (status === 401 || status === 407)
    return [403, 'Forbidden - the PBX refused the line credentials'];
  if (status < 300) return [500, 'Server Internal Error'];
  return [status, reason];
}

/**
 * A number as a browser names it in a SIP URI user (the INVITE's
 * Request-URI, a REFER's Refer-To): %-escapes undone (§19.1.2 escapes '#'
 * as %23), visual separators dropped; undefined unless digits, *, # and a
 * leading +.
 */
export function dialledNumber(uriUser: string): string | undefined {
  let user: string;
  try {
    user = decodeURIComponent(uriUser);
  } catch {
    return undefined;
  }
  user = user.replace(/[\s\-./()]/g, '');
  return /^\+?[0-9*#]{1,32}$/.test(user) ? user : undefined;
}

/** The Request-URI user as dialled (RFC 3261 §19.1.2 escapes '#' as %23), if it is a phone number. */
export function diallable(req: SipRequest): string | undefined {
  if (req.uri.kind !== 'sip' || req.uri.user === undefined) return undefined;
  return dialledNumber(req.uri.user);
}

/** The number in a call to the pickup code ("*8<NUMBER>" and "*8201" → "201"), if it is one. */
export function pickupNumber(code: string, typed: string): string | undefined {
  const at = code.indexOf(NUMBER_PLACEHOLDER);
  if (at < 0) return undefined;
  const head = code.slice(0, at);
  const tail = code.slice(at + NUMBER_PLACEHOLDER.length);
  if (!typed.startsWith(head) || !typed.endsWith(tail)) return undefined;
  const number = typed.slice(head.length, typed.length - tail.length);
  return /^\+?[0-9]{1,16}$/.test(number) ? number : undefined;
}

/** What the PBX dials for a number: the location's rules applied, or the number as typed. */
export function dialString(typed: string, line: LineInfo): string | undefined {
  const loc = line.location;
  if (loc === undefined) return typed;
  const d = dialable(typed, { ...loc });
  return d.ok ? d.dial : undefined;
}
