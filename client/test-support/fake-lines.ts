/** Lines and colleagues' lines the fake phone (fake-phone.ts) starts with or tests set. */
import type { Location } from '#shared/dialing/location.ts';
import type { ApiColleagueLine, ApiLine, FeatureCode } from '../phone/types.ts';

export const LINE_A: ApiLine = {
  id: 'hfo/201',
  label: 'Sales',
  number: '201',
  registered: true,
  ringing: 0,
  active: 0,
  decline: 'choice',
  dnd: false,
  featureCodes: [],
};
/** A colleague's line of LINE_A's group, picked up with the group's code on LINE_A. */
export const COLLEAGUE: ApiColleagueLine = {
  id: 'hfo/205',
  label: 'Bob',
  number: '205',
  ringing: 0,
  pickup: '*8205',
  viaLine: 'hfo/201',
};
export const LINE_B: ApiLine = {
  id: 'hfo/202',
  label: '202',
  number: '202',
  registered: false,
  ringing: 0,
  active: 0,
  decline: 'choice',
  dnd: false,
  featureCodes: [],
};

/** Feature codes as a line group may offer them (gateway/config/profiles.ts). */
export const FEATURE_CODES: readonly FeatureCode[] = [
  { name: 'Hide my number', code: '*31' },
  { name: 'Forward all calls', code: '*72*<NUMBER>' },
  { name: 'Forward after time', code: '*72*<NUMBER>*<SECONDS>' },
  { name: 'Stop forwarding', code: '*72*' },
];

/** A line group's location (ApiLine.location): a PBX in Munich, +49 89 12345-xxx. */
export const MUNICH: Location = {
  countryCode: '49',
  areaCode: '89',
  outsideLine: '0',
  pbxNumber: '12345',
  extensionDigits: 3,
};
