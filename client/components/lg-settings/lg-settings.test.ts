import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { getLocale, setLocalePref } from '../../i18n/index.ts';
import { getTheme, setTheme } from '../../app/theme.ts';
import { FEATURE_CODES, FakePhone, LINE_A } from '../../test-support/fake-phone.ts';
import {
  $,
  $$,
  FakeTones,
  button,
  cleanup,
  mount,
  text,
  until,
} from '../../test-support/helpers.ts';
import { LgSettings } from './lg-settings.ts';

async function settings() {
  const phone = new FakePhone();
  phone.connection = 'connected';
  phone.user = { username: 'alice', displayName: 'Alice' };
  const tones = new FakeTones();
  const el = new LgSettings();
  el.phone = phone;
  el.tones = tones;
  const errors: string[] = [];
  el.addEventListener('lg-error', (e) => errors.push(e.detail.key));
  await mount(el);
  return { el, phone, tones, errors };
}

function selectByLabel(el: Element, label: string): HTMLSelectElement {
  const found = $$(el, 'select').find((s) =>
    [...(s as HTMLSelectElement).labels].some((l) => text(l).startsWith(label)),
  );
  if (!found) throw new Error(`no select labelled ${label}`);
  return found as HTMLSelectElement;
}

describe('lg-settings', () => {
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  beforeEach(() => {
    setLocalePref('en');
    setTheme('system');
  });
  afterEach(() => {
    navigator.mediaDevices.getUserMedia = getUserMedia;
    setTheme('system');
    cleanup();
  });

  it('offers labelled device choices with a system default', async () => {
    const { el } = await settings();
    const mic = selectByLabel(el, 'Microphone');
    expect(mic.options[0]?.textContent.trim()).to.equal('System default');
    if ('setSinkId' in HTMLMediaElement.prototype) {
      expect(selectByLabel(el, 'Speaker or headset').options[0]?.value).to.equal('');
    } else {
      expect(text(el.shadowRoot!)).to.contain("system's audio output");
    }
  });

  it('hands a device choice to the phone', async () => {
    const { el, phone } = await settings();
    const mic = selectByLabel(el, 'Microphone');
    mic.value = '';
    mic.dispatchEvent(new Event('change'));
    await until(() => phone.commands('setDevices').length === 1, 'setDevices');
    expect(phone.commands('setDevices')).to.deep.equal([[{ input: undefined }]]);
  });

  it('plays the test tone on the chosen output', async () => {
    const { el, phone, tones } = await settings();
    phone.devices = { output: 'speaker-2' };
    button(el, 'Play test tone').click();
    expect(tones.log).to.deep.equal(['play test on speaker-2']);
  });

  it('shows the microphone level while testing', async () => {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const dest = ctx.createMediaStreamDestination();
    osc.connect(dest);
    osc.start();
    navigator.mediaDevices.getUserMedia = () => Promise.resolve(dest.stream);
    const { el } = await settings();
    // A real key press: audio starts only after a user gesture.
    button(el, 'Test microphone').focus();
    await sendKeys({ press: 'Enter' });
    await ctx.resume();
    const meter = $(el, 'meter') as HTMLMeterElement;
    await until(() => meter.value > 0, 'level');
    expect(text($(el, '.meter'))).to.contain('Microphone level');
    button(el, 'Stop test').click();
    await el.updateComplete;
    expect(meter.value).to.equal(0);
    osc.stop();
    await ctx.close();
  });

  it('says when the microphone is refused', async () => {
    navigator.mediaDevices.getUserMedia = () =>
      Promise.reject(new DOMException('denied', 'NotAllowedError'));
    const { el, errors } = await settings();
    button(el, 'Test microphone').click();
    await until(() => errors.length === 1, 'error');
    expect(errors).to.deep.equal(['error.no-microphone']);
  });

  it('switches the language, and back to the browser language', async () => {
    const { el } = await settings();
    const lang = $(el, 'section[aria-labelledby=lang] select') as HTMLSelectElement;
    expect([...lang.options].map((o) => o.value)).to.deep.equal(['system', 'de', 'en']);
    lang.value = 'de';
    lang.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(getLocale()).to.equal('de');
    expect(text($(el, 'h2'))).to.equal('Einstellungen');
    expect(text(el.shadowRoot!)).to.contain('Abmelden');
    lang.value = 'system';
    lang.dispatchEvent(new Event('change'));
    expect(localStorage.getItem('linegate.locale')).to.equal(null);
  });

  it('chooses the theme', async () => {
    const { el } = await settings();
    const radios = $$(el, 'input[name=theme]') as HTMLInputElement[];
    expect(radios.map((r) => text(r.parentElement!))).to.deep.equal([
      'Like the system',
      'Light',
      'Dark',
    ]);
    expect(radios[0]!.checked).to.equal(true);
    radios[2]!.click();
    expect(getTheme()).to.equal('dark');
    expect(localStorage.getItem('linegate.theme')).to.equal('dark');
  });

  it('says how notifications stand', async () => {
    const { el } = await settings();
    const said = text($(el, 'section[aria-labelledby=notify]'));
    expect(said).to.match(
      /Notifications (Incoming calls are shown|Notifications are blocked|Get a notification|This browser cannot)/,
    );
  });

  it('holds the call forwarding of the signed-in user', async () => {
    const { el, phone } = await settings();
    const fwd = $(el, 'lg-forwarding');
    await until(() => phone.commands('forwarding').length === 1, 'rules asked for');
    expect(text($(fwd, 'h3'))).to.equal('Call forwarding');
    phone.user = undefined;
    el.requestUpdate();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('lg-forwarding') === null, 'no lg-forwarding').to.equal(
      true,
    );
  });

  it('offers the action after sign-in to a user with exactly one line', async () => {
    const { el, phone } = await settings();
    const action = $(el, 'lg-after-sign-in');
    expect(action.hidden, 'hidden with two lines').to.equal(true);
    phone.setLines([{ ...LINE_A, featureCodes: FEATURE_CODES }]);
    await until(() => phone.commands('afterSignIn').length === 1, 'action asked for');
    await until(() => action.shadowRoot!.querySelector('select.action') !== null, 'loaded');
    expect(action.hidden).to.equal(false);
    expect(text($(action, 'h3'))).to.equal('After sign-in');
    const sections = $$(el, 'lg-forwarding, lg-after-sign-in').map((e) => e.localName);
    expect(sections).to.deep.equal(['lg-forwarding', 'lg-after-sign-in']);
  });

  it('shows the account and signs out', async () => {
    const { el, phone } = await settings();
    expect(text(el.shadowRoot!)).to.contain('Signed in as Alice (alice)');
    button(el, 'Sign out').click();
    await until(() => phone.connection === 'signed-out', 'signed out');
  });
});

describe('phone links', () => {
  it('asks the browser to open tel: and sip: links in the dial view', async () => {
    const calls: [string, string][] = [];
    const real = navigator.registerProtocolHandler.bind(navigator);
    navigator.registerProtocolHandler = (scheme: string, url: string) => {
      calls.push([scheme, url]);
    };
    try {
      const { handlePhoneLinks } = await import('../../app/phone-links.ts');
      expect(handlePhoneLinks('https://gw.example')).to.equal(true);
      expect(calls).to.deep.equal([
        ['tel', 'https://gw.example/?dial=%s'],
        ['sip', 'https://gw.example/?dial=%s'],
      ]);
    } finally {
      navigator.registerProtocolHandler = real;
    }
  });
});
