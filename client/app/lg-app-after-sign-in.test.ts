import { expect } from '@esm-bundle/chai';
import type { AfterSignIn } from '../phone/types.ts';
import { FEATURE_CODES, FakePhone, LINE_A, LINE_B } from '../test-support/fake-phone.ts';
import { $, button, cleanup, settle, text, until } from '../test-support/helpers.ts';
import { findIn, mountApp, removeApp, resetAppState } from '../test-support/app-fixture.ts';
import type { LgApp } from './lg-app.ts';

const STOP: AfterSignIn = { dial: '*72*', name: 'Stop forwarding' };

interface Options {
  /** The user's after-sign-in setting at the gateway. */
  readonly setting?: AfterSignIn;
  /** Signed in already (resume() succeeds). */
  readonly session?: boolean;
  readonly lines?: FakePhone['lines'];
}

async function app(opts: Options = {}) {
  const phone = new FakePhone();
  phone.resumeResult = opts.session ?? false;
  phone.lines = opts.lines ?? [{ ...LINE_A, featureCodes: FEATURE_CODES }];
  phone.afterSignInSetting = opts.setting ?? STOP;
  const { el } = await mountApp(phone);
  return { el, phone };
}

const find = findIn;

async function signIn(el: LgApp, password = 'secret'): Promise<void> {
  await until(() => find(el, 'lg-sign-in') !== null, '<lg-sign-in>');
  const form = find(el, 'lg-sign-in')!;
  ($(form, '#username') as HTMLInputElement).value = 'alice';
  ($(form, '#password') as HTMLInputElement).value = password;
  button(form, 'Sign in').click();
  await settle(el);
}

/** Lets the app react to the sign-in and render the call. */
async function callView(el: LgApp) {
  await until(() => find(el, 'lg-call') !== null, '<lg-call>');
  const call = find(el, 'lg-call')!;
  await until(() => call.shadowRoot?.querySelector('.after-sign-in') !== null, 'named');
  return call;
}

describe('lg-app: the action after sign-in', () => {
  beforeEach(resetAppState);
  afterEach(removeApp);

  it('dials it on its line after a sign-in with the form, and shows its call by name', async () => {
    location.hash = '#/settings';
    const { el, phone } = await app();
    await signIn(el);
    await until(() => phone.calls.length === 1, 'action dialled');
    expect(phone.commands('call')).to.deep.equal([['*72*', { line: LINE_A.id }]]);
    const call = await callView(el);
    expect(location.hash).to.equal('#/phone');
    expect(text($(call, '.after-sign-in'))).to.equal('After-sign-in action');
    expect(text($(call, '#who'))).to.equal('Stop forwarding');
    expect(text($(call, '.number'))).to.equal('*72*');
    // The PBX answers with its tones, then hangs up.
    const id = phone.calls[0]!.id;
    phone.remoteAnswer(id);
    phone.remoteEnd(id, 'remote-hangup');
    await call.updateComplete;
    expect(text($(call, '#who'))).to.equal('Stop forwarding');
    expect(text($(call, '[role=alert]'))).to.equal('The other side hung up.');
    await settle(el);
    expect(phone.commands('call')).to.have.length(1);
  });

  it('can be hung up like any call', async () => {
    const { el, phone } = await app();
    await signIn(el);
    const call = await callView(el);
    button(call, 'Hang up').click();
    await until(() => phone.calls[0]?.state === 'ended', 'ended');
    expect(phone.calls[0]?.end?.reason).to.equal('cancelled');
  });

  it('names a call the feature-code menu placed the same way, as a feature code', async () => {
    const { el, phone } = await app({ session: true, setting: { dial: null } });
    await until(() => find(el, 'lg-dial') !== null, '<lg-dial>');
    const codes = $(find(el, 'lg-dial')!, 'lg-feature-codes');
    button(codes, 'Feature codes').click();
    await settle(el);
    button(codes, /Hide my number/).click();
    await until(() => find(el, 'lg-call') !== null, '<lg-call>');
    const call = find(el, 'lg-call')!;
    await until(() => call.shadowRoot?.querySelector('.feature-code') !== null, 'named');
    expect(text($(call, '.feature-code'))).to.equal('Feature code');
    expect(text($(call, '#who'))).to.equal('Hide my number');
    expect(phone.commands('call')).to.deep.equal([['*31', { line: LINE_A.id }]]);
  });

  it('is not dialled when the page resumes its session', async () => {
    const { el, phone } = await app({ session: true });
    await until(() => find(el, 'lg-dial') !== null, '<lg-dial>');
    expect(phone.afterSignInAction).to.deep.equal({ ...STOP, line: LINE_A.id });
    await settle(el);
    expect(phone.commands('call')).to.deep.equal([]);
  });

  it('is dialled once per sign-in: not after a failed try, again after signing in anew', async () => {
    const { el, phone } = await app();
    await signIn(el, 'wrong');
    await until(() => text($(find(el, 'lg-sign-in')!, '[role=alert]')) !== '', 'refused');
    expect(phone.commands('call')).to.deep.equal([]);
    await signIn(el);
    await until(() => phone.calls.length === 1, 'action dialled');
    phone.remoteEnd(phone.calls[0]!.id, 'remote-hangup');
    phone.setConnection('reconnecting');
    phone.setConnection('connected');
    await settle(el);
    expect(phone.commands('call')).to.have.length(1);
    await phone.signOut();
    await signIn(el);
    await until(() => phone.commands('call').length === 2, 'dialled again');
  });

  it('dials nothing when none is set, or for a user with several lines', async () => {
    const { el, phone } = await app({ setting: { dial: null } });
    await signIn(el);
    await until(() => find(el, 'lg-dial') !== null, '<lg-dial>');
    await settle(el);
    expect(phone.commands('call')).to.deep.equal([]);
    cleanup();
    const several = await app({ lines: [LINE_A, LINE_B] });
    await signIn(several.el);
    await until(() => find(several.el, 'lg-dial') !== null, '<lg-dial>');
    await settle(several.el);
    expect(several.phone.afterSignInAction).to.equal(undefined);
    expect(several.phone.commands('call')).to.deep.equal([]);
  });

  it('says when it could not be dialled', async () => {
    const { el, phone } = await app();
    phone.failNext('call', 'not-connected');
    await signIn(el);
    await until(() => text($(el, '.messages')) !== '', 'message');
    expect(text($(el, '.messages'))).to.equal(
      'The after-sign-in action “Stop forwarding” could not be dialled: Not connected to the gateway. Wait a moment and try again.',
    );
  });

  it('is set in the settings and dialled after the next sign-in', async () => {
    const { el, phone } = await app({ setting: { dial: null }, session: true });
    location.hash = '#/settings';
    await until(() => find(el, 'lg-settings') !== null, '<lg-settings>');
    const settings = find(el, 'lg-settings')!;
    await until(() => settings.shadowRoot?.querySelector('lg-after-sign-in') !== null, 'section');
    const section = $(settings, 'lg-after-sign-in');
    await until(() => section.shadowRoot?.querySelector('select.action') !== null, 'loaded');
    const select = $(section, 'select.action') as HTMLSelectElement;
    select.value = [...select.options].find((o) => text(o) === 'Stop forwarding (*72*)')!.value;
    select.dispatchEvent(new Event('change'));
    await settle(el);
    button(section, 'Save action').click();
    await until(() => phone.afterSignInSetting.dial === '*72*', 'saved');
    expect(phone.commands('call')).to.deep.equal([]);
    button(settings, 'Sign out').click();
    await signIn(el);
    await until(() => phone.calls.length === 1, 'action dialled');
    expect(phone.commands('call')).to.deep.equal([['*72*', { line: LINE_A.id }]]);
  });
});
