/**
 * Numbers the user dials and the SIP targets made of them. The gateway
 * accepts digits, `*`, `#` and a leading `+` (anything else gets 484,
 * README "Calls"), so the phone cleans what people type or paste
 * ("+49 (89) 123-45", "tel:+4989…") and refuses the rest before dialing.
 */
import { PhoneError } from './types.ts';

/** Longer than any E.164 number plus feature-code prefixes; the gateway bounds it too. */
export const MAX_NUMBER_LENGTH = 48;

/** Visual separators people type or paste between digits. */
const SEPARATORS = /[\s\u00a0\u2000-\u200b\u202f\-./()[\]]/g;

/** The number without separators and a `tel:` prefix; not validated. */
export function cleanNumber(input: string): string {
  return input.trim().replace(/^tel:/i, '').replace(SEPARATORS, '');
}

export function isDialable(number: string): boolean {
  return number.length <= MAX_NUMBER_LENGTH && /^\+?[0-9*#]+$/.test(number);
}

/** The cleaned number, or PhoneError 'invalid-number'. */
export function dialableNumber(input: string): string {
  const number = cleanNumber(input);
  if (!isDialable(number)) {
    throw new PhoneError(
      'invalid-number',
      number === ''
        ? 'Enter a number to call.'
        : `"${input.trim().slice(0, 64)}" is not a number that can be dialed (digits, *, # and a leading +).`,
    );
  }
  return number;
}

/**
 * sip:<number>@<domain>. `#` must be escaped in a SIP URI user part
 * (RFC 3261 §25.1: it is neither unreserved nor user-unreserved); `*` and
 * `+` may stand as they are. The gateway unescapes the user.
 */
export function sipTarget(number: string, domain: string): string {
  return `sip:${number.replace(/#/g, '%23')}@${domain}`;
}

/** DTMF tones JsSIP can send by INFO: 0-9, *, #, A-D and ',' (a pause). */
export function dtmfTones(input: string): string {
  const tones = input.replace(/\s/g, '').toUpperCase();
  if (tones === '' || !/^[0-9A-D#*,]+$/.test(tones)) {
    throw new PhoneError(
      'invalid-number',
      `"${input.slice(0, 32)}" holds no DTMF tones (0-9, *, #, A-D).`,
    );
  }
  return tones;
}
