import { expect } from '@esm-bundle/chai';
import { setLocalePref } from '../../i18n/index.ts';
import type { AfterSignIn } from '../../phone/types.ts';
import { FEATURE_CODES, FakePhone, LINE_A } from '../../test-support/fake-phone.ts';
import { $, $$, button, cleanup, mount, settle, text, until } from '../../test-support/helpers.ts';
import type { LgCodeParams } from '../lg-code-params/lg-code-params.ts';
import { LgAfterSignIn } from './lg-after-sign-in.ts';

async function afterSignIn(
  opts: { setting?: AfterSignIn; lines?: FakePhone['lines']; failLoad?: boolean } = {},
) {
  const phone = new FakePhone();
  phone.connection = 'connected';
  phone.user = { username: 'alice', displayName: 'Alice' };
  phone.lines = opts.lines ?? [{ ...LINE_A, featureCodes: FEATURE_CODES }];
  phone.afterSignInSetting = opts.setting ?? { dial: null };
  if (opts.failLoad) phone.failNext('afterSignIn', 'network');
  const el = new LgAfterSignIn();
  el.phone = phone;
  await mount(el);
  await settle(el);
  await settle(el);
  return { el, phone };
}

const select = (el: LgAfterSignIn) => $(el, 'select.action') as HTMLSelectElement;
const options = (el: LgAfterSignIn) => [...select(el).options].map((o) => text(o));
const current = (el: LgAfterSignIn) => text($(el, '.current'));
const statusText = (el: LgAfterSignIn) => text($(el, '[role=status]'));
const alertText = (el: LgAfterSignIn) => text($(el, 'p[role=alert]'));

function params(el: LgAfterSignIn): LgCodeParams {
  const found = el.shadowRoot?.querySelector('lg-code-params');
  if (!found) throw new Error('no <lg-code-params> in <lg-after-sign-in>');
  return found;
}

async function choose(el: LgAfterSignIn, label: string): Promise<void> {
  const s = select(el);
  const option = [...s.options].find((o) => text(o) === label);
  if (!option) throw new Error(`no option ${label}: ${options(el).join(' | ')}`);
  s.value = option.value;
  s.dispatchEvent(new Event('change'));
  await settle(el);
}

function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

async function fillParams(el: LgAfterSignIn, number: string, seconds?: string): Promise<void> {
  const p = params(el);
  type($($(p, 'lg-number-input'), 'input') as HTMLInputElement, number);
  await p.updateComplete;
  if (seconds !== undefined) type($(p, 'input.seconds') as HTMLInputElement, seconds);
  await p.updateComplete;
}

async function save(el: LgAfterSignIn): Promise<void> {
  button(el, 'Save action').click();
  await settle(el);
  await settle(el);
}

describe('lg-after-sign-in', () => {
  beforeEach(() => setLocalePref('en'));
  afterEach(cleanup);

  it("offers nothing or the line's feature codes, says what it does, and shows the current choice", async () => {
    const { el, phone } = await afterSignIn();
    expect(phone.commands('afterSignIn')).to.have.length(1);
    expect(el.hidden).to.equal(false);
    expect(text($(el, 'h3'))).to.equal('After sign-in');
    expect(text($(el, 'section > p.muted'))).to.equal(
      "Linegate dials the chosen feature code once after each sign-in, on line Sales (201) — e.g. to cancel a forwarding set at the PBX. The PBX's answer is not evaluated.",
    );
    expect(current(el)).to.equal('Now nothing is dialled after sign-in.');
    expect(text(select(el).labels[0]!)).to.match(/^Action/);
    expect(options(el)).to.deep.equal([
      'Nothing',
      'Hide my number (*31)',
      'Forward all calls (*72*…)',
      'Forward after time (*72*…*…s)',
      'Stop forwarding (*72*)',
    ]);
    expect(select(el).value).to.equal('');
    expect(el.shadowRoot!.querySelector('lg-code-params') === null, 'no fields').to.equal(true);
  });

  it('saves a code without parameters with its name', async () => {
    const { el, phone } = await afterSignIn();
    await choose(el, 'Stop forwarding (*72*)');
    expect(el.shadowRoot!.querySelector('lg-code-params') === null, 'no fields').to.equal(true);
    await save(el);
    expect(phone.commands('setAfterSignIn')).to.deep.equal([
      [{ dial: '*72*', name: 'Stop forwarding' }],
    ]);
    expect(phone.afterSignInSetting).to.deep.equal({ dial: '*72*', name: 'Stop forwarding' });
    expect(statusText(el)).to.equal('Saved. It applies from your next sign-in.');
    expect(current(el)).to.equal('Now dialled after sign-in: Stop forwarding (*72*)');
    expect(text(select(el).selectedOptions[0]!)).to.equal('Stop forwarding (*72*)');
  });

  it('asks for the number and the seconds of a code that has them, and saves it filled in', async () => {
    const { el, phone } = await afterSignIn();
    await choose(el, 'Forward after time (*72*…*…s)');
    const fields = params(el);
    expect(text($($(fields, 'lg-number-input'), 'label'))).to.equal(
      'Number for “Forward after time”',
    );
    expect(($(fields, 'input.seconds') as HTMLInputElement).value).to.equal('20');
    await fillParams(el, '089 1234', '30');
    await save(el);
    expect(phone.commands('setAfterSignIn')).to.deep.equal([
      [{ dial: '*72*0891234*30', name: 'Forward after time' }],
    ]);
    expect(current(el)).to.equal('Now dialled after sign-in: Forward after time (*72*0891234*30)');
  });

  it('refuses wrong parameters before asking the gateway', async () => {
    const { el, phone } = await afterSignIn();
    await choose(el, 'Forward after time (*72*…*…s)');
    await fillParams(el, '201', '0');
    await save(el);
    await params(el).updateComplete;
    expect(text($(params(el), '[role=alert]'))).to.equal('Enter whole seconds from 1 to 3600.');
    await choose(el, 'Forward all calls (*72*…)');
    await fillParams(el, '0'.repeat(29));
    await save(el);
    await params(el).updateComplete;
    expect(text($(params(el), '[role=alert]'))).to.equal(
      'The code would be too long: at most 32 characters.',
    );
    expect(phone.commands('setAfterSignIn')).to.deep.equal([]);
  });

  it('shows a saved action on its code, with its parameters, and clears it with "Nothing"', async () => {
    const { el, phone } = await afterSignIn({
      setting: { dial: '*72*0891234*30', name: 'Forward after time' },
    });
    expect(current(el)).to.equal('Now dialled after sign-in: Forward after time (*72*0891234*30)');
    expect(text(select(el).selectedOptions[0]!)).to.equal('Forward after time (*72*…*…s)');
    const fields = params(el);
    expect(($($(fields, 'lg-number-input'), 'input') as HTMLInputElement).value).to.equal(
      '0891234',
    );
    expect(($(fields, 'input.seconds') as HTMLInputElement).value).to.equal('30');
    await choose(el, 'Forward all calls (*72*…)');
    expect(($($(params(el), 'lg-number-input'), 'input') as HTMLInputElement).value).to.equal('');
    await choose(el, 'Forward after time (*72*…*…s)');
    expect(($(params(el), 'input.seconds') as HTMLInputElement).value).to.equal('30');
    await choose(el, 'Nothing');
    await save(el);
    expect(phone.commands('setAfterSignIn')).to.deep.equal([[{ dial: null }]]);
    expect(current(el)).to.equal('Now nothing is dialled after sign-in.');
  });

  it('keeps a saved action that is none of the codes as a choice of its own', async () => {
    const { el, phone } = await afterSignIn({ setting: { dial: '*99#', name: 'Old code' } });
    expect(options(el)[0]).to.equal('Old code (*99#)');
    expect(select(el).selectedIndex).to.equal(0);
    await save(el);
    expect(phone.commands('setAfterSignIn')).to.deep.equal([[{ dial: '*99#', name: 'Old code' }]]);
  });

  it('says why the gateway refused', async () => {
    const { el, phone } = await afterSignIn();
    await choose(el, 'Hide my number (*31)');
    phone.failNext('setAfterSignIn', 'not-single-line');
    await save(el);
    expect(alertText(el)).to.equal(
      'An after-sign-in action needs exactly one line assigned to you.',
    );
    phone.failNext('setAfterSignIn', 'failed');
    await save(el);
    expect(alertText(el)).to.equal('The gateway refused the action: setAfterSignIn failed (fake)');
    expect(phone.afterSignInSetting).to.deep.equal({ dial: null });
  });

  it('is not offered to a user with several lines (or none)', async () => {
    const { el, phone } = await afterSignIn({
      lines: [LINE_A, { ...LINE_A, id: 'hfo/202', number: '202' }],
    });
    expect(el.hidden).to.equal(true);
    expect(el.shadowRoot!.querySelector('section') === null, 'no section').to.equal(true);
    expect(phone.commands('afterSignIn')).to.deep.equal([]);
    phone.setLines([LINE_A]);
    await until(() => phone.commands('afterSignIn').length === 1, 'asked once one line is left');
    await settle(el);
    expect(el.hidden).to.equal(false);
    expect(text($(el, 'p.no-codes'))).to.equal('Line Sales (201) offers no feature codes.');
    expect(options(el)).to.deep.equal(['Nothing']);
    phone.setLines([]);
    await el.updateComplete;
    expect(el.hidden).to.equal(true);
  });

  it('offers to try again when it cannot be loaded', async () => {
    const { el, phone } = await afterSignIn({ failLoad: true });
    expect(alertText(el)).to.equal(
      'The after-sign-in action cannot be loaded. The Linegate gateway cannot be reached. Check the network connection.',
    );
    button(el, 'Try again').click();
    await until(() => phone.commands('afterSignIn').length === 2, 'asked again');
    await settle(el);
    expect(current(el)).to.equal('Now nothing is dialled after sign-in.');
  });

  it('speaks German', async () => {
    setLocalePref('de');
    const { el } = await afterSignIn();
    expect(text($(el, 'h3'))).to.equal('Nach der Anmeldung');
    expect(text($(el, 'section > p.muted'))).to.contain(
      'Die Antwort der Telefonanlage wird nicht ausgewertet.',
    );
    expect(options(el)[0]).to.equal('Nichts');
    expect($$(el, 'button').map(text)).to.deep.equal(['Aktion speichern']);
  });
});
