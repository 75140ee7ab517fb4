import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { setLocalePref } from '../../i18n/index.ts';
import { FakePhone, MUNICH, type IncomingOptions } from '../../test-support/fake-phone.ts';
import {
  $,
  $$,
  button,
  cleanup,
  deepActive,
  mount,
  text,
  until,
} from '../../test-support/helpers.ts';
import { LgRinging } from './lg-ringing.ts';

async function ringing(opts: IncomingOptions = {}, setup?: (phone: FakePhone) => void) {
  const phone = new FakePhone();
  phone.connection = 'connected';
  setup?.(phone);
  const id = phone.simulateIncoming(opts);
  const el = new LgRinging();
  el.phone = phone;
  const errors: string[] = [];
  el.addEventListener('lg-error', (e) => errors.push(e.detail.key));
  await mount(el);
  return { el, phone, id, errors };
}

describe('lg-ringing', () => {
  beforeEach(() => setLocalePref('en'));
  afterEach(cleanup);

  it('is a labelled alert dialog naming caller and line, with Answer focused', async () => {
    const { el } = await ringing({ number: '0891234', name: 'Bob Builder' });
    const dialog = $(el, '[role=alertdialog]');
    expect(dialog.getAttribute('aria-modal')).to.equal('true');
    expect(text($(el, '#title'))).to.equal('Incoming call');
    expect(text($(el, '#caller'))).to.equal('Bob Builder');
    expect(text($(el, '#details'))).to.equal('0891234 On line Sales (201)');
    expect(deepActive() === $(el, '#answer'), 'focus on Answer').to.equal(true);
    expect(getComputedStyle(el).position).to.equal('fixed');
  });

  it('shows anonymous callers, the called number and a forwarding', async () => {
    const { el } = await ringing({
      anonymous: true,
      line: 'hfo/202',
      called: '089123456',
      divertedFrom: { number: '0897777', reason: 'no-answer' },
    });
    expect(text($(el, '#caller'))).to.equal('Anonymous');
    expect(text($(el, '#details'))).to.equal(
      'On line 202 Called number 089123456 Forwarded from 0897777 (no-answer)',
    );
  });

  it("shows the caller's number as at the line's location", async () => {
    const munich = (phone: FakePhone) => phone.updateLine('hfo/201', { location: MUNICH });
    const { el } = await ringing({ number: '+49891234567', name: 'Bob' }, munich);
    expect(text($(el, '#caller'))).to.equal('Bob');
    expect(text($(el, '#details'))).to.equal('+49 89 1234567 On line Sales (201)');
    cleanup();
    const { el: nameless } = await ringing({ number: '+498912345205' }, munich);
    expect(text($(nameless, '#caller'))).to.equal('205');
    cleanup();
    const { el: elsewhere } = await ringing({ number: '+49891234567', line: 'hfo/202' }, munich);
    expect(text($(elsewhere, '#caller'))).to.equal('+49891234567');
  });

  it('answers with the keyboard', async () => {
    const { phone, id } = await ringing();
    await sendKeys({ press: 'Enter' });
    await until(() => phone.callById(id)?.state === 'active', 'answered');
  });

  it('declines busy (486) or decline (603)', async () => {
    const { el, phone, id } = await ringing();
    expect($$(el, '.actions button').map(text)).to.deep.equal(['Busy', 'Decline', 'Answer']);
    button(el, 'Decline').click();
    await until(() => phone.callById(id)?.state === 'ended', 'declined');
    expect(phone.commands('decline')).to.deep.equal([[id, 603]]);
    const second = phone.simulateIncoming();
    await el.updateComplete;
    button(el, 'Busy').click();
    await until(() => phone.callById(second)?.state === 'ended', 'busy');
    expect(phone.commands('decline').at(-1)).to.deep.equal([second, 486]);
  });

  it('offers only the decline options the policy allows', async () => {
    const { el, phone, id } = await ringing();
    el.declineOptions = [603];
    await el.updateComplete;
    expect($$(el, '.actions button').map(text)).to.deep.equal(['Decline', 'Answer']);
    el.declineOptions = [486];
    await el.updateComplete;
    button(el, 'Decline').click();
    await until(() => phone.commands('decline').length === 1, 'declined');
    expect(phone.commands('decline')).to.deep.equal([[id, 486]]);
    phone.simulateIncoming();
    el.declineOptions = [];
    await el.updateComplete;
    expect($$(el, '.actions button').map(text)).to.deep.equal(['Answer']);
  });

  it('answers a waiting call by holding the current one', async () => {
    const phone = new FakePhone();
    phone.connection = 'connected';
    const current = await phone.call('201');
    phone.remoteAnswer(current);
    const waiting = phone.simulateIncoming({ number: '202' });
    phone.simulateIncoming({ number: '203' });
    const el = new LgRinging();
    el.phone = phone;
    await mount(el);
    expect(text($(el, '#caller'))).to.equal('202');
    expect(text($(el, '#details'))).to.contain('More calls are waiting.');
    button(el, 'Answer (holds the current call)').click();
    await until(() => phone.callById(waiting)?.state === 'active', 'answered');
    expect(phone.callById(current)?.held).to.equal(true);
    await el.updateComplete;
    expect(text($(el, '#caller'))).to.equal('203');
  });

  it('reports a failed answer', async () => {
    const { el, phone, errors } = await ringing();
    phone.failNext('answer', 'no-microphone');
    button(el, 'Answer').click();
    await until(() => errors.length === 1, 'error');
    expect(errors).to.deep.equal(['error.no-microphone']);
  });

  it('renders nothing once the call stops ringing', async () => {
    const { el, phone, id } = await ringing();
    phone.remoteEnd(id, 'answered-elsewhere');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role=alertdialog]') === null, 'no dialog').to.equal(true);
  });

  it('speaks German', async () => {
    setLocalePref('de');
    const { el } = await ringing({ divertedFrom: { number: '0897777' } });
    expect(text(el.shadowRoot!)).to.contain('Eingehender Anruf');
    expect(text(el.shadowRoot!)).to.contain('Umgeleitet von 0897777');
    expect($$(el, '.actions button').map(text)).to.deep.equal(['Besetzt', 'Ablehnen', 'Annehmen']);
  });
});
