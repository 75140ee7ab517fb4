import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { setLocalePref } from '../../i18n/index.ts';
import { CallHistory } from '../../app/history.ts';
import { FakePhone } from '../../test-support/fake-phone.ts';
import { $, button, cleanup, mount, settle, text, until } from '../../test-support/helpers.ts';
import { LgDial } from './lg-dial.ts';

const KEY = 'linegate.history.dial-test';

async function dialView(opts: { prefill?: string; line?: string } = {}) {
  localStorage.removeItem(KEY);
  const phone = new FakePhone();
  phone.connection = 'connected';
  const history = new CallHistory(KEY);
  const el = new LgDial();
  el.phone = phone;
  el.history = history;
  el.line = opts.line;
  el.prefill = opts.prefill;
  const errors: string[] = [];
  el.addEventListener('lg-error', (e) => errors.push(e.detail.key));
  await mount(el);
  return { el, phone, history, errors };
}

const numberInput = (el: LgDial) => el.shadowRoot!.querySelector('lg-number-input')!;
const input = (el: LgDial) => $(numberInput(el), 'input') as HTMLInputElement;

describe('lg-dial', () => {
  beforeEach(() => setLocalePref('en'));
  afterEach(cleanup);

  it('dials typed numbers on the chosen line with Enter', async () => {
    const { el, phone } = await dialView({ line: 'hfo/202' });
    input(el).focus();
    await sendKeys({ type: '089 123' });
    await sendKeys({ press: 'Enter' });
    await until(() => phone.calls.length === 1, 'call placed');
    expect(phone.commands('call')).to.deep.equal([['089123', { line: 'hfo/202' }]]);
    await settle(el);
    expect(input(el).value).to.equal('');
  });

  it('builds the number with the dial pad and calls with the button', async () => {
    const { el, phone } = await dialView();
    const pad = $(el, 'lg-dialpad');
    for (const k of ['2', '0', '1']) $(pad, `[data-key="${k}"]`).click();
    await el.updateComplete;
    expect(input(el).value).to.equal('201');
    button(el, 'Call').click();
    await until(() => phone.calls.length === 1, 'call placed');
    expect(phone.commands('call')).to.deep.equal([['201', undefined]]);
  });

  it('starts with a prefilled number', async () => {
    const { el } = await dialView({ prefill: '+4989123' });
    expect(input(el).value).to.equal('+4989123');
  });

  it('says what is wrong instead of calling nothing', async () => {
    const { el, phone } = await dialView();
    button(el, 'Call').click();
    await el.updateComplete;
    expect(text($(el, '.error'))).to.equal('Enter a number first.');
    el.prefill = '49+89';
    await el.updateComplete;
    button(el, 'Call').click();
    await el.updateComplete;
    expect(text($(el, '.error'))).to.equal('Only digits, +, * and # can be dialled.');
    expect(phone.commands('call')).to.deep.equal([]);
  });

  it('reports a refused call as an error event', async () => {
    const { el, phone, errors } = await dialView({ prefill: '201' });
    phone.failNext('call', 'no-microphone');
    button(el, 'Call').click();
    await until(() => errors.length === 1, 'error');
    expect(errors).to.deep.equal(['error.no-microphone']);
    expect(input(el).value).to.equal('201');
  });

  it('redials the last number and suggests from the history', async () => {
    const { el, phone, history } = await dialView();
    history.add({
      id: 'h1',
      direction: 'outgoing',
      number: '0891234',
      name: 'Bob',
      startedAt: 1,
      endedAt: 2,
      reason: 'local-hangup',
    });
    await el.updateComplete;
    button(el, 'Redial 0891234').click();
    await until(() => phone.calls.length === 1, 'redial');
    expect(phone.commands('call')[0]?.[0]).to.equal('0891234');
    input(el).focus();
    await sendKeys({ type: '1234' });
    await el.updateComplete;
    await numberInput(el).updateComplete;
    expect(text($(numberInput(el), 'ul'))).to.equal('Bob 0891234');
  });
});
