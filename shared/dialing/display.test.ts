import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayNumber } from './display.ts';
import type { Location } from './location.ts';
import { hfo, london, madrid, munich, newYork, paris, rome, tokyo } from './test-support.ts';

function table(name: string, loc: Location, cases: [string, string][]): void {
  describe(`displayNumber at ${name}`, () => {
    for (const [raw, shown] of cases) {
      const label = raw.length > 40 ? `${JSON.stringify(raw.slice(0, 20))}…` : JSON.stringify(raw);
      it(`${label} → ${JSON.stringify(shown)}`, () => assert.equal(displayNumber(raw, loc), shown));
    }
  });
}

table('Munich (outside line 0, +49 89 12345-xxx)', munich, [
  ['201', '201'],
  ['20', '20'],
  ['+498912345201', '201'], // internal callers as their extension
  ['012345201', '201'],
  ['+49891234567', '+49 89 1234567'], // own area: grouped
  ['+49 (0)89 1234567', '+49 89 1234567'],
  ['+490891234567', '+49 89 1234567'],
  ['01234567', '+49 89 1234567'], // as the PBX presents it: outside line + local
  ['00301234567', '+49 301234567'], // another area: no area-code table
  ['+49301234567', '+49 301234567'],
  ['+491711234567', '+49 1711234567'],
  ['+4989123450', '+49 89 123450'], // the switchboard
  ['+442079460958', '+44 2079460958'],
  ['+12125550100', '+1 2125550100'],
  ['+78121234567', '+7 8121234567'],
  ['+3726123456', '+372 6123456'], // three-digit country code
  ['+353 1 234 5678', '+353 12345678'],
  ['+8613812345678', '+86 13812345678'],
  ['1234567', '+49 89 1234567'],
  ['112', '112'],
  ['*31', '*31'],
  ['+0123', '+0123'], // no valid number: shown cleaned
  ['+1234567890123456', '+1234567890123456'],
  ['0', '0'],
  ['', ''],
  ['   ', ''],
  ['anonymous', ''],
  ['Anonymous', ''],
  ['unknown', ''],
  ['restricted', ''],
  ['sip:alice@example.com', ''],
  ['\u202e1234', ''], // never shown in another order than dialled
  ['089\u00001234', ''],
  ['a'.repeat(1000), ''],
  ['1'.repeat(40), ''],
]);

table('HFO cloud PBX', hfo, [
  ['22', '22'],
  ['+4930987622', '22'],
  ['0301234567', '+49 30 1234567'],
  ['1234567', '+49 30 1234567'],
  ['0891234567', '+49 891234567'],
  ['+49 89 1234567', '+49 891234567'],
  ['0044 20 7946 0958', '+44 2079460958'],
]);

table('London', london, [
  ['0958', '0958'],
  ['+442079460958', '0958'],
  ['+442071234567', '+44 20 71234567'],
  ['02071234567', '+44 20 71234567'],
  ['+447700900123', '+44 7700900123'],
  ['+49891234567', '+49 891234567'],
]);

table('New York', newYork, [
  ['+12127360000', '+1 212 7360000'],
  ['+14155552671', '+1 4155552671'],
  ['4155552671', '+1 4155552671'],
  ['+12125550100', '0100'],
]);

table('Rome (area code with its 0)', rome, [
  ['+390612345678', '+39 06 12345678'],
  ['+393471234567', '+39 3471234567'],
]);

table('Paris', paris, [['+33123456789', '+33 1 23456789']]);
table('Madrid', madrid, [['+34912345678', '+34 91 2345678']]);
table('Tokyo', tokyo, [['+81312345678', '+81 3 12345678']]);

describe('displayNumber: output is safe to show', () => {
  it('holds only digits, "+", "*", "#" and spaces', () => {
    const inputs = ['+49891234567', '0 0044 20 7946 0958', '*21#', '\u202d+1 212 555 0100\u202c'];
    for (const raw of inputs) assert.match(displayNumber(raw, munich), /^[0-9+*# ]*$/);
  });
});
