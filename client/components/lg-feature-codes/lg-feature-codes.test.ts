import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { setLocalePref } from '../../i18n/index.ts';
import { CallHistory } from '../../app/history.ts';
import { FEATURE_CODES, FakePhone, LINE_A, LINE_B } from '../../test-support/fake-phone.ts';
import {
  $,
  $$,
  button,
  cleanup,
  deepActive,
  mount,
  settle,
  text,
  until,
} from '../../test-support/helpers.ts';
import type { LgCodeParams } from '../lg-code-params/lg-code-params.ts';
import { LgDial } from '../lg-dial/lg-dial.ts';
import { LgFeatureCodes } from './lg-feature-codes.ts';

const KEY = 'linegate.history.feature-codes-test';

async function codes(opts: { line?: string; codesOn?: string } = {}) {
  localStorage.removeItem(KEY);
  const phone = new FakePhone();
  phone.connection = 'connected';
  const on = opts.codesOn ?? LINE_A.id;
  phone.lines = phone.lines.map((l) => (l.id === on ? { ...l, featureCodes: FEATURE_CODES } : l));
  const history = new CallHistory(KEY);
  const el = new LgFeatureCodes();
  el.phone = phone;
  el.history = history;
  el.line = opts.line;
  const errors: string[] = [];
  el.addEventListener('lg-error', (e) => errors.push(e.detail.key));
  await mount(el);
  return { el, phone, history, errors };
}

async function open(el: LgFeatureCodes): Promise<void> {
  button(el, 'Feature codes').click();
  await el.updateComplete;
}

/** The fields of the code being asked for. */
function params(el: LgFeatureCodes): LgCodeParams {
  const found = el.shadowRoot?.querySelector('lg-code-params');
  if (!found) throw new Error('no <lg-code-params> in <lg-feature-codes>');
  return found;
}
const numberInput = (el: LgFeatureCodes) =>
  $($(params(el), 'lg-number-input'), 'input') as HTMLInputElement;
const secondsInput = (el: LgFeatureCodes) => $(params(el), 'input.seconds') as HTMLInputElement;
const alertText = (el: LgFeatureCodes) => text($(params(el), '[role=alert]'));

describe('lg-feature-codes', () => {
  beforeEach(() => setLocalePref('en'));
  afterEach(cleanup);

  it('is hidden when the line has no codes', async () => {
    const { el } = await codes({ codesOn: LINE_B.id });
    expect(el.hidden).to.equal(true);
    expect($$(el, 'button')).to.have.length(0);
  });

  it('offers the codes of the chosen line in a menu, with what counts', async () => {
    const { el } = await codes();
    expect(el.hidden).to.equal(false);
    const toggle = button(el, 'Feature codes');
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect($(el, '#codes').hidden).to.equal(true);
    await open(el);
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect($(el, 'ul').getAttribute('aria-label')).to.equal('Feature codes of line Sales (201)');
    expect($$(el, 'button.code').map(text)).to.deep.equal([
      'Hide my number *31',
      'Forward all calls *72*…',
      'Forward after time *72*…*…s',
      'Stop forwarding *72*',
    ]);
    expect(text($(el, '#codes p'))).to.equal(
      "The PBX's answer (tones or an announcement) is what counts; Linegate does not evaluate it.",
    );
  });

  it('dials a code without a number at once, on the chosen line', async () => {
    const { el, phone } = await codes({ line: LINE_B.id, codesOn: LINE_B.id });
    await open(el);
    button(el, /^Hide my number/).click();
    await until(() => phone.calls.length === 1, 'call placed');
    expect(phone.commands('call')).to.deep.equal([['*31', { line: LINE_B.id }]]);
    expect(phone.calls[0]?.line).to.equal(LINE_B.id);
  });

  it('asks for the number of a code with <NUMBER>, suggests it from the history, and dials', async () => {
    const { el, phone, history } = await codes();
    history.add({
      id: 'h1',
      direction: 'outgoing',
      number: '0891234',
      name: 'Bob',
      startedAt: 1,
      endedAt: 2,
      reason: 'local-hangup',
    });
    await open(el);
    const code = button(el, /^Forward all calls/);
    code.click();
    await settle(el);
    expect(code.getAttribute('aria-expanded')).to.equal('true');
    expect(phone.commands('call')).to.have.length(0);
    const input = numberInput(el);
    await until(() => deepActive() === input, 'number field focused');
    expect(params(el).shadowRoot!.querySelector('input.seconds') === null, 'no seconds').to.equal(
      true,
    );
    const field = $(params(el), 'lg-number-input');
    expect(text($(field, 'label'))).to.equal('Number for “Forward all calls”');
    await sendKeys({ type: '089' });
    await settle(el);
    button(field, /^Bob/).click();
    await settle(el);
    expect(input.value).to.equal('0891234');
    button(el, 'Dial code').click();
    await until(() => phone.calls.length === 1, 'call placed');
    expect(phone.commands('call')).to.deep.equal([['*72*0891234', { line: LINE_A.id }]]);
  });

  it('dials with Enter, and refuses a number that does not fit the code', async () => {
    const { el, phone } = await codes();
    await open(el);
    button(el, /^Forward all calls/).click();
    await settle(el);
    numberInput(el).focus();
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(alertText(el)).to.equal('Enter a number first.');
    await sendKeys({ type: '+4989' });
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(alertText(el)).to.equal(
      'This number does not fit into the feature code (digits, * and # only).',
    );
    expect(phone.commands('call')).to.have.length(0);
    await sendKeys({ press: 'Home' });
    await sendKeys({ press: 'Delete' });
    await sendKeys({ press: 'Enter' });
    await until(() => phone.calls.length === 1, 'call placed');
    expect(phone.commands('call')).to.deep.equal([['*72*4989', { line: LINE_A.id }]]);
  });

  it('Escape closes the number prompt and returns to the code', async () => {
    const { el } = await codes();
    await open(el);
    const code = button(el, /^Forward all calls/);
    code.click();
    await settle(el);
    await sendKeys({ press: 'Escape' });
    await settle(el);
    expect(el.shadowRoot!.querySelector('lg-code-params') === null, 'prompt closed').to.equal(true);
    expect(deepActive() === code, 'focus back on the code').to.equal(true);
  });

  it('asks for the number and the seconds of a code with <SECONDS>, 20 s to start with', async () => {
    const { el, phone } = await codes();
    await open(el);
    const code = button(el, /^Forward after time/);
    code.click();
    await settle(el);
    expect(code.getAttribute('aria-expanded')).to.equal('true');
    const seconds = secondsInput(el);
    expect(text(seconds.labels![0]!)).to.equal('Seconds for “Forward after time”');
    expect(seconds.value).to.equal('20');
    expect([seconds.min, seconds.max, seconds.step]).to.deep.equal(['1', '3600', '1']);
    numberInput(el).focus();
    await sendKeys({ type: '0891234' });
    seconds.focus();
    seconds.select();
    await sendKeys({ type: '45' });
    await sendKeys({ press: 'Enter' });
    await until(() => phone.calls.length === 1, 'call placed');
    expect(phone.commands('call')).to.deep.equal([['*72*0891234*45', { line: LINE_A.id }]]);
  });

  for (const [typed, why] of [
    ['', 'empty'],
    ['0', 'too short'],
    ['3601', 'too long'],
    ['2.5', 'not whole'],
  ] as const) {
    it(`refuses seconds that do not fit (${why}), and keeps the keyboard there`, async () => {
      const { el, phone } = await codes();
      await open(el);
      button(el, /^Forward after time/).click();
      await settle(el);
      numberInput(el).focus();
      await sendKeys({ type: '201' });
      const seconds = secondsInput(el);
      seconds.value = typed;
      seconds.dispatchEvent(new Event('input'));
      button(el, 'Dial code').click();
      await settle(el);
      await params(el).updateComplete;
      expect(alertText(el)).to.equal('Enter whole seconds from 1 to 3600.');
      expect(seconds.getAttribute('aria-invalid')).to.equal('true');
      expect(deepActive() === seconds, 'focus on the seconds').to.equal(true);
      expect(phone.commands('call')).to.have.length(0);
    });
  }

  it('asks for the number before the seconds', async () => {
    const { el, phone } = await codes();
    await open(el);
    button(el, /^Forward after time/).click();
    await settle(el);
    button(el, 'Dial code').click();
    await settle(el);
    expect(alertText(el)).to.equal('Enter a number first.');
    expect(deepActive() === numberInput(el), 'focus on the number').to.equal(true);
    expect(phone.commands('call')).to.have.length(0);
  });

  it('is hidden while the line has a call, and back after it', async () => {
    const { el, phone } = await codes();
    const id = await phone.call('201', { line: LINE_A.id });
    await el.updateComplete;
    expect(el.hidden).to.equal(true);
    expect($$(el, 'button')).to.have.length(0);
    phone.remoteEnd(id, 'remote-hangup');
    await el.updateComplete;
    expect(el.hidden).to.equal(false);
    phone.updateLine(LINE_A.id, { active: 1 });
    await el.updateComplete;
    expect(el.hidden).to.equal(true);
  });

  it('a refused call is reported', async () => {
    const { el, phone, errors } = await codes();
    await open(el);
    phone.failNext('call', 'not-connected');
    button(el, /^Stop forwarding/).click();
    await until(() => errors.length === 1, 'error');
    expect(errors).to.deep.equal(['error.not-connected']);
  });

  it('speaks German', async () => {
    setLocalePref('de');
    const { el } = await codes();
    button(el, 'Feature-Codes').click();
    await el.updateComplete;
    expect(text($(el, '#codes p'))).to.contain('Linegate wertet sie nicht aus');
    button(el, /^Forward after time/).click();
    await settle(el);
    expect(text(secondsInput(el).labels![0]!)).to.equal('Sekunden für „Forward after time“');
  });

  it('sits under the dial pad of the dial view', async () => {
    const phone = new FakePhone();
    phone.connection = 'connected';
    phone.updateLine(LINE_B.id, { featureCodes: FEATURE_CODES });
    const dial = new LgDial();
    dial.phone = phone;
    dial.line = LINE_B.id;
    await mount(dial);
    const menu = dial.shadowRoot!.querySelector('lg-feature-codes')!;
    await menu.updateComplete;
    expect(menu.hidden).to.equal(false);
    dial.line = LINE_A.id;
    await dial.updateComplete;
    await menu.updateComplete;
    expect(menu.hidden).to.equal(true);
  });
});
