/**
 * Numbers as people see them (incoming callers, the journal): internal
 * callers as their extension, everyone else in international format.
 *
 * Grouping: "+CC NATIONAL", with the national number split only where this
 * code knows where the area code ends — inside the location's own area:
 *
 *   "+4930123456"   → "+49 30123456"      another area: no table of area codes
 *   "+49891234567"  → "+49 89 1234567"    own area
 *   "+442079460958" → "+44 2079460958"    country codes are known by ITU zone
 *
 * A table of every country's area codes (what libphonenumber ships) would
 * buy "+49 30 123456" for other areas; it is not worth shipping to every
 * browser and keeping current. Incoming numbers are read with the same rules as typed ones
 * (toCanonical), so what is shown is what calling back dials.
 */
import { canonicalOfClean } from './canonical.ts';
import { cleanNumber } from './clean.ts';
import { countryCodeLength } from './conventions.ts';
import { resolveLocation, type Location, type ResolvedLocation } from './location.ts';

/**
 * "" for an anonymous or withheld caller, or anything that is no number
 * ("anonymous", "unknown", a SIP user name: the caller's name is shown
 * from the display name instead). A number the rules cannot place (a
 * country code 0, 16 digits, …) is shown cleaned, never as raw input.
 */
export function displayNumber(raw: string, loc: Location): string {
  const cleaned = cleanNumber(raw);
  if (!cleaned.ok) return '';
  const r = resolveLocation(loc);
  const canonical = canonicalOfClean(cleaned.number, r);
  if (canonical === undefined) return cleaned.number;
  switch (canonical.kind) {
    case 'internal':
      return canonical.extension;
    case 'special':
      return cleaned.number;
    case 'external':
      return formatInternational(canonical.e164, r);
  }
}

/** "+49891234567" → "+49 89 1234567" at a location in Munich (see above). */
export function formatInternational(e164: string, r: ResolvedLocation): string {
  const digits = e164.replace(/^\+/, '');
  const ccLength = countryCodeLength(digits);
  if (ccLength === 0) return e164;
  const countryCode = digits.slice(0, ccLength);
  const national = digits.slice(ccLength);
  const { areaCode } = r;
  const ownArea =
    countryCode === r.countryCode &&
    areaCode !== '' &&
    national.startsWith(areaCode) &&
    national.length > areaCode.length;
  return ownArea
    ? `+${countryCode} ${areaCode} ${national.slice(areaCode.length)}`
    : `+${countryCode} ${national}`;
}
