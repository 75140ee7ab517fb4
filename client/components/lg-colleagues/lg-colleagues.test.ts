import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { setLocalePref } from '../../i18n/index.ts';
import type { ApiColleagueLine } from '../../phone/types.ts';
import { COLLEAGUE, FakePhone, LINE_B } from '../../test-support/fake-phone.ts';
import { $, $$, button, cleanup, mount, settle, text, until } from '../../test-support/helpers.ts';
import { LgColleagues, colleagueName } from './lg-colleagues.ts';

/** A colleague of LINE_B's group, without a name of its own. */
const CAROL: ApiColleagueLine = {
  id: 'hfo2/310',
  label: '310',
  number: '310',
  ringing: 0,
  pickup: '*59310#',
  viaLine: LINE_B.id,
};

async function colleaguesView(colleagues: readonly ApiColleagueLine[] = [COLLEAGUE, CAROL]) {
  const phone = new FakePhone();
  phone.connection = 'connected';
  phone.colleagues = colleagues;
  const el = new LgColleagues();
  el.phone = phone;
  const errors: string[] = [];
  el.addEventListener('lg-error', (e) => errors.push(e.detail.key));
  await mount(el);
  return { el, phone, errors };
}

const rows = (el: LgColleagues) => $$(el, 'li').map(text);
const live = (el: LgColleagues) => text($(el, '[aria-live=polite]'));

describe('lg-colleagues', () => {
  beforeEach(() => setLocalePref('en'));
  afterEach(cleanup);

  it('shows nothing for a user without colleagues’ lines', async () => {
    const { el, phone } = await colleaguesView([]);
    expect(el.shadowRoot!.querySelector('section') !== null, 'list shown').to.equal(false);
    expect(el.getBoundingClientRect().height).to.equal(0);
    phone.setColleagues([COLLEAGUE]);
    await el.updateComplete;
    expect(text($(el, 'h2'))).to.equal('Colleagues');
    phone.setColleagues([]);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('section') !== null, 'list shown').to.equal(false);
  });

  it('lists the colleagues’ lines with their live ringing state', async () => {
    const { el, phone } = await colleaguesView();
    expect($(el, 'section').getAttribute('aria-labelledby')).to.equal('colleagues-title');
    expect(rows(el)).to.deep.equal(['Bob 205', '310']);
    expect($$(el, 'button')).to.have.length(0);
    expect(live(el)).to.equal('');
    phone.updateColleague(COLLEAGUE.id, { ringing: 1 });
    await el.updateComplete;
    expect(rows(el)).to.deep.equal(['Bob 205 Ringing Pick up', '310']);
    expect(live(el)).to.equal('Ringing for a colleague: Bob (205)');
    phone.updateColleague(CAROL.id, { ringing: 2 });
    await el.updateComplete;
    expect(live(el)).to.equal('Ringing for a colleague: Bob (205), 310');
    phone.setColleagues([COLLEAGUE, CAROL]);
    await el.updateComplete;
    expect(rows(el)).to.deep.equal(['Bob 205', '310']);
    expect(live(el)).to.equal('');
  });

  it('picks up a ringing colleague: the pickup code on the own line of that group', async () => {
    const { el, phone } = await colleaguesView([COLLEAGUE, { ...CAROL, ringing: 1 }]);
    const pick = button(el, 'Pick up the call ringing for 310');
    pick.click();
    await until(() => phone.calls.length === 1, 'the pickup call');
    expect(phone.commands('call')).to.deep.equal([['*59310#', { line: LINE_B.id }]]);
    expect(phone.calls[0]).to.include({ direction: 'outgoing', line: LINE_B.id });
    expect(phone.calls[0]?.remote.number).to.equal('*59310#');
  });

  it('is operable with the keyboard', async () => {
    const { el, phone } = await colleaguesView([{ ...COLLEAGUE, ringing: 1 }]);
    button(el, /Bob \(205\)/).focus();
    await sendKeys({ press: 'Enter' });
    await until(() => phone.commands('call').length === 1, 'the pickup call');
    expect(phone.commands('call')).to.deep.equal([['*8205', { line: 'hfo/201' }]]);
  });

  it('places one call for a double tap', async () => {
    const { el, phone } = await colleaguesView([{ ...COLLEAGUE, ringing: 1 }]);
    const pick = button(el, /Pick up/);
    pick.click();
    pick.click();
    await settle(el);
    expect(phone.commands('call')).to.have.length(1);
  });

  it('reports a pick-up that fails', async () => {
    const { el, phone, errors } = await colleaguesView([{ ...COLLEAGUE, ringing: 1 }]);
    phone.failNext('call', 'not-connected');
    button(el, /Pick up/).click();
    await until(() => errors.length === 1, 'the error');
    expect(errors).to.deep.equal(['error.not-connected']);
    await settle(el);
    expect(button(el, /Pick up/).disabled).to.equal(false);
  });

  it('speaks German and keeps 44 px targets at 320 px', async () => {
    setLocalePref('de');
    const { el } = await colleaguesView([
      { ...COLLEAGUE, label: 'Buchhaltung Zentrale Süd', ringing: 1 },
      CAROL,
    ]);
    el.style.width = '288px';
    await el.updateComplete;
    const pick = button(el, 'Anruf für Buchhaltung Zentrale Süd (205) heranholen');
    expect(text(pick)).to.equal('Heranholen');
    expect(text($(el, 'h2'))).to.equal('Kollegen');
    expect(live(el)).to.equal('Es klingelt bei: Buchhaltung Zentrale Süd (205)');
    const r = pick.getBoundingClientRect();
    expect(Math.min(r.width, r.height)).to.be.at.least(44);
    expect(el.scrollWidth).to.be.at.most(288);
    for (const li of $$(el, 'li')) expect(li.scrollWidth).to.be.at.most(li.clientWidth);
  });

  it('names a colleague’s line by label and number', () => {
    expect(colleagueName(COLLEAGUE)).to.equal('Bob (205)');
    expect(colleagueName(CAROL)).to.equal('310');
    expect(colleagueName({ ...CAROL, label: 'hfo2/310', number: '' })).to.equal('hfo2/310');
  });
});
