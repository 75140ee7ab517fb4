import { expect } from '@esm-bundle/chai';
import { MUNICH } from '../test-support/fake-lines.ts';
import { asksForParams, codeLabel, fillCode, paramsIn } from './feature-code.ts';

const AFTER_TIME = '*72*<NUMBER>*<SECONDS>';

describe('feature codes with parameters', () => {
  it('shows the gaps of a code readably', () => {
    expect(codeLabel('*31')).to.equal('*31');
    expect(codeLabel('*72*<NUMBER>')).to.equal('*72*…');
    expect(codeLabel(AFTER_TIME)).to.equal('*72*…*…s');
    expect(codeLabel('*9<SECONDS>#')).to.equal('*9…s#');
  });

  it('knows which codes ask for something', () => {
    expect(asksForParams('*31')).to.equal(false);
    expect(asksForParams('*72*<NUMBER>')).to.equal(true);
    expect(asksForParams('*9<SECONDS>#')).to.equal(true);
  });

  it('fills the number, cleaned like the dial field, and the seconds', () => {
    expect(fillCode(AFTER_TIME, { number: '089 / 12 34', seconds: ' 45 ' })).to.deep.equal({
      ok: true,
      dial: '*72*0891234*45',
    });
    expect(fillCode('*72*<NUMBER>', { number: '201' })).to.deep.equal({
      ok: true,
      dial: '*72*201',
    });
    expect(fillCode('<NUMBER>#', { number: '+4989' })).to.deep.equal({
      ok: true,
      dial: '+4989#',
    });
    expect(fillCode('*31', {})).to.deep.equal({ ok: true, dial: '*31' });
  });

  it("puts the number in as the line's PBX dials it, with a location", () => {
    expect(
      fillCode(AFTER_TIME, { number: '+49 89 1234567', seconds: '20' }, undefined, MUNICH),
    ).to.deep.equal({ ok: true, dial: '*72*01234567*20' });
    expect(fillCode('*72*<NUMBER>', { number: '+49 30 1234567' }, undefined, MUNICH)).to.deep.equal(
      { ok: true, dial: '*72*00301234567' },
    );
    expect(
      fillCode('*72*<NUMBER>', { number: '+49 89 12345 207' }, undefined, MUNICH),
    ).to.deep.equal({ ok: true, dial: '*72*207' });
  });

  it('says what is wrong with the number, and where', () => {
    expect(fillCode(AFTER_TIME, { number: '', seconds: '20' })).to.deep.equal({
      ok: false,
      field: 'number',
      error: 'dial.empty',
    });
    expect(fillCode(AFTER_TIME, { number: '089abc', seconds: '20' })).to.deep.include({
      field: 'number',
      error: 'dial.invalid',
    });
    // A "+" only leads: behind "*72*" it cannot be dialled.
    expect(fillCode('*72*<NUMBER>', { number: '+4989' })).to.deep.include({
      field: 'number',
      error: 'featureCodes.invalid',
    });
    // Stars and hashes belong to the code, not to the number.
    expect(fillCode('*72*<NUMBER>', { number: '12*3' })).to.deep.include({
      field: 'number',
      error: 'featureCodes.invalid',
    });
  });

  it('takes whole seconds from 1 to 3600 only', () => {
    for (const seconds of ['', '0', '3601', '2.5', '1e2', '-5', 'ten', undefined]) {
      expect(fillCode(AFTER_TIME, { number: '201', seconds }), String(seconds)).to.deep.equal({
        ok: false,
        field: 'seconds',
        error: 'featureCodes.secondsInvalid',
        params: { min: 1, max: 3600 },
      });
    }
    expect(fillCode(AFTER_TIME, { number: '201', seconds: '3600' })).to.deep.equal({
      ok: true,
      dial: '*72*201*3600',
    });
  });

  it('refuses a result longer than the limit', () => {
    expect(fillCode('*72*<NUMBER>', { number: '0'.repeat(28) }, 32)).to.deep.equal({
      ok: true,
      dial: `*72*${'0'.repeat(28)}`,
    });
    expect(fillCode('*72*<NUMBER>', { number: '0'.repeat(29) }, 32)).to.deep.equal({
      ok: false,
      field: 'number',
      error: 'featureCodes.tooLong',
      params: { max: 32 },
    });
    expect(fillCode('*9<SECONDS>#', { seconds: '20' }, 4)).to.deep.include({
      field: 'seconds',
      error: 'featureCodes.tooLong',
    });
  });

  it('reads the parameters back out of a filled code', () => {
    expect(paramsIn(AFTER_TIME, '*72*0891234*20')).to.deep.equal({
      number: '0891234',
      seconds: '20',
    });
    expect(paramsIn('<SECONDS>#<NUMBER>', '30#+4989')).to.deep.equal({
      number: '+4989',
      seconds: '30',
    });
    expect(paramsIn('*72*', '*72*')).to.deep.equal({});
    expect(paramsIn('*72*', '*72*1')).to.equal(undefined);
    expect(paramsIn('*72*<NUMBER>', '*73*201')).to.equal(undefined);
    expect(paramsIn('#31', '#31')).to.deep.equal({});
  });
});
