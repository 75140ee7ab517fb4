import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Canonical } from './canonical.ts';
import { dialable, toDialString, type DialFailure } from './dial.ts';
import type { Location } from './location.ts';
import {
  budapest,
  hfo,
  london,
  madrid,
  moscow,
  munich,
  munichWith,
  newYork,
  paris,
  rome,
  sydney,
  tokyo,
  vienna,
  zurich,
} from './test-support.ts';

function table(name: string, loc: Location, cases: [string, string][]): void {
  describe(`dialable at ${name}`, () => {
    for (const [input, dial] of cases) {
      it(`${JSON.stringify(input)} → ${dial}`, () => {
        const r = dialable(input, loc);
        assert.ok(r.ok, r.ok ? '' : r.reason);
        assert.equal(r.dial, dial);
      });
    }
  });
}

table('Munich (outside line 0)', munich, [
  ['201', '201'],
  ['+49 89 12345 201', '201'],
  ['0 12345 201', '201'],
  ['+49 89 1234567', '01234567'], // own area: no area code
  ['+49 (0)89 1234-567', '01234567'],
  ['0 089 1234567', '01234567'],
  ['0 1234567', '01234567'],
  ['1234567', '01234567'], // no outside line typed: added
  ['+49 30 1234567', '00301234567'],
  ['+49 171 1234567', '001711234567'],
  ['0049 30 1234567', '0049301234567'], // desk-phone reading: 0 + national 049…
  ['+44 20 7946 0958', '000442079460958'],
  ['+1 212 555 0100', '00012125550100'],
  ['+49 89 12345 0', '0123450'], // the switchboard
  ['+4989112', '0089112'], // local 112 would be the emergency number: with area code
  ['+4989 201', '0201'],
  ['112', '112'],
  ['0112', '0112'],
  ['110', '110'],
  ['116117', '0116117'],
  ['*21*0891234#', '*21*0891234#'],
  ['#21', '#21'],
  ['*8201', '*8201'],
]);

table('Munich, area code always', { ...munich, dialAreaCodeLocally: true }, [
  ['+49 89 1234567', '00891234567'],
  ['01234567', '00891234567'],
  ['+49 30 1234567', '00301234567'],
  ['+49 89 12345 201', '201'],
]);

table('Munich behind a cloud PBX (no outside line)', { ...munich, outsideLine: '' }, [
  ['+49 89 1234567', '1234567'],
  ['+49 89 123', '089123'], // "123" would be an extension
  ['+49 89 1234', '1234'],
  ['+49 89 110', '089110'], // "110" would be the police
  ['+49 89 11833', '08911833'], // "11833" would be directory enquiries
  ['+49 30 1234567', '0301234567'],
  ['+44 20 7946 0958', '00442079460958'],
  ['116117', '116117'],
]);

table('HFO cloud PBX (seed 004)', hfo, [
  ['1234567', '0301234567'],
  ['030 1234567', '0301234567'],
  ['+49 30 1234567', '0301234567'],
  ['+49 30 9876 22', '22'],
  ['22', '22'],
  ['0891234567', '0891234567'],
  ['+49 89 1234567', '0891234567'],
  ['+43 1 234 5678', '004312345678'],
  ['115', '115'],
  ['*72*0891234567', '*72*0891234567'],
  ['*990', '*990'],
]);

table('Vienna', vienna, [
  ['+43 1 234 5678', '02345678'],
  ['+43 664 1234567', '006641234567'],
  ['+49 89 1234567', '00049891234567'],
  ['+43 1 5123 1000', '1000'],
  ['133', '133'],
]);

table('Zurich (area code always, by country)', zurich, [
  ['+41 44 123 45 67', '00441234567'],
  ['0 123 45 67', '00441234567'],
  ['+41 31 123 45 67', '00311234567'],
]);

table('London (outside line 9)', london, [
  ['+44 20 7123 4567', '971234567'],
  ['+44 7700 900123', '907700900123'],
  ['+49 89 1234567', '90049891234567'],
  ['+44 20 7946 0958', '0958'],
  ['+1 212 555 0100', '90012125550100'],
  ['999', '999'],
  ['118 118', '9118118'],
]);

table('New York (outside line 9)', newYork, [
  ['+1 212 736 0000', '97360000'],
  ['+1 415 555 2671', '914155552671'],
  ['+49 89 1234567', '901149891234567'],
  ['+1 212 555 0100', '0100'],
  ['911', '911'],
]);

table('New York, 10-digit local dialing', { ...newYork, dialAreaCodeLocally: true }, [
  ['+1 212 736 0000', '92127360000'], // area code without the 1
  ['736 0000', '92127360000'],
  ['+1 415 555 2671', '914155552671'],
]);

table('Rome (closed plan)', rome, [
  ['+39 06 1234 5678', '00612345678'],
  ['+39 347 1234567', '03471234567'],
  ['+49 89 1234567', '00049891234567'],
  ['+39 06 4567 201', '201'],
]);

table('Paris (area code always)', paris, [
  ['+33 1 23 45 67 89', '00123456789'],
  ['0 23 45 67 89', '00123456789'],
  ['+33 6 12 34 56 78', '00612345678'],
  ['18', '18'],
]);

table('Madrid (closed plan, no outside line)', madrid, [
  ['+34 91 234 56 78', '912345678'],
  ['+34 612 345 678', '612345678'],
  ['+49 89 1234567', '0049891234567'],
]);

table('Budapest (trunk 06)', budapest, [
  ['+36 1 234 5678', '02345678'],
  ['+36 30 123 4567', '006301234567'],
  ['+49 89 1234567', '00049891234567'],
]);

table('Moscow (trunk 8, 810 abroad)', moscow, [
  ['+7 495 123 45 67', '91234567'],
  ['+7 812 123 45 67', '988121234567'],
  ['+49 89 1234567', '981049891234567'],
]);

table('Sydney (0011 abroad)', sydney, [
  ['+61 2 9876 5432', '098765432'],
  ['+61 3 9876 5432', '00398765432'],
  ['+49 89 1234567', '0001149891234567'],
  ['000', '000'],
  ['+61 2 5550 1234', '1234'],
]);

table('Tokyo (010 abroad)', tokyo, [
  ['+49 89 1234567', '001049891234567'],
  ['+81 3 1234 5678', '012345678'],
  ['+81 6 1234 5678', '00612345678'],
]);

describe('dialable with 1 to 5 extension digits (Munich, no outside line)', () => {
  const cases: [number, string, string][] = [
    [1, '+49 89 12', '12'],
    [2, '+49 89 12', '08912'], // "12" is an extension now
    [3, '+49 89 1234', '1234'],
    [4, '+49 89 1234', '0891234'],
    [5, '+49 89 12345', '08912345'],
    [5, '+49 89 123456', '123456'],
    [5, '+49 89 12345 20101', '20101'],
  ];
  for (const [digits, input, dial] of cases) {
    it(`${digits} digits: ${JSON.stringify(input)} → ${dial}`, () => {
      const r = dialable(input, { ...munichWith(digits), outsideLine: '' });
      assert.ok(r.ok, r.ok ? '' : r.reason);
      assert.equal(r.dial, dial);
    });
  }
});

describe('dialable: refusals name their reason', () => {
  const cases: [string, DialFailure][] = [
    ['', 'empty'],
    [' ( ) - ', 'empty'],
    ['0800-FLOWERS', 'invalid-characters'],
    ['\u202e112', 'invalid-characters'],
    ['1'.repeat(33), 'too-long'],
    ['0', 'invalid-number'],
    ['00', 'invalid-number'],
    ['+0123456', 'invalid-number'],
    ['+49', 'invalid-number'],
    ['+49 #21', 'invalid-number'],
    ['+1234567890123456', 'invalid-number'],
  ];
  for (const [input, reason] of cases) {
    it(`${JSON.stringify(input)} → ${reason}`, () =>
      assert.deepEqual(dialable(input, munich), { ok: false, reason }));
  }
  it('returns the canonical form with the dial string', () =>
    assert.deepEqual(dialable('+49 30 1234567', munich), {
      ok: true,
      dial: '00301234567',
      canonical: { kind: 'external', e164: '+49301234567' },
    }));
});

describe('toDialString of canonical forms built by hand', () => {
  const cases: [Canonical, string][] = [
    [{ kind: 'internal', extension: '201' }, '201'],
    [{ kind: 'external', e164: '+49891234567' }, '01234567'],
    [{ kind: 'external', e164: '+498912345201' }, '201'], // own range found here too
    [{ kind: 'external', e164: '+490891234567' }, '01234567'],
    [{ kind: 'special', what: 'feature-code', dial: '*21#' }, '*21#'],
    [{ kind: 'special', what: 'emergency', dial: '112' }, '112'],
    [{ kind: 'external', e164: '+0123' }, ''], // no valid number: nothing to dial
    [{ kind: 'external', e164: '49891234567' }, ''], // no "+"
    [{ kind: 'external', e164: '+112' }, ''],
    [{ kind: 'external', e164: '' }, ''],
    [{ kind: 'internal', extension: 'abc' }, ''],
    [{ kind: 'internal', extension: '' }, ''],
    [{ kind: 'special', what: 'feature-code', dial: '*21\u0000#' }, ''],
  ];
  for (const [canonical, dial] of cases) {
    it(`${JSON.stringify(canonical)} → ${JSON.stringify(dial)}`, () =>
      assert.equal(toDialString(canonical, munich), dial));
  }
});
