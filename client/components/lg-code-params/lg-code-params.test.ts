import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { setLocalePref } from '../../i18n/index.ts';
import { CallHistory } from '../../app/history.ts';
import type { FeatureCode } from '../../phone/types.ts';
import { $, $$, cleanup, deepActive, mount, text } from '../../test-support/helpers.ts';
import { LgCodeParams } from './lg-code-params.ts';

const AFTER_TIME: FeatureCode = { name: 'Forward after time', code: '*72*<NUMBER>*<SECONDS>' };
const KEY = 'linegate.history.code-params-test';

async function fields(code: FeatureCode, opts: { maxLength?: number } = {}) {
  localStorage.removeItem(KEY);
  const el = new LgCodeParams();
  el.code = code;
  el.history = new CallHistory(KEY);
  el.maxLength = opts.maxLength;
  let submits = 0;
  el.addEventListener('lg-code-submit', () => submits++);
  await mount(el);
  return { el, history: el.history, submits: () => submits };
}

const numberInput = (el: LgCodeParams) => $($(el, 'lg-number-input'), 'input') as HTMLInputElement;
const secondsInput = (el: LgCodeParams) => $(el, 'input.seconds') as HTMLInputElement;
const alertText = (el: LgCodeParams) => text($(el, '[role=alert]'));

function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

describe('lg-code-params', () => {
  beforeEach(() => setLocalePref('en'));
  afterEach(cleanup);

  it('asks only for what the code has', async () => {
    const { el } = await fields({ name: 'Forward', code: '*72*<NUMBER>' });
    expect($$(el, 'lg-number-input')).to.have.length(1);
    expect($$(el, 'input.seconds')).to.have.length(0);
    el.code = { name: 'Delay', code: '*9<SECONDS>#' };
    await el.updateComplete;
    expect($$(el, 'lg-number-input')).to.have.length(0);
    expect(secondsInput(el).value).to.equal('20');
    el.code = { name: 'Hide', code: '*31' };
    await el.updateComplete;
    expect($$(el, 'input')).to.have.length(0);
    expect(el.fill()).to.equal('*31');
  });

  it('fills the code with the number and the seconds', async () => {
    const { el } = await fields(AFTER_TIME);
    type(numberInput(el), '0891234');
    await el.updateComplete;
    type(secondsInput(el), '90');
    expect(el.fill()).to.equal('*72*0891234*90');
  });

  it('says what is wrong and puts the keyboard into that field', async () => {
    const { el } = await fields(AFTER_TIME);
    expect(el.fill()).to.equal(undefined);
    await el.updateComplete;
    expect(alertText(el)).to.equal('Enter a number first.');
    expect(deepActive() === numberInput(el), 'number focused').to.equal(true);
    type(numberInput(el), '201');
    await el.updateComplete;
    expect(alertText(el)).to.equal('');
    type(secondsInput(el), '0');
    expect(el.fill()).to.equal(undefined);
    await el.updateComplete;
    expect(alertText(el)).to.equal('Enter whole seconds from 1 to 3600.');
    expect(secondsInput(el).getAttribute('aria-invalid')).to.equal('true');
    expect(deepActive() === secondsInput(el), 'seconds focused').to.equal(true);
  });

  it('keeps to a length limit', async () => {
    const { el } = await fields({ name: 'Forward', code: '*72*<NUMBER>' }, { maxLength: 12 });
    type(numberInput(el), '089123456789');
    await el.updateComplete;
    expect(el.fill()).to.equal(undefined);
    await el.updateComplete;
    expect(alertText(el)).to.equal('The code would be too long: at most 12 characters.');
  });

  it('starts with given values, and keeps typed ones while the same code comes anew', async () => {
    const { el } = await fields(AFTER_TIME);
    el.initial = { number: '201', seconds: '30' };
    await el.updateComplete;
    expect(numberInput(el).value).to.equal('201');
    expect(secondsInput(el).value).to.equal('30');
    type(secondsInput(el), '45');
    el.code = { ...AFTER_TIME };
    el.initial = { number: '201', seconds: '30' };
    await el.updateComplete;
    expect(secondsInput(el).value).to.equal('45');
    el.code = { name: 'Other', code: '*73*<NUMBER>*<SECONDS>' };
    await el.updateComplete;
    expect(secondsInput(el).value).to.equal('30');
  });

  it('Enter in a field asks the holder to go on', async () => {
    const { el, submits } = await fields(AFTER_TIME);
    el.focus();
    await sendKeys({ type: '201' });
    await sendKeys({ press: 'Enter' });
    expect(submits()).to.equal(1);
    secondsInput(el).focus();
    await sendKeys({ press: 'Enter' });
    expect(submits()).to.equal(2);
  });

  it('suggests numbers from the history', async () => {
    const { el, history } = await fields(AFTER_TIME);
    history.add({
      id: 'h1',
      direction: 'outgoing',
      number: '0891234',
      name: 'Bob',
      startedAt: 1,
      endedAt: 2,
      reason: 'local-hangup',
    });
    el.focus();
    await sendKeys({ type: '089' });
    await el.updateComplete;
    const field = el.shadowRoot?.querySelector('lg-number-input');
    if (!field) throw new Error('no number field');
    await field.updateComplete;
    expect($$(field, 'ul button').map(text)).to.deep.equal(['Bob 0891234']);
  });

  it('speaks German', async () => {
    setLocalePref('de');
    const { el } = await fields(AFTER_TIME);
    expect(text(secondsInput(el).labels![0]!)).to.equal('Sekunden für „Forward after time“');
    type(numberInput(el), '201');
    type(secondsInput(el), '9999');
    el.fill();
    await el.updateComplete;
    expect(alertText(el)).to.equal('Ganze Sekunden von 1 bis 3600 eingeben.');
  });
});
