import { expect } from '@esm-bundle/chai';
import { headerText, parseDiverted, partyOf } from './headers.ts';

describe('partyOf (From of an incoming INVITE)', () => {
  it('takes number and name', () => {
    expect(
      partyOf({ displayName: 'Bob Baker', user: '+498912345', host: 'gw.example' }),
    ).to.deep.equal({
      number: '+498912345',
      name: 'Bob Baker',
      anonymous: false,
    });
  });
  it('has no name when the display name is missing, empty or just the number', () => {
    const bare = { number: '22', anonymous: false };
    expect(partyOf({ user: '22', host: 'gw' })).to.deep.equal(bare);
    expect(partyOf({ displayName: '  ', user: '22', host: 'gw' })).to.deep.equal(bare);
    expect(partyOf({ displayName: '22', user: '22', host: 'gw' })).to.deep.equal(bare);
  });
  it('withheld: host anonymous.invalid, whatever the name says', () => {
    expect(
      partyOf({ displayName: 'Anonymous', user: 'anonymous', host: 'anonymous.invalid' }),
    ).to.deep.equal({ number: '', anonymous: true });
    expect(partyOf({ displayName: 'X', user: 'x', host: 'Anonymous.Invalid' })).to.deep.equal({
      number: '',
      anonymous: true,
    });
  });
  it('withheld: user "anonymous" at another host keeps a real name', () => {
    expect(partyOf({ displayName: 'Anonymous', user: 'anonymous', host: 'gw' })).to.deep.equal({
      number: '',
      anonymous: true,
    });
    expect(partyOf({ displayName: 'Reception', user: 'Anonymous', host: 'gw' })).to.deep.equal({
      number: '',
      name: 'Reception',
      anonymous: true,
    });
  });
  it('strips control characters and bounds the name', () => {
    const p = partyOf({
      displayName: 'Ev\u0000il\r\nName' + 'x'.repeat(300),
      user: '1',
      host: 'h',
    });
    expect(p.name).to.match(/^EvilName/);
    expect(p.name?.length).to.equal(128);
  });
  it('copes with nothing at all', () => {
    expect(partyOf({})).to.deep.equal({ number: '', anonymous: false });
  });
});

describe('parseDiverted (X-Linegate-Diverted-From)', () => {
  it('reads number and reason', () => {
    expect(parseDiverted('4989123;reason=unconditional')).to.deep.equal({
      number: '4989123',
      reason: 'unconditional',
    });
    expect(parseDiverted(' 22 ; Reason = no-answer ')).to.deep.equal({
      number: '22',
      reason: 'no-answer',
    });
  });
  it('reads a number without reason', () => {
    expect(parseDiverted('+4989123')).to.deep.equal({ number: '+4989123' });
    expect(parseDiverted('+4989123;other=1')).to.deep.equal({ number: '+4989123' });
  });
  it('reads a URI, bracketed or not, by its user', () => {
    expect(parseDiverted('<sip:201@pbx.example;user=phone>;reason=user-busy')).to.deep.equal({
      number: '201',
      reason: 'user-busy',
    });
    expect(parseDiverted('tel:+4989123;reason="deflection"')).to.deep.equal({
      number: '+4989123',
      reason: 'deflection',
    });
    expect(parseDiverted('<sip:%2A21@pbx>')).to.deep.equal({ number: '*21' });
  });
  it('is undefined for nothing usable', () => {
    expect(parseDiverted(undefined)).to.equal(undefined);
    expect(parseDiverted('')).to.equal(undefined);
    expect(parseDiverted(';reason=busy')).to.equal(undefined);
    expect(parseDiverted('<>')).to.equal(undefined);
  });
});

describe('headerText', () => {
  it('trims, drops controls, bounds, and gives undefined for empty', () => {
    expect(headerText('  hfo/22 ')).to.equal('hfo/22');
    expect(headerText('a\u0007b')).to.equal('ab');
    expect(headerText('\t')).to.equal(undefined);
    expect(headerText(undefined)).to.equal(undefined);
    expect(headerText(null)).to.equal(undefined);
    expect(headerText('x'.repeat(500))?.length).to.equal(128);
  });
});
