import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { setLocalePref } from '../../i18n/index.ts';
import { FakePhone } from '../../test-support/fake-phone.ts';
import { $, button, cleanup, deepActive, mount, text, until } from '../../test-support/helpers.ts';
import { LgKiosk } from './lg-kiosk.ts';

async function kiosk(
  { number, label }: { number?: string; label?: string } = { number: '100', label: 'Reception' },
) {
  const phone = new FakePhone();
  phone.connection = 'connected';
  const el = new LgKiosk();
  el.phone = phone;
  el.number = number;
  el.label = label;
  el.line = 'hfo/202';
  await mount(el);
  return { el, phone };
}

describe('lg-kiosk', () => {
  beforeEach(() => setLocalePref('en'));
  afterEach(cleanup);

  it('is one big button that calls the number, and back after hang-up', async () => {
    const { el, phone } = await kiosk();
    const big = button(el, 'Call Reception');
    expect(text(big)).to.equal('Reception');
    expect(big.getBoundingClientRect().height).to.be.at.least(100);
    expect(el.shadowRoot!.querySelector('nav, a') === null, 'no navigation').to.equal(true);
    big.click();
    await until(() => phone.calls.length === 1, 'called');
    expect(phone.commands('call')).to.deep.equal([['100', { line: 'hfo/202' }]]);
    await el.updateComplete;
    expect(text($(el, '.who'))).to.equal('Calling Reception…');
    const id = phone.calls[0]!.id;
    phone.remoteAnswer(id);
    await el.updateComplete;
    expect(text($(el, '.who'))).to.equal('Connected with Reception');
    expect(text($(el, '.timer'))).to.equal('0:00');
    button(el, 'Hang up').click();
    await until(() => phone.calls.length === 0, 'back to the button');
    await el.updateComplete;
    expect(button(el, 'Call Reception')).to.be.instanceOf(HTMLButtonElement);
  });

  it('works from the keyboard', async () => {
    const { el, phone } = await kiosk();
    button(el, 'Call Reception').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => phone.calls.length === 1, 'called');
    await el.updateComplete;
    await until(() => deepActive() === button(el, 'Hang up'), 'hang-up focused');
    await sendKeys({ press: 'Enter' });
    await until(() => phone.calls.length === 0, 'hung up');
    await el.updateComplete;
    await until(() => deepActive() === button(el, 'Call Reception'), 'button focused again');
  });

  it('shows why a call failed until dismissed', async () => {
    const { el, phone } = await kiosk();
    button(el, 'Call Reception').click();
    await until(() => phone.calls.length === 1, 'called');
    phone.remoteEnd(phone.calls[0]!.id, 'busy', 486);
    await el.updateComplete;
    expect(text($(el, 'p[role=alert]'))).to.equal('The number is busy.');
    button(el, 'OK').click();
    await el.updateComplete;
    expect(button(el, 'Call Reception')).to.be.instanceOf(HTMLButtonElement);
  });

  it('shows the connection and waits for it before calling', async () => {
    const { el, phone } = await kiosk();
    phone.setConnection('reconnecting');
    await el.updateComplete;
    const status = $(el, 'lg-status');
    await (status as unknown as { updateComplete: Promise<void> }).updateComplete;
    expect(text($(status, '[role=status]'))).to.contain('reconnecting');
    expect(button(el, 'Call Reception').disabled).to.equal(true);
  });

  it('without a label uses the number; without a number says so', async () => {
    let { el } = await kiosk({ number: '100' });
    expect(button(el, 'Call 100')).to.be.instanceOf(HTMLButtonElement);
    cleanup();
    ({ el } = await kiosk({}));
    expect(text($(el, '[role=alert]'))).to.contain('This kiosk link has no number');
  });

  it('speaks German', async () => {
    setLocalePref('de');
    const { el } = await kiosk();
    expect(button(el, 'Reception anrufen')).to.be.instanceOf(HTMLButtonElement);
  });
});
