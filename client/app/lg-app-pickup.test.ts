import { expect } from '@esm-bundle/chai';
import { setViewport } from '@web/test-runner-commands';
import { setLocalePref } from '../i18n/index.ts';
import { COLLEAGUE, FakePhone, LINE_A } from '../test-support/fake-phone.ts';
import { $, button, settle, text, until } from '../test-support/helpers.ts';
import { findIn, mountApp, removeApp, resetAppState } from '../test-support/app-fixture.ts';

async function app(colleagues = [COLLEAGUE]) {
  const phone = new FakePhone();
  phone.resumeResult = true;
  phone.colleagues = colleagues;
  const { el } = await mountApp(phone);
  return { el, phone };
}

const find = findIn;

describe('lg-app: picking up a colleague’s call', () => {
  beforeEach(resetAppState);
  afterEach(async () => {
    removeApp();
    await setViewport({ width: 800, height: 600 });
  });

  it('has no colleagues list for a user without colleagues’ lines', async () => {
    const { el } = await app([]);
    await until(() => find(el, 'lg-dial') !== null, '<lg-dial>');
    expect(find(el, 'lg-lines') !== null, '<lg-lines>').to.equal(true);
    expect(find(el, 'lg-colleagues') !== null, '<lg-colleagues>').to.equal(false);
  });

  it('lists colleagues next to the lines and opens the call view on pick-up', async () => {
    const { el, phone } = await app();
    await until(() => find(el, 'lg-colleagues') !== null, '<lg-colleagues>');
    const list = find(el, 'lg-colleagues')!;
    expect(list.parentElement === find(el, 'lg-lines')!.parentElement, 'beside the lines').to.equal(
      true,
    );
    phone.updateColleague(COLLEAGUE.id, { ringing: 1 });
    await settle(list);
    button(list, /Pick up/).click();
    await until(() => find(el, 'lg-call') !== null, '<lg-call>');
    const call = find(el, 'lg-call')!;
    await call.updateComplete;
    expect(phone.commands('call')).to.deep.equal([['*8205', { line: LINE_A.id }]]);
    expect(text($(call, 'h2'))).to.equal('*8205');
    expect(text(call.shadowRoot!)).to.contain('Line Sales (201)');
  });

  it('forgets the colleagues on sign-out', async () => {
    const { el, phone } = await app();
    await until(() => find(el, 'lg-colleagues') !== null, '<lg-colleagues>');
    await phone.signOut();
    await settle(el);
    expect(phone.colleagues).to.deep.equal([]);
    expect(find(el, 'lg-colleagues') !== null, '<lg-colleagues>').to.equal(false);
  });

  it('fits 320 px with a ringing colleague (in German)', async () => {
    setLocalePref('de');
    await setViewport({ width: 320, height: 640 });
    const { el } = await app([
      { ...COLLEAGUE, label: 'Buchhaltung Zentrale Süd', number: '+4989123456789', ringing: 1 },
    ]);
    await until(() => find(el, 'lg-colleagues') !== null, '<lg-colleagues>');
    const list = find(el, 'lg-colleagues')!;
    await settle(list);
    const pick = button(list, /heranholen/);
    expect(pick.getBoundingClientRect().height).to.be.at.least(44);
    expect(document.documentElement.scrollWidth).to.be.at.most(320);
  });
});
