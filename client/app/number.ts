/**
 * Phone numbers as people write and paste them. The gateway accepts
 * digits, `*`, `#` and a leading `+` (README, calls); everything else is
 * either punctuation we drop or a mistake we refuse — letters are never
 * turned into digits.
 */

export type CleanResult =
  | { readonly ok: true; readonly number: string }
  | { readonly ok: false; readonly error: 'empty' | 'invalid' };

/** Spaces, dashes, dots, slashes and brackets people put into numbers. */
const PUNCTUATION = /[\s\u00a0\u2007\u202f\u2010-\u2015\u2212().\-/[\]]/g;
const DIALLABLE = /^\+?[0-9*#]+$/;
/** Characters allowed while typing: the input drops punctuation as it goes. */
const TYPABLE = /^[0-9*#+]*$/;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The number inside a tel:, sip:, sips: or callto: URI (RFC 3966, RFC
 * 3261): the user part of a SIP URI without parameters; other text as is.
 */
export function numberFromUri(input: string): string {
  const m = /^\s*(tel|sips?|callto):(?:\/\/)?(.*)$/i.exec(input);
  if (!m) return input;
  const scheme = (m[1] ?? '').toLowerCase();
  let rest = decode(m[2] ?? '');
  if (scheme.startsWith('sip')) rest = rest.split('@')[0] ?? '';
  return rest.split(/[;?]/)[0] ?? '';
}

/**
 * "+49 (89) 1234-56" → "+4989123456"; "+49 (0)89 1234" → "+49891234" (the
 * "(0)" of international notation is not dialled); letters → invalid.
 */
export function cleanNumber(input: string): CleanResult {
  let s = numberFromUri(input.trim()).trim();
  if (/^(\+|00)/.test(s)) s = s.replace(/\(0\)/g, '');
  s = s.replace(PUNCTUATION, '');
  if (s === '') return { ok: false, error: 'empty' };
  return DIALLABLE.test(s) ? { ok: true, number: s } : { ok: false, error: 'invalid' };
}

/** While typing: the text without punctuation, or undefined when it holds something undiallable. */
export function cleanTyped(input: string): string | undefined {
  const s = input.replace(PUNCTUATION, '');
  return TYPABLE.test(s) ? s : undefined;
}
