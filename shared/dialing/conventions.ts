/**
 * What a country's numbering plan does differently from the German one the
 * seeds were written for. A ProCall "Standort" is a Windows TAPI location,
 * whose dialing rules come from a country table in the same way: the config
 * names the country, this table knows its prefixes and short numbers.
 *
 * Countries not listed get the most common conventions (trunk prefix "0",
 * international prefix "00", emergency number 112). Facts are from the
 * national numbering plans as published to the ITU (ITU-T E.164 and the
 * "Operational Bulletin" country notes); add a country here when a customer
 * needs it, with tests.
 */

export interface Conventions {
  /**
   * Dialled before a national number from inside the country: "0" in most
   * of Europe, "1" in North America, "8" in Russia, "06" in Hungary; ""
   * where the whole national number is always dialled and a leading 0 is
   * part of it (closed numbering plans: Italy, Spain, Poland, …).
   */
  readonly trunkPrefix: string;
  /** Dialled before a country code: "00" almost everywhere. */
  readonly internationalPrefix: string;
  /**
   * Calls inside the own area need the area code too (France, Switzerland,
   * Belgium). With no trunk prefix this holds anyway.
   */
  readonly alwaysDialAreaCode: boolean;
  /**
   * The area code is dialled without the trunk prefix inside the own area
   * (North America: 10-digit local dialing is "212 555 0100", not "1 212 …").
   */
  readonly localAreaCodeWithoutTrunk: boolean;
  /** Every national number has this length (10 in North America): so typed, it is national. */
  readonly nationalLength: number | undefined;
  /** No national number starts with the trunk prefix: "+49 089 …" is a slip for "+49 89 …". */
  readonly trunkNeverInNationalNumber: boolean;
  /** Dialled as typed, never taken for an extension, never given an area code. */
  readonly emergency: readonly string[];
  /** Short service numbers: not an area's subscriber, so never given an area code. */
  readonly service: RegExp | undefined;
}

type Entry = Partial<Conventions> & Pick<Conventions, 'emergency'>;

const DEFAULTS: Conventions = {
  trunkPrefix: '0',
  internationalPrefix: '00',
  alwaysDialAreaCode: false,
  localAreaCodeWithoutTrunk: false,
  nationalLength: undefined,
  trunkNeverInNationalNumber: false,
  emergency: ['112'],
  service: undefined,
};

/** Trunk prefix "0", international "00", and "0" never starts a national number. */
const ZERO = { trunkPrefix: '0', trunkNeverInNationalNumber: true } as const;
/** Closed plan: no trunk prefix, a leading 0 belongs to the number. */
const CLOSED = { trunkPrefix: '', alwaysDialAreaCode: true } as const;
/** EU-harmonised numbers of social value (116 000, 116 111, 116 117, …). */
const EU_116 = /^116\d{3}$/;

const TABLE: Readonly<Record<string, Entry>> = {
  '1': {
    trunkPrefix: '1',
    internationalPrefix: '011',
    localAreaCodeWithoutTrunk: true,
    nationalLength: 10,
    emergency: ['911'],
    service: /^([2-8]11|988)$/,
  },
  '7': { trunkPrefix: '8', internationalPrefix: '810', emergency: ['112', '101', '102', '103'] },
  '27': { ...ZERO, emergency: ['112', '10111', '10177'] },
  '30': { ...CLOSED, emergency: ['112', '100', '166', '199'] },
  '31': { ...ZERO, emergency: ['112'], service: EU_116 },
  '32': { ...ZERO, alwaysDialAreaCode: true, emergency: ['112', '100', '101'], service: EU_116 },
  '33': {
    ...ZERO,
    alwaysDialAreaCode: true,
    emergency: ['112', '15', '17', '18', '114'],
    service: /^(116\d{3}|118\d{3})$/,
  },
  '34': { ...CLOSED, emergency: ['112', '091', '092', '062'], service: EU_116 },
  '36': { trunkPrefix: '06', emergency: ['112', '104', '105', '107'], service: EU_116 },
  '39': { ...CLOSED, emergency: ['112', '113', '115', '118'], service: EU_116 },
  '40': { ...ZERO, emergency: ['112'], service: EU_116 },
  '41': { ...ZERO, alwaysDialAreaCode: true, emergency: ['112', '117', '118', '144'] },
  '43': {
    ...ZERO,
    emergency: ['112', '122', '133', '144', '140', '141'],
    service: EU_116,
  },
  '44': {
    ...ZERO,
    emergency: ['999', '112'],
    service: /^(101|111|116\d{3}|118\d{3})$/,
  },
  '45': { ...CLOSED, emergency: ['112'], service: /^(114|116\d{3})$/ },
  '46': { ...ZERO, emergency: ['112'], service: /^(11414|1177|116\d{3})$/ },
  '47': { ...CLOSED, emergency: ['110', '112', '113'] },
  '48': { ...CLOSED, emergency: ['112', '997', '998', '999'], service: EU_116 },
  '49': { ...ZERO, emergency: ['110', '112'], service: /^(115|116\d{3}|118\d{2,3})$/ },
  '52': { ...CLOSED, emergency: ['911'] },
  '61': { ...ZERO, internationalPrefix: '0011', emergency: ['000', '112', '106'] },
  '64': { ...ZERO, emergency: ['111'] },
  '81': { ...ZERO, internationalPrefix: '010', emergency: ['110', '118', '119'] },
  '86': { ...ZERO, emergency: ['110', '119', '120', '122'] },
  '90': { ...ZERO, emergency: ['112'] },
  '91': { ...ZERO, emergency: ['112', '100', '101', '102', '108'] },
  '351': { ...CLOSED, emergency: ['112'], service: EU_116 },
  '352': { ...CLOSED, emergency: ['112', '113'], service: EU_116 },
  '353': { ...ZERO, emergency: ['112', '999'], service: EU_116 },
  '358': { ...ZERO, emergency: ['112'], service: EU_116 },
  '420': { ...CLOSED, emergency: ['112', '150', '155', '158'], service: EU_116 },
  '421': { ...ZERO, emergency: ['112', '150', '155', '158'], service: EU_116 },
  '972': { ...ZERO, emergency: ['112', '100', '101', '102'] },
};

export function conventionsFor(countryCode: string): Conventions {
  const entry = Object.hasOwn(TABLE, countryCode) ? TABLE[countryCode] : undefined;
  return entry === undefined ? DEFAULTS : { ...DEFAULTS, ...entry };
}

/**
 * How many leading digits of an international number (without "+") are its
 * country code. ITU-T E.164 country codes are a prefix code laid out by
 * zone: 1 (North America) and 7 (Russia, Kazakhstan) are one digit; the
 * two-digit codes are listed below; every other code has three digits.
 * Returns 0 when the number cannot start with a country code (0 is no zone).
 */
export function countryCodeLength(digits: string): 0 | 1 | 2 | 3 {
  const zone = digits.charAt(0);
  if (!/^[1-9]$/.test(zone)) return 0;
  if (zone === '1' || zone === '7') return 1;
  return TWO_DIGIT_CODES.has(digits.slice(0, 2)) ? 2 : 3;
}

const TWO_DIGIT_CODES = new Set(
  (
    '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 ' +
    '60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'
  ).split(' '),
);
