import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { setLocalePref } from '../i18n/index.ts';
import { FEATURE_CODES, FakePhone, LINE_A } from '../test-support/fake-phone.ts';
import type { LitElement } from 'lit';
import { $, $$, FakeTones, button, settle, text, until } from '../test-support/helpers.ts';
import { mountApp, removeApp, resetAppState } from '../test-support/app-fixture.ts';
import type { LgApp } from './lg-app.ts';
import { setTheme } from './theme.ts';

interface Options {
  readonly search?: string;
  /** Signed in already (resume() succeeds). */
  readonly session?: boolean;
  readonly dismissAfterMs?: number;
}

async function app(opts: Options = {}) {
  const phone = new FakePhone();
  phone.resumeResult = opts.session ?? true;
  const { el, tones } = await mountApp(phone, opts);
  return { el, phone, tones };
}

/** The element of a view inside the shell, after it rendered. */
async function view<K extends keyof HTMLElementTagNameMap>(
  el: LgApp,
  tag: K,
): Promise<HTMLElementTagNameMap[K]> {
  await until(() => el.shadowRoot!.querySelector(tag) !== null, `<${tag}>`);
  const found = el.shadowRoot!.querySelector(tag)!;
  await (found as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
  return found;
}

const messages = (el: LgApp) => text($(el, '.messages'));

describe('lg-app', () => {
  beforeEach(() => {
    resetAppState();
    setTheme('system');
  });
  afterEach(async () => {
    removeApp();
    await setViewport({ width: 800, height: 600 });
  });

  it('resumes the session first, else shows the sign-in', async () => {
    const { el, phone } = await app({ session: false });
    expect(phone.log[0]?.[0]).to.equal('resume');
    const signIn = await view(el, 'lg-sign-in');
    ($(signIn, '#username') as HTMLInputElement).value = 'alice';
    ($(signIn, '#password') as HTMLInputElement).value = 'secret';
    button(signIn, 'Sign in').click();
    await view(el, 'lg-dial');
    expect(text($(await view(el, 'lg-status'), '[role=status]'))).to.equal('Connection: Connected');
    expect($$(el, 'nav a').map(text)).to.deep.equal(['Phone', 'Calls', 'Settings']);
  });

  it('goes straight to the phone with a session', async () => {
    const { el } = await app();
    await view(el, 'lg-lines');
    await view(el, 'lg-dial');
    expect(el.shadowRoot!.querySelector('lg-sign-in') === null, 'no lg-sign-in').to.equal(true);
  });

  it('says why the session could not be resumed', async () => {
    const phone = new FakePhone();
    phone.failNext('resume', 'network');
    const el = document.createElement('lg-app');
    el.search = '';
    el.tones = new FakeTones();
    el.phone = phone;
    document.body.append(el);
    const signIn = await view(el, 'lg-sign-in');
    expect(text($(signIn, '[role=alert]'))).to.match(/gateway cannot be reached/);
  });

  it('rings full-screen, answers, shows the call, and the reason it ended', async () => {
    const { el, phone, tones } = await app({ dismissAfterMs: 500 });
    const id = phone.simulateIncoming({ number: '0891234', name: 'Bob' });
    const ringing = await view(el, 'lg-ringing');
    expect($(el, '.app').inert).to.equal(true);
    expect(tones.playing).to.equal('ring');
    button(ringing, 'Answer').click();
    const call = await view(el, 'lg-call');
    expect(tones.playing).to.equal(undefined);
    expect(el.shadowRoot!.querySelector('lg-ringing') === null, 'no lg-ringing').to.equal(true);
    expect($(el, '.app').inert).to.equal(false);
    expect(text($(call, 'h2'))).to.equal('Bob');
    phone.remoteEnd(id, 'network');
    await call.updateComplete;
    expect(text($(call, '[role=alert]'))).to.contain('connection to the gateway broke');
    await view(el, 'lg-dial');
    expect(el.shell.history.entries[0]).to.include({ number: '0891234', reason: 'network' });
  });

  it('beeps for a waiting call instead of ringing', async () => {
    const { el, phone, tones } = await app();
    const id = await phone.call('201');
    phone.remoteAnswer(id);
    phone.simulateIncoming();
    await view(el, 'lg-ringing');
    expect(tones.playing).to.equal('waiting');
  });

  it('shows a failed command as a translated alert', async () => {
    const { el, phone } = await app({ search: '?dial=201' });
    const dial = await view(el, 'lg-dial');
    phone.failNext('call', 'not-connected');
    button(dial, 'Call').click();
    await until(() => messages(el) !== '', 'message');
    expect($(el, '.messages').getAttribute('role')).to.equal('alert');
    expect(messages(el)).to.equal('Not connected to the gateway. Wait a moment and try again.');
    button($(el, '.messages'), 'Dismiss').click();
    await el.updateComplete;
    expect(messages(el)).to.equal('');
  });

  it('prefills the number of a tel: link once', async () => {
    const { el, phone } = await app({ search: '?dial=tel%3A%2B49-89-123' });
    const dial = await view(el, 'lg-dial');
    const input = () => $($(dial, 'lg-number-input'), 'input') as HTMLInputElement;
    expect(input().value).to.equal('+4989123');
    button(dial, 'Call').click();
    const id = await until(() => phone.calls.length === 1, 'called').then(() => phone.calls[0]!.id);
    await phone.hangup(id);
    phone.dismiss(id);
    const again = await view(el, 'lg-dial');
    expect(($($(again, 'lg-number-input'), 'input') as HTMLInputElement).value).to.equal('');
  });

  it('dials at once with auto=1 on the given line, once', async () => {
    const { el, phone } = await app({ search: '?dial=201&auto=1&line=hfo%2F202' });
    await until(() => phone.calls.length === 1, 'auto-dialled');
    expect(phone.commands('call')).to.deep.equal([['201', { line: 'hfo/202' }]]);
    phone.setConnection('reconnecting');
    phone.setConnection('connected');
    await el.updateComplete;
    expect(phone.commands('call').length).to.equal(1);
  });

  it('waits for the connection before auto-dialling', async () => {
    const { el, phone } = await app({ search: '?dial=201&auto=1', session: false });
    await view(el, 'lg-sign-in');
    expect(phone.commands('call')).to.deep.equal([]);
    await phone.signIn('alice', 'secret');
    await until(() => phone.calls.length === 1, 'auto-dialled');
  });

  it('says when a link has no diallable number', async () => {
    const { el } = await app({ search: '?dial=sip%3Aalice%40example.com' });
    expect(messages(el)).to.equal('The link contains no number that can be dialled.');
  });

  it('remembers the chosen line', async () => {
    const { el, phone } = await app();
    const lines = await view(el, 'lg-lines');
    ($$(lines, 'input[type=radio]')[1] as HTMLInputElement).click();
    expect(localStorage.getItem('linegate.line')).to.equal('hfo/202');
    const dial = await view(el, 'lg-dial');
    await until(() => dial.line === 'hfo/202', 'line passed on');
    dial.prefill = '201';
    await dial.updateComplete;
    button(dial, 'Call').click();
    await until(() => phone.calls.length === 1, 'called');
    expect(phone.commands('call')[0]).to.deep.equal(['201', { line: 'hfo/202' }]);
  });

  it('navigates by hash with the current page marked, and leads back to a call', async () => {
    const { el, phone } = await app();
    ($$(el, 'nav a')[1] as HTMLAnchorElement).click();
    await view(el, 'lg-journal');
    expect($$(el, 'nav a')[1]!.getAttribute('aria-current')).to.equal('page');
    await phone.call('201');
    await el.updateComplete;
    expect(text($(el, '.callbar'))).to.equal('Call in progress — Back to the call');
    ($(el, '.callbar') as HTMLAnchorElement).click();
    await view(el, 'lg-call');
    ($$(el, 'nav a')[2] as HTMLAnchorElement).click();
    await view(el, 'lg-settings');
  });

  it('calls back from the journal', async () => {
    const { el, phone } = await app();
    phone.journalStore.add({ remoteNumber: '0891234', line: 'hfo/202', at: 1, result: 'missed' });
    location.hash = '#/journal';
    const journal = await view(el, 'lg-journal');
    await settle(journal);
    button(journal, 'Call back 0891234').click();
    await until(() => phone.calls.length === 1, 'called back');
    expect(phone.commands('call')[0]).to.deep.equal(['0891234', { line: 'hfo/202' }]);
    await view(el, 'lg-call');
  });

  it('signs out from the settings', async () => {
    const { el } = await app();
    location.hash = '#/settings';
    const settings = await view(el, 'lg-settings');
    button(settings, 'Sign out').click();
    await view(el, 'lg-sign-in');
  });

  it('kiosk: one button, call, ended reason, back to the button; no navigation', async () => {
    const { el, phone } = await app({
      search: '?kiosk=1&dial=100&label=Reception',
      dismissAfterMs: 500,
    });
    const kiosk = await view(el, 'lg-kiosk');
    expect(el.shadowRoot!.querySelector('nav') === null, 'no nav').to.equal(true);
    button(kiosk, 'Call Reception').click();
    await until(() => phone.calls.length === 1, 'called');
    phone.remoteEnd(phone.calls[0]!.id, 'unavailable', 480);
    await kiosk.updateComplete;
    expect(text($(kiosk, 'p[role=alert]'))).to.equal('The number cannot be reached right now.');
    await until(() => phone.calls.length === 0, 'auto-dismissed');
    await kiosk.updateComplete;
    expect(button(kiosk, 'Call Reception')).to.be.instanceOf(HTMLButtonElement);
    location.hash = '#/settings';
    await settle(el);
    expect(el.shadowRoot!.querySelector('lg-settings') === null, 'no lg-settings').to.equal(true);
  });

  it('kiosk: takes a waiting update by itself, between calls', async () => {
    const { el, phone } = await app({ search: '?kiosk=1&dial=100' });
    let applied = 0;
    await phone.call('100');
    el.shell.offerUpdate(() => applied++);
    expect(applied).to.equal(0);
    await phone.hangup(phone.calls[0]!.id);
    phone.dismiss(phone.calls[0]!.id);
    expect(applied).to.equal(1);
  });

  it('kiosk: incoming calls still ring', async () => {
    const { el, phone } = await app({ search: '?kiosk=1&dial=100' });
    phone.simulateIncoming();
    const ringing = await view(el, 'lg-ringing');
    button(ringing, 'Answer').click();
    const kiosk = await view(el, 'lg-kiosk');
    await until(() => text(kiosk.shadowRoot!).includes('Connected with'), 'in call');
  });

  it("passes the line group's decline policy (from the line) to the ringing view", async () => {
    const { el, phone } = await app();
    phone.updateLine(LINE_A.id, { decline: 'hidden' });
    phone.simulateIncoming({ line: LINE_A.id });
    const ringing = await view(el, 'lg-ringing');
    expect($$(ringing, '.actions button').map(text)).to.deep.equal(['Answer']);
    phone.updateLine(LINE_A.id, { decline: 'single' });
    await el.updateComplete;
    await (ringing as LitElement).updateComplete;
    expect($$(ringing, '.actions button').map(text)).to.deep.equal(['Decline', 'Answer']);
  });

  it("falls back to the shell's decline options for a call on no known line", async () => {
    const { el, phone } = await app();
    el.declineOptions = [];
    phone.simulateIncoming({ line: 'other/1' });
    const ringing = await view(el, 'lg-ringing');
    expect($$(ringing, '.actions button').map(text)).to.deep.equal(['Answer']);
  });

  it('offers a waiting update, but not during a call', async () => {
    const { el, phone } = await app();
    let applied = 0;
    el.shell.offerUpdate(() => applied++);
    await el.updateComplete;
    expect(text($(el, '.banner'))).to.contain('A new version of Linegate is ready.');
    await phone.call('201');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.banner') === null, 'no .banner').to.equal(true);
    await phone.hangup(phone.calls[0]!.id);
    phone.dismiss(phone.calls[0]!.id);
    await el.updateComplete;
    button(el, 'Reload').click();
    expect(applied).to.equal(1);
  });

  it('speaks German throughout', async () => {
    setLocalePref('de');
    const { el } = await app();
    await view(el, 'lg-dial');
    expect($$(el, 'nav a').map(text)).to.deep.equal(['Telefon', 'Anrufe', 'Einstellungen']);
    expect(text($(await view(el, 'lg-status'), '[role=status]'))).to.equal('Verbindung: Verbunden');
    const dial = await view(el, 'lg-dial');
    expect(button(dial, 'Anrufen')).to.be.instanceOf(HTMLButtonElement);
    expect(text($(await view(el, 'lg-lines'), 'legend'))).to.equal('Leitung für abgehende Anrufe');
  });

  it('follows the theme choice', async () => {
    const { el } = await app();
    expect(el.getAttribute('theme')).to.equal('system');
    setTheme('dark');
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
    expect(getComputedStyle(el).getPropertyValue('--lg-bg').trim()).to.equal('#111316');
    setTheme('light');
    await el.updateComplete;
    expect(getComputedStyle(el).getPropertyValue('--lg-bg').trim()).to.equal('#f4f6f8');
  });

  it('fits 320 px without sideways scrolling (in German, the longer words), and widens on a desktop', async () => {
    setLocalePref('de');
    await setViewport({ width: 320, height: 640 });
    const { el, phone } = await app();
    await view(el, 'lg-dial');
    await settle(el);
    expect(document.documentElement.scrollWidth).to.be.at.most(320);
    const grid = $(el, '.phone-grid');
    expect(getComputedStyle(grid).gridTemplateColumns.split(' ').length).to.equal(1);
    for (const a of $$(el, 'nav a')) expect(a.getBoundingClientRect().height).to.be.at.least(44);
    const id = await phone.call('+4989123456789');
    phone.remoteAnswer(id);
    phone.simulateIncoming({ name: 'Somebody With A Rather Long Name', number: '+4930123456789' });
    await view(el, 'lg-ringing');
    await view(el, 'lg-call');
    await settle(el);
    expect(document.documentElement.scrollWidth).to.be.at.most(320);
    await setViewport({ width: 1280, height: 800 });
    await settle(el);
    expect(getComputedStyle(grid).gridTemplateColumns.split(' ').length).to.equal(2);
  });

  it('fits 320 px with feature codes and forwarding rules open (in German)', async () => {
    setLocalePref('de');
    await setViewport({ width: 320, height: 640 });
    const { el, phone } = await app();
    phone.updateLine(LINE_A.id, { featureCodes: FEATURE_CODES });
    phone.forwardingRules = [
      { line: LINE_A.id, when: 'busy', calls: 'external', target: '+4989123456789', enabled: true },
    ];
    const dial = await view(el, 'lg-dial');
    const codes = $(dial, 'lg-feature-codes');
    button(codes, 'Feature-Codes').click();
    button(codes, /^Forward after time/).click();
    await settle(el);
    await settle(el);
    expect(codes.shadowRoot!.querySelector('lg-code-params') !== null, 'fields open').to.equal(
      true,
    );
    expect(document.documentElement.scrollWidth).to.be.at.most(320);
    location.hash = '#/settings';
    const settings = await view(el, 'lg-settings');
    const fwd = $(settings, 'lg-forwarding');
    await until(() => fwd.shadowRoot!.querySelector('fieldset') !== null, 'rules');
    await settle(el);
    expect(document.documentElement.scrollWidth).to.be.at.most(320);
  });

  it('can be driven by the keyboard: Tab reaches the nav and the dial pad', async () => {
    const { el } = await app();
    await view(el, 'lg-dial');
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      await sendKeys({ press: 'Tab' });
      let a = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      if (a) seen.add(a.getAttribute('aria-label') ?? text(a));
    }
    for (const name of ['Phone', 'Calls', 'Settings', '5', 'Call']) {
      expect([...seen], name).to.include(name);
    }
  });
});
