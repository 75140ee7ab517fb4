import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { featureCodeProblem, fillFeatureCode, paramsOf } from './feature-codes.ts';

describe('feature codes with parameters', () => {
  it('knows which parameters a code asks for', () => {
    assert.deepEqual(paramsOf('*31'), { number: false, seconds: false });
    assert.deepEqual(paramsOf('*72*<NUMBER>'), { number: true, seconds: false });
    assert.deepEqual(paramsOf('*72*<NUMBER>*<SECONDS>'), { number: true, seconds: true });
  });

  it('accepts digits, * and # around at most one of each placeholder', () => {
    for (const ok of [
      '*31',
      '#',
      '*72*<NUMBER>',
      '*72*<NUMBER>*<SECONDS>',
      '<NUMBER>',
      '*9<SECONDS>#',
    ])
      assert.equal(featureCodeProblem(ok), undefined, ok);
    for (const bad of [
      '',
      '*72*<NUMBER><NUMBER>',
      '*1<SECONDS>*<SECONDS>',
      '*7 2',
      '*72*<number>',
      'abc',
      '<OTHER>',
    ])
      assert.notEqual(featureCodeProblem(bad), undefined, bad);
  });

  it('fills the number and the seconds', () => {
    assert.deepEqual(
      fillFeatureCode('*72*<NUMBER>*<SECONDS>', { number: '0891234', seconds: 20 }),
      {
        ok: true,
        dial: '*72*0891234*20',
      },
    );
    assert.deepEqual(fillFeatureCode('*72*<NUMBER>', { number: '+49891234' }), {
      ok: true,
      dial: '*72*+49891234',
    });
    assert.deepEqual(fillFeatureCode('*31', { number: 'ignored' }), { ok: true, dial: '*31' });
  });

  it('names the parameter that is missing or wrong', () => {
    const code = '*72*<NUMBER>*<SECONDS>';
    assert.deepEqual(fillFeatureCode(code, { seconds: 20 }), { ok: false, error: 'number' });
    assert.deepEqual(fillFeatureCode(code, { number: '12a', seconds: 20 }), {
      ok: false,
      error: 'number',
    });
    for (const seconds of [undefined, 0, -5, 1.5, 3601, Number.NaN])
      assert.deepEqual(
        fillFeatureCode(code, { number: '201', seconds }),
        { ok: false, error: 'seconds' },
        String(seconds),
      );
  });
});
