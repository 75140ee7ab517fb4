import { expect } from '@esm-bundle/chai';
import { setLocalePref } from '../i18n/index.ts';
import { FakePhone } from '../test-support/fake-phone.ts';
import { FakeTones, cleanup, settle, until } from '../test-support/helpers.ts';
import './lg-app.ts';

describe('lg-app: opened without network', () => {
  beforeEach(() => {
    setLocalePref('en');
    localStorage.setItem('linegate.notify-asked', '1');
  });
  afterEach(() => {
    cleanup();
  });

  it('says the gateway cannot be reached, and resumes the session once back online', async () => {
    const phone = new FakePhone();
    phone.resumeResult = true;
    phone.failNext('resume', 'network');
    const el = document.createElement('lg-app');
    el.search = '';
    el.tones = new FakeTones();
    el.phone = phone;
    document.body.append(el);
    await until(() => !el.shell.starting, 'started');
    await settle(el);
    expect(el.shell.startError).to.equal('error.network');
    expect(phone.connection).to.equal('signed-out');
    window.dispatchEvent(new Event('online'));
    await until(() => phone.connection === 'connected', 'resumed');
    expect(phone.commands('resume').length).to.equal(2);
  });
});
