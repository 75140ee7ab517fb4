import { expect } from '@esm-bundle/chai';
import { cleanNumber, cleanTyped, numberFromUri } from './number.ts';

describe('cleanNumber', () => {
  const ok: readonly (readonly [string, string])[] = [
    ['+49 (89) 1234-56', '+4989123456'],
    ['+49 (0)89 1234 56', '+4989123456'],
    ['0049 (0) 89 / 12 34 56', '004989123456'],
    ['089/123.456', '089123456'],
    ['(089) 123\u00a0456', '089123456'],
    ['  201  ', '201'],
    ['*21#', '*21#'],
    ['#21', '#21'],
    ['+1 (555) 010\u20110199', '+15550100199'],
    ['[030] 1234–5678', '03012345678'],
    ['tel:+49-89-123456', '+4989123456'],
    ['tel:%2B4989123', '+4989123'],
    ['TEL:+4989123;phone-context=example.com', '+4989123'],
    ['sip:201@pbx.example.com', '201'],
    ['sips:+4989123@pbx.example.com;user=phone', '+4989123'],
    ['callto://0891234', '0891234'],
  ];
  for (const [input, expected] of ok) {
    it(`"${input}" → "${expected}"`, () => {
      expect(cleanNumber(input)).to.deep.equal({ ok: true, number: expected });
    });
  }

  const bad: readonly (readonly [string, 'empty' | 'invalid'])[] = [
    ['', 'empty'],
    ['  - ( ) ', 'empty'],
    ['0800-FLOWERS', 'invalid'],
    ['abc', 'invalid'],
    ['49+89', 'invalid'],
    ['++49', 'invalid'],
    ['sip:alice@example.com', 'invalid'],
    ['089 123 ext. 4', 'invalid'],
  ];
  for (const [input, error] of bad) {
    it(`refuses "${input}" (${error})`, () => {
      expect(cleanNumber(input)).to.deep.equal({ ok: false, error });
    });
  }
});

describe('numberFromUri', () => {
  it('leaves plain text alone', () => {
    expect(numberFromUri('+49 89')).to.equal('+49 89');
  });
});

describe('cleanTyped', () => {
  it('drops punctuation while typing and refuses letters', () => {
    expect(cleanTyped('089 12-3')).to.equal('08912' + '3');
    expect(cleanTyped('+49 (89)')).to.equal('+4989');
    expect(cleanTyped('08a')).to.equal(undefined);
    expect(cleanTyped('')).to.equal('');
  });
});
