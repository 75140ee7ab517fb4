import { expect } from '@esm-bundle/chai';
import { cleanNumber, dialableNumber, dtmfTones, isDialable, sipTarget } from './numbers.ts';
import { PhoneError } from './types.ts';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    return err instanceof PhoneError ? err.code : 'not a PhoneError';
  }
  return undefined;
}

describe('numbers', () => {
  it('cleans what people type or paste', () => {
    expect(cleanNumber(' +49 (89) 123-45.67 ')).to.equal('+4989123456' + '7');
    expect(cleanNumber('tel:+49 89 1234')).to.equal('+49891234');
    expect(cleanNumber('0049\u00a089/1234')).to.equal('0049891234');
    expect(cleanNumber('*21 22')).to.equal('*2122');
  });
  it('accepts digits, * and # and a leading +', () => {
    for (const n of ['22', '+4989123', '*21#', '#21', '*8201', '0', '**']) {
      expect(isDialable(n), n).to.equal(true);
    }
  });
  it('refuses letters, inner +, empties and very long numbers', () => {
    for (const n of ['', '+', 'abc', '12a', '1+2', '++1', 'sip:22@x', '1;2', '1'.repeat(49)]) {
      expect(isDialable(n), n).to.equal(false);
    }
  });
  it('dialableNumber cleans, or throws invalid-number', () => {
    expect(dialableNumber('+49 89 12')).to.equal('+498912');
    expect(codeOf(() => dialableNumber('hello'))).to.equal('invalid-number');
    expect(codeOf(() => dialableNumber('   '))).to.equal('invalid-number');
  });
  it('builds SIP targets, escaping #', () => {
    expect(sipTarget('22', 'gw.example')).to.equal('sip:22@gw.example');
    expect(sipTarget('+4989123', 'gw.example:8443')).to.equal('sip:+4989123@gw.example:8443');
    expect(sipTarget('*21#', 'gw')).to.equal('sip:*21%23@gw');
  });
  it('checks DTMF tones', () => {
    expect(dtmfTones('1 2 3 #')).to.equal('123#');
    expect(dtmfTones('a*b,0')).to.equal('A*B,0');
    expect(codeOf(() => dtmfTones('x'))).to.equal('invalid-number');
    expect(codeOf(() => dtmfTones(''))).to.equal('invalid-number');
  });
});
