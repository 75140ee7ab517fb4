/**
 * Canonical number → the digits the PBX expects on dial-out (the location's
 * dialing rules, seed 004 "Amtskennzifferverarbeitung"):
 *
 *   internal               → the extension                 "201"
 *   own area               → outside line + subscriber     "0" + "1234567"
 *   own area, area code    → outside line + trunk + NSN    "0" + "0" + "891234567"
 *   own country            → outside line + trunk + NSN    "0" + "0" + "301234567"
 *   abroad                 → outside line + intl + E.164   "0" + "00" + "441234567890"
 *   the PBX's own DIDs     → the extension                 "+4989 12345 201" → "201"
 *   special                → as toCanonical decided        "*21*0891234#", "112"
 *
 * Each dial string is read back with the same rules before it is used, so a
 * short local number is never dialled in a form the PBX takes for an
 * extension (with no outside-line prefix, local "123" would be extension
 * 123): the next longer form is used instead.
 */
import { canonicalOfClean, type Canonical } from './canonical.ts';
import { cleanNumber, type CleanFailure } from './clean.ts';
import { countryCodeLength } from './conventions.ts';
import { resolveLocation, type Location, type ResolvedLocation } from './location.ts';

export type DialFailure = CleanFailure | 'invalid-number';

export type DialResult =
  | { readonly ok: true; readonly dial: string; readonly canonical: Canonical }
  | { readonly ok: false; readonly reason: DialFailure };

export function toDialString(canonical: Canonical, loc: Location): string {
  return dialOf(canonical, resolveLocation(loc));
}

/**
 * Typed or pasted input → the dial string, in one: cleanNumber, toCanonical,
 * toDialString. Forwarding targets go through here too.
 */
export function dialable(input: string, loc: Location): DialResult {
  const cleaned = cleanNumber(input);
  if (!cleaned.ok) return { ok: false, reason: cleaned.reason };
  const r = resolveLocation(loc);
  const canonical = canonicalOfClean(cleaned.number, r);
  if (canonical === undefined) return { ok: false, reason: 'invalid-number' };
  return { ok: true, dial: dialOf(canonical, r), canonical };
}

/** What a PBX can dial; anything else becomes "" (nothing to dial). */
const DIAL_STRING = /^[0-9*#]+$/;

/**
 * "" when the canonical form was built by hand and holds no valid number
 * (toCanonical never returns such a one): the caller refuses the call.
 */
export function dialOf(canonical: Canonical, r: ResolvedLocation): string {
  let dial: string;
  switch (canonical.kind) {
    case 'internal':
      dial = canonical.extension;
      break;
    case 'special':
      dial = canonical.dial;
      break;
    case 'external':
      dial = externalDial(canonical.e164, r);
      break;
  }
  return DIAL_STRING.test(dial) ? dial : '';
}

function externalDial(e164: string, r: ResolvedLocation): string {
  const target = /^\+\d+$/.test(e164) ? canonicalOfClean(e164, r) : undefined;
  if (target === undefined || target.kind === 'special') return '';
  if (target.kind === 'internal') return target.extension;
  const forms = candidates(target.e164.slice(1), r);
  const fits = forms.find((dial) => {
    const back = canonicalOfClean(dial, r);
    return back?.kind === 'external' && back.e164 === target.e164;
  });
  // The international form reads back the same unless extensions are
  // absurdly long; it is also what the PBX most likely understands then.
  return fits ?? forms[forms.length - 1] ?? '';
}

/** Dial forms of an external number, shortest first; the international form is always last. */
function candidates(digits: string, r: ResolvedLocation): string[] {
  const { outsideLine, countryCode, areaCode, areaCodeLocally, conventions } = r;
  const { trunkPrefix, internationalPrefix, localAreaCodeWithoutTrunk } = conventions;
  const forms: string[] = [];
  if (digits.slice(0, countryCodeLength(digits)) === countryCode) {
    const national = digits.slice(countryCode.length);
    const ownArea =
      areaCode !== '' && national.startsWith(areaCode) && national.length > areaCode.length;
    if (ownArea && !areaCodeLocally && trunkPrefix !== '') {
      forms.push(outsideLine + national.slice(areaCode.length));
    }
    if (ownArea && areaCodeLocally && localAreaCodeWithoutTrunk) forms.push(outsideLine + national);
    forms.push(outsideLine + trunkPrefix + national);
  }
  forms.push(outsideLine + internationalPrefix + digits);
  return forms;
}
