/**
 * Locations the dialing tests share. Numbers are made up in the ranges the
 * national regulators keep for drama and documentation where they have one
 * (+44 20 7946 0xxx, +1 … 555 01xx, +61 … 5550 xxxx).
 */
import type { Canonical } from './canonical.ts';
import type { Location } from './location.ts';

/** The config contract's example: an on-site PBX in Munich, outside line 0. */
export const munich: Location = {
  countryCode: '49',
  areaCode: '89',
  outsideLine: '0',
  pbxNumber: '12345',
  extensionDigits: 3,
};

/** Seed 004: HFO Crown Centrex, a cloud PBX; always dial the area code. */
export const hfo: Location = {
  countryCode: '49',
  areaCode: '30',
  outsideLine: '',
  pbxNumber: '9876',
  extensionDigits: 2,
  dialAreaCodeLocally: true,
};

export const vienna: Location = {
  countryCode: '43',
  areaCode: '1',
  outsideLine: '0',
  pbxNumber: '5123',
  extensionDigits: 4,
};

export const zurich: Location = {
  countryCode: '41',
  areaCode: '44',
  outsideLine: '0',
  pbxNumber: '2345',
  extensionDigits: 3,
};

export const london: Location = {
  countryCode: '44',
  areaCode: '20',
  outsideLine: '9',
  pbxNumber: '7946',
  extensionDigits: 4,
};

export const newYork: Location = {
  countryCode: '1',
  areaCode: '212',
  outsideLine: '9',
  pbxNumber: '555',
  extensionDigits: 4,
};

export const rome: Location = {
  countryCode: '39',
  areaCode: '06',
  outsideLine: '0',
  pbxNumber: '4567',
  extensionDigits: 3,
};

export const paris: Location = {
  countryCode: '33',
  areaCode: '1',
  outsideLine: '0',
  pbxNumber: '4455',
  extensionDigits: 4,
};

export const madrid: Location = {
  countryCode: '34',
  areaCode: '91',
  outsideLine: '',
  pbxNumber: '',
  extensionDigits: 3,
};

export const budapest: Location = {
  countryCode: '36',
  areaCode: '1',
  outsideLine: '0',
  pbxNumber: '',
  extensionDigits: 3,
};

export const moscow: Location = {
  countryCode: '7',
  areaCode: '495',
  outsideLine: '9',
  pbxNumber: '',
  extensionDigits: 3,
};

export const sydney: Location = {
  countryCode: '61',
  areaCode: '2',
  outsideLine: '0',
  pbxNumber: '5550',
  extensionDigits: 4,
};

export const tokyo: Location = {
  countryCode: '81',
  areaCode: '3',
  outsideLine: '0',
  pbxNumber: '',
  extensionDigits: 3,
};

export const allLocations: Readonly<Record<string, Location>> = {
  munich,
  munichAreaCodeLocally: { ...munich, dialAreaCodeLocally: true },
  munichCloud: { ...munich, outsideLine: '' },
  hfo,
  vienna,
  zurich,
  london,
  newYork,
  newYorkTenDigit: { ...newYork, dialAreaCodeLocally: true },
  rome,
  paris,
  madrid,
  budapest,
  moscow,
  sydney,
  tokyo,
};

/** Munich with 1 to 5 extension digits. */
export const munichWith = (extensionDigits: number): Location => ({ ...munich, extensionDigits });

export const int = (extension: string): Canonical => ({ kind: 'internal', extension });
export const ext = (e164: string): Canonical => ({ kind: 'external', e164 });
export const feature = (dial: string): Canonical => ({
  kind: 'special',
  what: 'feature-code',
  dial,
});
export const emergency = (dial: string): Canonical => ({
  kind: 'special',
  what: 'emergency',
  dial,
});
export const service = (dial: string): Canonical => ({ kind: 'special', what: 'service', dial });
