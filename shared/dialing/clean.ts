/**
 * What the PWA makes of a typed or pasted number before any location rule
 * applies: the visual separators people write go, the characters a PBX can
 * dial stay, everything else is refused. Letters are never mapped to digits
 * (no vanity numbers): "0800-FLOWERS" is a typo far more often than a plan.
 */

export type CleanFailure = 'empty' | 'invalid-characters' | 'too-long';

export type CleanResult =
  | { readonly ok: true; readonly number: string }
  | { readonly ok: false; readonly reason: CleanFailure };

/** Dial characters (digits, `*`, `#`) a cleaned number may hold, not counting a leading `+`. */
export const MAX_DIGITS = 32;

/**
 * Longer input is refused before any work: a formatted 32-digit number is
 * far shorter, and a pasted novel should not cost more than a glance.
 */
export const MAX_INPUT_LENGTH = 256;

/**
 * Separators people write inside numbers: all Unicode white space (tabs and
 * line breaks from a copied cell included), ASCII and Unicode hyphens,
 * dashes and the minus sign, dots and slashes. Brackets go later, after the
 * "(0)" notation has been recognised.
 */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212./]/g;

/**
 * Invisible characters that never change what is read: zero-width space,
 * non-joiner and joiner, word joiner, and the left-to-right marks, embeddings
 * and isolates that contact apps wrap numbers in (with their terminators).
 * The right-to-left ones (U+200F, U+202B, U+202E, U+2067) and first-strong
 * isolates (U+2068) can show digits in another order than they are dialled,
 * so they are refused with every other character not named here.
 */
const INVISIBLE = /[\u200b-\u200d\u2060\u200e\u202a\u202c\u202d\u2066\u2069]/g;

/**
 * "+49 (0)89 …": the "(0)" is the trunk prefix, dialled only from inside the
 * country, so international notation drops it. Only numbers written
 * internationally (leading + or 00) lose it; "(0)89 1234" is a national
 * number whose 0 is dialled.
 */
const TRUNK_IN_BRACKETS = /\(0\)/g;
/** Written internationally, also as "(+49) (0)89 …". */
const INTERNATIONAL = /^\(?(\+|00)/;
const BRACKETS = /[()]/g;
const CLEAN = /^\+?[0-9*#]*$/;

/**
 * "+49 (0)89 1234-56" → "+4989123456"; " 089 / 12 34 56 " → "08912345";
 * "*21*0891234#" stays; "0800-FLOWERS" → invalid-characters.
 */
export function cleanNumber(input: string): CleanResult {
  if (input.length > MAX_INPUT_LENGTH) return { ok: false, reason: 'too-long' };
  let s = input.replace(INVISIBLE, '').replace(SEPARATORS, '');
  if (INTERNATIONAL.test(s)) s = s.replace(TRUNK_IN_BRACKETS, '');
  s = s.replace(BRACKETS, '');
  if (!CLEAN.test(s)) return { ok: false, reason: 'invalid-characters' };
  const digits = s.startsWith('+') ? s.length - 1 : s.length;
  if (digits === 0) return { ok: false, reason: 'empty' };
  if (digits > MAX_DIGITS) return { ok: false, reason: 'too-long' };
  return { ok: true, number: s };
}
