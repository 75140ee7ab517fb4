/**
 * toCanonical at locations outside Germany: other trunk and international
 * prefixes, closed numbering plans, other emergency and service numbers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCanonical, type Canonical } from './canonical.ts';
import type { Location } from './location.ts';
import {
  budapest,
  emergency,
  ext,
  int,
  london,
  madrid,
  moscow,
  newYork,
  paris,
  rome,
  service,
  sydney,
  tokyo,
  vienna,
  zurich,
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

table('Vienna (outside line 0, 4-digit extensions)', vienna, [
  ['1234', int('1234')],
  ['133', emergency('133')],
  ['144', emergency('144')],
  ['122', emergency('122')],
  ['0 01 234 5678', ext('+4312345678')],
  ['0 234 5678', ext('+4312345678')],
  ['0 0664 123 4567', ext('+436641234567')],
  ['0 0049 89 1234567', ext('+49891234567')],
  ['+43 1 5123 1000', int('1000')],
  ['+43 (0)1 234 5678', ext('+4312345678')],
]);

table('Zurich (area code always dialled)', zurich, [
  ['201', int('201')],
  ['117', emergency('117')],
  ['144', emergency('144')],
  ['0 044 123 45 67', ext('+41441234567')],
  ['0 123 45 67', ext('+41441234567')],
  ['+41 44 2345 201', int('201')],
]);

table('London (outside line 9)', london, [
  ['0958', int('0958')],
  ['999', emergency('999')], // wins over a 4-digit plan anyway
  ['9999', emergency('9999')],
  ['9112', emergency('9112')],
  ['101', int('101')],
  ['9101', service('9101')],
  ['9 118 118', service('9118118')],
  ['9 020 7123 4567', ext('+442071234567')],
  ['9 7123 4567', ext('+442071234567')],
  ['9 07700 900123', ext('+447700900123')],
  ['9 00 49 89 1234567', ext('+49891234567')],
  ['020 7123 4567', ext('+442071234567')], // without the 9: national
  ['+44 20 7946 0958', int('0958')],
  ['+44 (0)20 7946 0958', int('0958')],
  ['9 020 7946 0958', int('0958')],
]);

table('New York (outside line 9, trunk 1, 011 abroad)', newYork, [
  ['0100', int('0100')],
  ['911', emergency('911')],
  ['9911', emergency('9911')],
  ['9 411', service('9411')],
  ['9 988', service('9988')],
  ['9 1 415 555 2671', ext('+14155552671')],
  ['9 415 555 2671', ext('+14155552671')], // ten digits: national
  ['9 736 0000', ext('+12127360000')], // seven digits: local
  ['9 011 49 89 1234567', ext('+49891234567')],
  ['9 011 44 20 7946 0958', ext('+442079460958')],
  ['+1 212 555 0100', int('0100')],
  ['9 1 212 555 0100', int('0100')],
  ['212 555 0100', int('0100')],
  ['+1 415 555 2671', ext('+14155552671')],
]);

table('Rome (closed plan: the 0 is part of the number)', rome, [
  ['201', int('201')],
  ['113', emergency('113')],
  ['118', emergency('118')],
  ['0 06 1234 5678', ext('+390612345678')],
  ['0 347 123 4567', ext('+393471234567')],
  ['0 0049 89 1234567', ext('+49891234567')],
  ['+39 06 4567 201', int('201')],
  ['0 06 4567 201', int('201')],
]);

table('Paris', paris, [
  ['1234', int('1234')],
  ['15', emergency('15')],
  ['17', emergency('17')],
  ['18', emergency('18')],
  ['0 01 23 45 67 89', ext('+33123456789')],
  ['0 23 45 67 89', ext('+33123456789')],
  ['0 06 12 34 56 78', ext('+33612345678')],
  ['+33 1 4455 1234', int('1234')],
]);

table('Madrid (closed plan, no outside line)', madrid, [
  ['201', int('201')],
  ['091', emergency('091')],
  ['112', emergency('112')],
  ['912 345 678', ext('+34912345678')],
  ['612 345 678', ext('+34612345678')],
  ['0049 89 1234567', ext('+49891234567')],
]);

table('Budapest (trunk prefix 06)', budapest, [
  ['107', emergency('107')],
  ['0 06 1 234 5678', ext('+3612345678')],
  ['0 06 30 123 4567', ext('+36301234567')],
  ['0 234 5678', ext('+3612345678')],
  ['0 00 49 89 1234567', ext('+49891234567')],
]);

table('Moscow (trunk 8, 810 abroad, outside line 9)', moscow, [
  ['103', emergency('103')],
  ['9 8 495 123 45 67', ext('+74951234567')],
  ['9 8 812 123 45 67', ext('+78121234567')],
  ['9 810 49 89 1234567', ext('+49891234567')],
  ['9 123 45 67', ext('+74951234567')],
]);

table('Sydney (0011 abroad, emergency 000)', sydney, [
  ['000', emergency('000')], // starts with the outside line, still emergency
  ['0000', emergency('0000')],
  ['112', emergency('112')],
  ['0 02 5550 1234', int('1234')],
  ['0 5550 4321', int('4321')],
  ['0 03 5550 1234', ext('+61355501234')],
  ['0 0011 49 89 1234567', ext('+49891234567')],
  ['+61 2 5550 1234', int('1234')],
  ['+61 (0)2 5550 1234', int('1234')],
]);

table('Tokyo (010 abroad)', tokyo, [
  ['110', emergency('110')],
  ['119', emergency('119')],
  ['0 03 1234 5678', ext('+81312345678')],
  ['0 010 49 89 1234567', ext('+49891234567')],
  ['+81 (0)3 1234 5678', ext('+81312345678')],
]);
