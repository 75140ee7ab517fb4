import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conventionsFor, countryCodeLength } from './conventions.ts';
import { resolveLocation } from './location.ts';
import { munich } from './test-support.ts';

describe('countryCodeLength (ITU-T E.164 zones)', () => {
  const cases: [string, number][] = [
    ['12125550100', 1], // North America
    ['14165550100', 1], // Canada shares +1
    ['18765550100', 1], // Jamaica too
    ['74951234567', 1], // Russia
    ['77011234567', 1], // Kazakhstan shares +7
    ['201234567', 2], // Egypt
    ['27211234567', 2], // South Africa
    ['211912345678', 3], // South Sudan
    ['2991234', 3], // Greenland
    ['301234567', 2],
    ['33123456789', 2],
    ['351212345678', 3], // Portugal
    ['3531234567', 3], // Ireland
    ['3726123456', 3], // Estonia
    ['380441234567', 3], // Ukraine
    ['390612345678', 2],
    ['4202123456', 3], // Czechia
    ['4212123456', 3], // Slovakia
    ['43112345678', 2],
    ['442079460958', 2],
    ['49891234567', 2],
    ['5011234567', 3], // Belize
    ['5511234567890', 2], // Brazil
    ['59112345678', 3], // Bolivia
    ['61255501234', 2],
    ['6701234567', 3], // Timor-Leste
    ['81312345678', 2],
    ['8001234567', 3], // international freephone +800
    ['85212345678', 3], // Hong Kong
    ['8613812345678', 2],
    ['88612345678', 3], // Taiwan
    ['901234567890', 2],
    ['9611234567', 3], // Lebanon
    ['972212345678', 3], // Israel
    ['981234567890', 2], // Iran
    ['998712345678', 3], // Uzbekistan
    ['0891234', 0],
    ['', 0],
    ['*21', 0],
  ];
  for (const [digits, length] of cases) {
    it(`${JSON.stringify(digits)} → ${length}`, () =>
      assert.equal(countryCodeLength(digits), length));
  }
});

describe('conventionsFor', () => {
  it('gives Germany trunk 0, 00 abroad, 110 and 112', () => {
    const de = conventionsFor('49');
    assert.equal(de.trunkPrefix, '0');
    assert.equal(de.internationalPrefix, '00');
    assert.deepEqual([...de.emergency].sort(), ['110', '112']);
    assert.ok(de.service?.test('116117'));
    assert.ok(de.service?.test('11833'));
    assert.equal(de.service?.test('1183'), false);
  });
  it('gives an unknown country the common defaults', () => {
    const c = conventionsFor('998');
    assert.equal(c.trunkPrefix, '0');
    assert.equal(c.internationalPrefix, '00');
    assert.deepEqual(c.emergency, ['112']);
    assert.equal(c.trunkNeverInNationalNumber, false);
  });
  it('does not read inherited keys as countries', () => {
    assert.equal(conventionsFor('constructor').internationalPrefix, '00');
    assert.equal(conventionsFor('__proto__').internationalPrefix, '00');
  });
  const prefixes: [string, string, string][] = [
    ['1', '1', '011'],
    ['7', '8', '810'],
    ['36', '06', '00'],
    ['39', '', '00'],
    ['34', '', '00'],
    ['61', '0', '0011'],
    ['81', '0', '010'],
    ['44', '0', '00'],
  ];
  for (const [cc, trunk, intl] of prefixes) {
    it(`+${cc}: trunk "${trunk}", abroad "${intl}"`, () => {
      assert.equal(conventionsFor(cc).trunkPrefix, trunk);
      assert.equal(conventionsFor(cc).internationalPrefix, intl);
    });
  }
  it('never lets the trunk prefix start the international prefix the wrong way round', () => {
    // The international prefix is tested first; a trunk prefix that is a
    // prefix of it is fine ("0" / "00"), the reverse would hide it.
    for (const cc of ['1', '7', '27', '30', '33', '36', '39', '44', '49', '61', '81', '420']) {
      const { trunkPrefix, internationalPrefix } = conventionsFor(cc);
      assert.ok(trunkPrefix === '' || !trunkPrefix.startsWith(internationalPrefix), cc);
    }
  });
});

describe('resolveLocation', () => {
  it('drops a trunk prefix written into the area code', () =>
    assert.equal(resolveLocation({ ...munich, areaCode: '089' }).areaCode, '89'));
  it("keeps a closed plan's leading 0", () =>
    assert.equal(resolveLocation({ ...munich, countryCode: '39', areaCode: '06' }).areaCode, '06'));
  it('takes "+49" and "0049" as country code 49', () => {
    assert.equal(resolveLocation({ ...munich, countryCode: '+49' }).countryCode, '49');
    assert.equal(resolveLocation({ ...munich, countryCode: '0049' }).countryCode, '49');
  });
  it('dials the area code locally when configured, or where the country demands it', () => {
    assert.equal(resolveLocation(munich).areaCodeLocally, false);
    assert.equal(resolveLocation({ ...munich, dialAreaCodeLocally: true }).areaCodeLocally, true);
    assert.equal(resolveLocation({ ...munich, countryCode: '33' }).areaCodeLocally, true);
    assert.equal(resolveLocation({ ...munich, countryCode: '39' }).areaCodeLocally, true);
  });
  it('treats a broken extension length as no extensions', () => {
    assert.equal(resolveLocation({ ...munich, extensionDigits: -1 }).extensionDigits, 0);
    assert.equal(resolveLocation({ ...munich, extensionDigits: 2.5 }).extensionDigits, 0);
    assert.equal(resolveLocation({ ...munich, extensionDigits: Number.NaN }).extensionDigits, 0);
  });
});
