import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { setLocalePref } from '../../i18n/index.ts';
import { FakePhone } from '../../test-support/fake-phone.ts';
import { $, button, cleanup, deepActive, mount, text, until } from '../../test-support/helpers.ts';
import { LgSignIn } from './lg-sign-in.ts';

async function signInView(): Promise<{ el: LgSignIn; phone: FakePhone }> {
  const phone = new FakePhone();
  const el = new LgSignIn();
  el.phone = phone;
  await mount(el);
  return { el, phone };
}

function fill(el: LgSignIn, username: string, password: string): void {
  ($(el, '#username') as HTMLInputElement).value = username;
  ($(el, '#password') as HTMLInputElement).value = password;
}

describe('lg-sign-in', () => {
  beforeEach(() => setLocalePref('en'));
  afterEach(cleanup);

  it('has labelled fields with autocomplete hints and focuses the username', async () => {
    const { el } = await signInView();
    const user = $(el, '#username') as HTMLInputElement;
    const pass = $(el, '#password') as HTMLInputElement;
    expect(user.labels?.[0]?.textContent).to.contain('Username');
    expect(pass.labels?.[0]?.textContent).to.contain('Password');
    expect(user.autocomplete).to.equal('username');
    expect(pass.autocomplete).to.equal('current-password');
    expect(pass.type).to.equal('password');
    expect(deepActive() === user, 'focus on the username').to.equal(true);
  });

  it('signs in from the keyboard alone', async () => {
    const { el, phone } = await signInView();
    await sendKeys({ type: 'alice' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'secret' });
    await sendKeys({ press: 'Enter' });
    await until(() => phone.connection === 'connected', 'signed in');
    expect(phone.commands('signIn')).to.deep.equal([['alice', '(password)']]);
    await el.updateComplete;
    expect(($(el, '#password') as HTMLInputElement).value).to.equal('');
  });

  it('says when username or password is wrong, and selects the password', async () => {
    const { el } = await signInView();
    fill(el, 'alice', 'wrong');
    button(el, 'Sign in').click();
    await until(() => text($(el, '[role=alert]')) !== '', 'alert');
    expect(text($(el, '[role=alert]'))).to.equal('Username or password is wrong.');
    await until(() => deepActive() === $(el, '#password'), 'password focused');
  });

  it('tells the app of each attempt with a promise of its outcome', async () => {
    const { el } = await signInView();
    const attempts: Promise<void>[] = [];
    el.addEventListener('lg-signing-in', (e) => attempts.push(e.detail.done));
    fill(el, 'alice', 'wrong');
    button(el, 'Sign in').click();
    await until(() => attempts.length === 1, 'first attempt');
    const first = await attempts[0]!.then(
      () => 'signed in',
      () => 'refused',
    );
    expect(first).to.equal('refused');
    await until(() => text($(el, 'button[type=submit]')) === 'Sign in', 'form ready again');
    fill(el, 'alice', 'secret');
    button(el, 'Sign in').click();
    await until(() => attempts.length === 2, 'second attempt');
    await attempts[1];
    await until(() => text($(el, 'button[type=submit]')) === 'Sign in', 'form ready again');
    fill(el, '', '');
    button(el, 'Sign in').click();
    await el.updateComplete;
    expect(attempts, 'no attempt without username and password').to.have.length(2);
  });

  it('explains rate limiting and network failures', async () => {
    const { el, phone } = await signInView();
    fill(el, 'alice', 'secret');
    phone.failNext('signIn', 'rate-limited');
    button(el, 'Sign in').click();
    await until(() => text($(el, '[role=alert]')) !== '', 'alert');
    expect(text($(el, '[role=alert]'))).to.match(/Too many attempts/);
    phone.failNext('signIn', 'network');
    button(el, 'Sign in').click();
    await until(() => /gateway cannot be reached/.test(text($(el, '[role=alert]'))), 'network');
  });

  it('asks for both fields before trying', async () => {
    const { el, phone } = await signInView();
    fill(el, 'alice', '');
    button(el, 'Sign in').click();
    await el.updateComplete;
    expect(text($(el, '[role=alert]'))).to.equal('Enter your username and password.');
    expect(phone.commands('signIn')).to.deep.equal([]);
  });

  it('shows a start error given by the shell', async () => {
    const phone = new FakePhone();
    const el = new LgSignIn();
    el.phone = phone;
    el.error = 'error.network';
    await mount(el);
    expect(text($(el, '[role=alert]'))).to.match(/cannot be reached/);
  });

  it('speaks German', async () => {
    setLocalePref('de');
    const { el } = await signInView();
    expect(text(el.shadowRoot!)).to.contain('Anmelden');
    expect(text(el.shadowRoot!)).to.contain('Benutzername');
  });
});
