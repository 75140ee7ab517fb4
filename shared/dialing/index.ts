/**
 * # Dialing rules (issue #7, seed 004 "Standort")
 *
 * Pure functions, no dependencies, no Node or DOM APIs: the gateway imports
 * them as `#shared/dialing/index.ts`, the PWA by relative path.
 *
 * A line group's `location` says where its PBX is and how it dials out:
 *
 * ```ts
 * const munich: Location = {
 *   countryCode: '49', areaCode: '89', // "089" is read as "89"
 *   outsideLine: '0',                  // "Amtskennziffer"; "" for a cloud PBX
 *   pbxNumber: '12345',                // "Anlagenrufnummer": DIDs are +49 89 12345 xxx
 *   extensionDigits: 3,                // "Durchwahlbereich": extensions 100–999
 *   dialAreaCodeLocally: false,        // "Im Ortsnetz immer mit Vorwahl wählen"
 * };
 * ```
 *
 * ## Typed or pasted → dialled
 *
 * ```ts
 * cleanNumber('+49 (0)89 1234-56')        // { ok: true, number: '+4989123456' }
 * cleanNumber('0800-FLOWERS')             // { ok: false, reason: 'invalid-characters' }
 * toCanonical('201', munich)              // { kind: 'internal', extension: '201' }
 * toCanonical('0 030 1234567', munich)    // { kind: 'external', e164: '+49301234567' }
 * toCanonical('01234567', munich)         // { kind: 'external', e164: '+49891234567' }
 * toCanonical('+49 89 12345 201', munich) // { kind: 'internal', extension: '201' }
 * toCanonical('*21*0891234#', munich)     // { kind: 'special', what: 'feature-code',
 *                                          //   dial: '*21*0891234#' }
 * toCanonical('112', munich)              // { kind: 'special', what: 'emergency', dial: '112' }
 * dialable('+49 89 1234567', munich)      // { ok: true, dial: '01234567', canonical: … }
 * dialable('+49 30 1234567', munich)      // dial: '00301234567'
 * dialable('+44 20 7946 0958', munich)    // dial: '000442079460958'
 * dialable('+49 89 1234567', { ...munich, dialAreaCodeLocally: true }) // dial: '00891234567'
 * dialable('+49 89 1234567', { ...munich, outsideLine: '' })           // dial: '1234567'
 * dialable('0', munich)                   // { ok: false, reason: 'invalid-number' }
 * ```
 *
 * The reading is a desk phone's: with outside line "0", "0891234567" is
 * outside line + local number 891234567 (as the desk phone would dial it),
 * not the national 089 1234567 — type "0 089 …" or "+49 89 …" for that.
 * With a cloud PBX (outside line "") there is no such ambiguity.
 * Emergency numbers win over extensions of the same digits and are never
 * rewritten; feature codes are passed through; short service numbers
 * (115, 116 xxx, 118 xx) never get an area code. Other countries' trunk and
 * international prefixes, emergency and service numbers: conventions.ts.
 *
 * ## Shown
 *
 * ```ts
 * displayNumber('201', munich)            // '201'
 * displayNumber('+49891234567', munich)   // '+49 89 1234567' (own area: grouped)
 * displayNumber('0301234567', { ...munich, outsideLine: '' }) // '+49 301234567'
 * displayNumber('+4989123450', munich)    // '+49 89 123450' (the switchboard: not an extension)
 * displayNumber('anonymous', munich)      // ''
 * isInternal('201', munich)               // true: forwarding "internal calls"
 * isInternal('+49 89 12345 201', munich)  // true
 * isInternal('01234567', munich)          // false
 * ```
 */
export { cleanNumber, MAX_DIGITS, type CleanFailure, type CleanResult } from './clean.ts';
export { isInternal, toCanonical, type Canonical, type SpecialKind } from './canonical.ts';
export { dialable, toDialString, type DialFailure, type DialResult } from './dial.ts';
export { displayNumber } from './display.ts';
export { conventionsFor, countryCodeLength, type Conventions } from './conventions.ts';
export type { Location } from './location.ts';
