import { expect } from '@esm-bundle/chai';
import type { ApiLine } from '../phone/types.ts';
import { LINE_A, LINE_B, MUNICH } from '../test-support/fake-phone.ts';
import { shownNumber, shownParty } from './shown-number.ts';
/** LINE_A at a location in Munich; LINE_B without one. */
const LINES: readonly ApiLine[] = [{ ...LINE_A, location: MUNICH }, LINE_B];

describe('numbers shown at the line’s location', () => {
  it('shows the numbers of a line with a location as people read them there', () => {
    const shown = (raw: string) => shownNumber(raw, LINES, LINE_A.id);
    expect(shown('+49891234567')).to.equal('+49 89 1234567');
    expect(shown('+4930123456')).to.equal('+49 30123456');
    expect(shown('+442079460958')).to.equal('+44 2079460958');
    expect(shown('201')).to.equal('201');
    expect(shown('+498912345201')).to.equal('201');
  });

  it('leaves numbers as they came without a location, and what is no number', () => {
    expect(shownNumber('+49891234567', LINES, LINE_B.id)).to.equal('+49891234567');
    expect(shownNumber('+49891234567', LINES, undefined)).to.equal('+49891234567');
    expect(shownNumber('+49891234567', LINES, 'hfo/999')).to.equal('+49891234567');
    expect(shownNumber('alice', LINES, LINE_A.id)).to.equal('alice');
    expect(shownNumber('', LINES, LINE_A.id)).to.equal('');
  });

  it('maps the number of a party and keeps the rest', () => {
    const bob = { number: '+49891234567', name: 'Bob', anonymous: false };
    expect(shownParty(bob, LINES, LINE_A.id)).to.deep.equal({ ...bob, number: '+49 89 1234567' });
    expect(shownParty(bob, LINES, LINE_B.id) === bob, 'same party without location').to.equal(true);
    const anonymous = { number: '', anonymous: true };
    expect(shownParty(anonymous, LINES, LINE_A.id)).to.deep.equal(anonymous);
  });
});
