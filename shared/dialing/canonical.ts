/**
 * A number as typed (or as the PBX presents a caller) → what it means at
 * the location: an extension of the PBX, an external number in E.164, or a
 * special number the PBX gets exactly as it is.
 *
 * The reading follows a desk phone at that PBX: a number that starts with
 * the outside-line prefix leaves the PBX; a short number without it is an
 * extension. Where the outside-line prefix and the trunk prefix are both
 * "0", "0891234567" is therefore outside line + the local number 891234567,
 * not the national 089 1234567 — exactly what the desk phone would dial.
 * Numbers longer than an extension that do not start with the prefix are
 * read as external numbers without it (a PWA user who never learnt the
 * prefix, or a cloud PBX that has none).
 */
import { cleanNumber } from './clean.ts';
import { conventionsFor, countryCodeLength } from './conventions.ts';
import { resolveLocation, type Location, type ResolvedLocation } from './location.ts';

export type SpecialKind = 'feature-code' | 'emergency' | 'service';

export type Canonical =
  | { readonly kind: 'internal'; readonly extension: string }
  | { readonly kind: 'external'; readonly e164: string }
  | {
      readonly kind: 'special';
      /** feature-code: holds * or #; emergency: 110, 112, …; service: 115, 116 xxx, … */
      readonly what: SpecialKind;
      /**
       * What the PBX gets: feature and emergency codes as typed, service
       * numbers with the outside line.
       */
      readonly dial: string;
    };

/** ITU-T E.164 §6: at most 15 digits after the "+". */
export const E164_MAX_DIGITS = 15;
/** The shortest national significant numbers in use have 4 digits (e.g. +290, +683). */
export const MIN_NATIONAL_DIGITS = 4;

/**
 * The meaning of a number at the location; undefined when it is no number
 * (cleanNumber refuses it) or cannot be one (only the outside-line prefix,
 * "+" with * or #, a country code 0, more than 15 digits, …).
 */
export function toCanonical(number: string, loc: Location): Canonical | undefined {
  const cleaned = cleanNumber(number);
  return cleaned.ok ? canonicalOfClean(cleaned.number, resolveLocation(loc)) : undefined;
}

/**
 * For forwarding rules: is a call from this caller an internal call?
 * Anonymous callers (no number) are external.
 */
export function isInternal(callerNumber: string, loc: Location): boolean {
  return toCanonical(callerNumber, loc)?.kind === 'internal';
}

/** toCanonical for a number cleanNumber has accepted. */
export function canonicalOfClean(n: string, r: ResolvedLocation): Canonical | undefined {
  if (n.startsWith('+')) return /^\+\d+$/.test(n) ? fromInternational(n.slice(1), r) : undefined;
  const prefixed = r.outsideLine !== '' && n.startsWith(r.outsideLine);
  const rest = prefixed ? n.slice(r.outsideLine.length) : n;
  // Feature codes are the PBX's business; a target inside one ("*21*089…#")
  // is dialled by the PBX as it stands.
  if (/[*#]/.test(rest)) return { kind: 'special', what: 'feature-code', dial: n };
  // An emergency number wins over an extension of the same digits (PBX
  // number plans keep 110/112 free) and is never rewritten, with or without
  // the outside line ("000" in Australia starts with its usual prefix "0").
  const { emergency } = r.conventions;
  if (emergency.includes(n) || emergency.includes(rest)) {
    return { kind: 'special', what: 'emergency', dial: n };
  }
  if (!prefixed && n.length <= r.extensionDigits) return { kind: 'internal', extension: n };
  if (r.conventions.service?.test(rest) === true) {
    return { kind: 'special', what: 'service', dial: r.outsideLine + rest };
  }
  const digits = internationalDigits(rest, r);
  return digits === undefined ? undefined : fromInternational(digits, r);
}

/** An external number without the outside-line prefix → its digits after "+". */
function internationalDigits(rest: string, r: ResolvedLocation): string | undefined {
  if (rest === '') return undefined;
  const { internationalPrefix, trunkPrefix, nationalLength } = r.conventions;
  if (rest.startsWith(internationalPrefix)) return rest.slice(internationalPrefix.length);
  if (trunkPrefix !== '' && rest.startsWith(trunkPrefix)) {
    return r.countryCode + rest.slice(trunkPrefix.length);
  }
  if (rest.length === nationalLength) return r.countryCode + rest;
  // A local number gets the own area code; in a closed plan what is typed is
  // already the national number. Without an area code there is nothing to add.
  return trunkPrefix === '' ? r.countryCode + rest : r.countryCode + r.areaCode + rest;
}

/** Digits after "+" → external, or internal when they fall in the PBX's own range. */
function fromInternational(digits: string, r: ResolvedLocation): Canonical | undefined {
  const ccLength = countryCodeLength(digits);
  if (ccLength === 0) return undefined;
  const countryCode = digits.slice(0, ccLength);
  let national = digits.slice(ccLength);
  // "+49 089 …": a slip for "+49 (0)89 …" where no national number starts with 0.
  const { trunkPrefix, trunkNeverInNationalNumber } = conventionsFor(countryCode);
  if (trunkNeverInNationalNumber && national.startsWith(trunkPrefix)) {
    national = national.slice(trunkPrefix.length);
  }
  const e164 = countryCode + national;
  if (national.length < MIN_NATIONAL_DIGITS || e164.length > E164_MAX_DIGITS) return undefined;
  const extension = ownExtension(e164, r);
  return extension === undefined
    ? { kind: 'external', e164: `+${e164}` }
    : { kind: 'internal', extension };
}

/**
 * The extension when the number is the PBX's own base number + an extension
 * of exactly extensionDigits digits (a DID); other lengths, such as the
 * base number + "0" for the switchboard, stay external: dialling "0"
 * internally would take an outside line.
 */
export function ownExtension(e164Digits: string, r: ResolvedLocation): string | undefined {
  if (r.pbxNumber === '' || r.extensionDigits === 0) return undefined;
  const base = r.countryCode + r.areaCode + r.pbxNumber;
  return e164Digits.startsWith(base) && e164Digits.length === base.length + r.extensionDigits
    ? e164Digits.slice(base.length)
    : undefined;
}
