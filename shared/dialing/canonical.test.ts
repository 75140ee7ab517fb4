import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInternal, toCanonical, type Canonical } from './canonical.ts';
import type { Location } from './location.ts';
import {
  emergency,
  ext,
  feature,
  hfo,
  int,
  london,
  munich,
  munichWith,
  newYork,
  rome,
  service,
} from './test-support.ts';

function table(name: string, loc: Location, cases: [string, Canonical | undefined][]): void {
  describe(`toCanonical at ${name}`, () => {
    for (const [input, expected] of cases) {
      const label = expected === undefined ? 'no number' : JSON.stringify(expected);
      it(`${JSON.stringify(input)} → ${label}`, () =>
        assert.deepEqual(toCanonical(input, loc), expected));
    }
  });
}

table('Munich (outside line 0, +49 89 12345-xxx)', munich, [
  ['201', int('201')],
  ['20', int('20')], // shorter extensions (groups) are internal too
  ['2', int('2')],
  ['999', int('999')],
  ['2 01', int('201')],
  ['1000', ext('+49891000')], // longer than an extension, no prefix: local number
  ['1234567', ext('+49891234567')],
  ['110', emergency('110')], // wins over extension 110
  ['112', emergency('112')],
  ['0112', emergency('0112')], // with the outside line: as typed
  ['0110', emergency('0110')],
  ['911', int('911')], // not an emergency number in Germany
  ['115', int('115')], // an extension wins over a service number
  ['0115', service('0115')],
  ['116117', service('0116117')], // the PBX needs the outside line for it
  ['0116117', service('0116117')],
  ['11833', service('011833')],
  ['*21*0891234#', feature('*21*0891234#')],
  ['#21', feature('#21')],
  ['*990', feature('*990')],
  ['*8201', feature('*8201')],
  ['0*21#', feature('0*21#')],
  ['01234567', ext('+49891234567')], // outside line + local number
  ['0 089 1234567', ext('+49891234567')], // outside line + national number
  ['0 030 1234567', ext('+49301234567')],
  ['0 0171 1234567', ext('+491711234567')],
  ['0 0800 1234567', ext('+498001234567')],
  ['0 0044 20 7946 0958', ext('+442079460958')],
  ['0 001 212 555 0100', ext('+12125550100')],
  ['089 1234567', ext('+4989891234567')], // desk-phone reading: 0 is the outside line
  ['+49 89 1234567', ext('+49891234567')],
  ['+49 (0)89 1234567', ext('+49891234567')],
  ['+49 089 1234567', ext('+49891234567')], // "(0)" without brackets: a slip
  ['+44 020 7946 0958', ext('+442079460958')],
  ['+39 06 1234 5678', ext('+390612345678')], // Italy: the 0 belongs to the number
  ['+33 (0)1 23 45 67 89', ext('+33123456789')],
  ['+1 (212) 555-0100', ext('+12125550100')],
  ['+7 812 123 45 67', ext('+78121234567')], // Russia: 8 starts area codes too
  ['+372 612 3456', ext('+3726123456')],
  ['+49 89 12345 201', int('201')], // the PBX's own DID
  ['+49 (0)89 12345-201', int('201')],
  ['0 12345 201', int('201')],
  ['0 089 12345 201', int('201')],
  ['0 0049 89 12345 201', int('201')],
  ['+49 89 12345 0', ext('+4989123450')], // switchboard: not an extension length
  ['+49 89 12345 2011', ext('+498912345201' + '1')],
  ['+49 89 12345 20', ext('+49891234520')],
  ['+49 30 12345 201', ext('+493012345201')],
  ['+43 89 12345 201', ext('+438912345201')],
  ['+49 1234', ext('+491234')],
  ['+123456789012345', ext('+123456789012345')], // 15 digits
  ['0', undefined], // only the outside line
  ['00', undefined],
  ['000', undefined],
  ['01', undefined], // +49 89 1: too short
  ['+0891234', undefined], // no country code starts with 0
  ['+49', undefined],
  ['+49 123', undefined],
  ['+1234567890123456', undefined], // 16 digits
  ['+49*21', undefined],
  ['+#', undefined],
  ['', undefined],
  ['  ', undefined],
  ['abc', undefined],
  ['anonymous', undefined],
  ['\u202e112', undefined],
]);

table('HFO cloud PBX (no outside line, area code always)', hfo, [
  ['22', int('22')],
  ['5', int('5')],
  ['0', int('0')], // short: an extension, as configured
  ['110', emergency('110')],
  ['112', emergency('112')],
  ['115', service('115')],
  ['116116', service('116116')],
  ['0301234567', ext('+49301234567')],
  ['030 9876 22', int('22')],
  ['9876 22', int('22')],
  ['+49 30 9876 22', int('22')],
  ['+49 30 9876 2', ext('+493098762')],
  ['1234567', ext('+49301234567')],
  ['0891234567', ext('+49891234567')],
  ['089 1234567', ext('+49891234567')], // no ambiguity without an outside line
  ['0049 89 1234567', ext('+49891234567')],
  ['0044 20 7946 0958', ext('+442079460958')],
  ['*8 22', feature('*822')],
  ['*72*0891234567', feature('*72*0891234567')],
  ['*72*', feature('*72*')],
  ['*990', feature('*990')],
  ['00', int('00')], // two digits: an extension by length
  ['000', undefined],
  ['012', undefined],
]);

describe('toCanonical with 1 to 5 extension digits (Munich)', () => {
  const cases: [number, string, Canonical][] = [
    [1, '5', int('5')],
    [1, '55', ext('+498955')],
    [2, '20', int('20')],
    [2, '201', ext('+4989201')],
    [2, '+49 89 12345 20', int('20')],
    [3, '+49 89 12345 20', ext('+49891234520')],
    [4, '2010', int('2010')],
    [4, '20101', ext('+498920101')],
    [4, '+49 89 12345 2010', int('2010')],
    [5, '20101', int('20101')],
    [5, '0 12345 20101', int('20101')],
    [5, '110', emergency('110')],
    [5, '11833', int('11833')], // an extension wins over a service number
  ];
  for (const [digits, input, expected] of cases) {
    it(`${digits} digits: ${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () =>
      assert.deepEqual(toCanonical(input, munichWith(digits)), expected));
  }
});

describe('toCanonical: location details', () => {
  it('reads an area code written with its trunk prefix ("089")', () =>
    assert.deepEqual(
      toCanonical('0 1234567', { ...munich, areaCode: '089' }),
      ext('+49891234567'),
    ));
  it('keeps Rome\'s "06" as it is', () =>
    assert.deepEqual(toCanonical('0 06 1234567', rome), ext('+39061234567')));
  it('reads what is typed as national in a closed plan (no local dialing)', () =>
    assert.deepEqual(toCanonical('0 4567 201', rome), ext('+394567201')));
  it('takes a country code written as "+49"', () =>
    assert.deepEqual(
      toCanonical('0 1234567', { ...munich, countryCode: '+49' }),
      ext('+49891234567'),
    ));
  it('has no own range without a PBX number', () =>
    assert.deepEqual(toCanonical('+49 89 201', { ...munich, pbxNumber: '' }), ext('+4989201')));
  it('reads local numbers as national ones without an area code', () =>
    assert.deepEqual(toCanonical('0 1234567', { ...munich, areaCode: '' }), ext('+491234567')));
  it('has no extensions with extensionDigits 0', () =>
    assert.deepEqual(toCanonical('201', { ...munich, extensionDigits: 0 }), ext('+4989201')));
  it('takes an outside line of two characters', () =>
    assert.deepEqual(
      toCanonical('*0 0891234567', { ...munich, outsideLine: '*0' }),
      ext('+49891234567'),
    ));
});

describe('isInternal (forwarding rules: internal vs external calls)', () => {
  const cases: [Location, string, boolean][] = [
    [munich, '201', true],
    [munich, '20', true],
    [munich, '+498912345201', true],
    [munich, '+49 89 12345 201', true],
    [munich, '012345201', true],
    [munich, '0201', false], // outside line + local 201
    [munich, '2011', false],
    [munich, '1000', false],
    [munich, '112', false],
    [munich, '110', false],
    [munich, '*21', false],
    [munich, '', false], // anonymous: external
    [munich, 'anonymous', false],
    [munich, '+49891234567', false],
    [munich, '+4989123450', false],
    [hfo, '22', true],
    [hfo, '+4930987622', true],
    [hfo, '030987622', true],
    [hfo, '0301234567', false],
    [london, '0958', true],
    [london, '90958', false],
    [london, '+442079460958', true],
    [newYork, '2125550100', true],
    [newYork, '+14155552671', false],
  ];
  for (const [loc, caller, expected] of cases) {
    it(`${JSON.stringify(caller)} at ${loc.countryCode}/${loc.areaCode} → ${expected}`, () =>
      assert.equal(isInternal(caller, loc), expected));
  }
});
