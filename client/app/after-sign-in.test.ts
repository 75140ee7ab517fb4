import { expect } from '@esm-bundle/chai';
import { setLocalePref } from '../i18n/index.ts';
import { FakePhone, LINE_A } from '../test-support/fake-phone.ts';
import { until } from '../test-support/helpers.ts';
import { AfterSignInDialer } from './after-sign-in.ts';
import { ERROR_EVENT, type ErrorDetail } from './errors.ts';

const ACTION = { line: LINE_A.id, dial: '*72*', name: 'Stop forwarding' };

/** A host that counts updates and collects `lg-error`s. */
function host() {
  const target = new EventTarget();
  const errors: ErrorDetail[] = [];
  target.addEventListener(ERROR_EVENT, (e) => errors.push((e as CustomEvent<ErrorDetail>).detail));
  let updates = 0;
  return {
    target: Object.assign(target, {
      requestUpdate: () => {
        updates++;
      },
    }),
    errors,
    updates: () => updates,
  };
}

describe('AfterSignInDialer', () => {
  beforeEach(() => setLocalePref('en'));

  it('dials the action once, on its line, as soon as the phone is connected', async () => {
    const phone = new FakePhone();
    phone.connection = 'connecting';
    phone.user = { username: 'alice', displayName: 'Alice' };
    phone.setSessionAfterSignIn(ACTION);
    const h = host();
    const dialer = new AfterSignInDialer(h.target);
    expect(dialer.signedIn(phone)).to.equal(true);
    expect(phone.commands('call')).to.deep.equal([]);
    phone.connection = 'connected';
    dialer.update(phone);
    dialer.update(phone);
    await until(() => dialer.call !== undefined, 'call placed');
    expect(phone.commands('call')).to.deep.equal([['*72*', { line: LINE_A.id }]]);
    expect(dialer.call).to.deep.equal({ id: phone.calls[0]?.id, name: 'Stop forwarding' });
    expect(h.updates()).to.be.greaterThan(0);
    // Reconnecting later does not dial again.
    phone.connection = 'reconnecting';
    dialer.update(phone);
    phone.connection = 'connected';
    dialer.update(phone);
    await new Promise((r) => setTimeout(r, 10));
    expect(phone.commands('call')).to.have.length(1);
  });

  it('dials nothing without a sign-in by the form, or without an action', async () => {
    const phone = new FakePhone();
    phone.connection = 'connected';
    phone.afterSignInAction = ACTION;
    const dialer = new AfterSignInDialer(host().target);
    dialer.update(phone);
    phone.setSessionAfterSignIn(undefined);
    expect(dialer.signedIn(phone)).to.equal(false);
    await new Promise((r) => setTimeout(r, 10));
    expect(phone.commands('call')).to.deep.equal([]);
    expect(dialer.call).to.equal(undefined);
  });

  it('forgets the action when signed out before it was dialled', async () => {
    const phone = new FakePhone();
    phone.connection = 'connecting';
    phone.afterSignInAction = ACTION;
    const dialer = new AfterSignInDialer(host().target);
    dialer.signedIn(phone);
    phone.connection = 'signed-out';
    dialer.update(phone);
    phone.connection = 'connected';
    dialer.update(phone);
    await new Promise((r) => setTimeout(r, 10));
    expect(phone.commands('call')).to.deep.equal([]);
  });

  it('says when the action could not be dialled', async () => {
    const phone = new FakePhone();
    phone.connection = 'connected';
    phone.afterSignInAction = ACTION;
    phone.failNext('call', 'not-connected');
    const h = host();
    const dialer = new AfterSignInDialer(h.target);
    dialer.signedIn(phone);
    await until(() => h.errors.length === 1, 'error');
    expect(h.errors[0]?.key).to.equal('afterSignIn.failed');
    expect(h.errors[0]?.params).to.deep.equal({
      name: 'Stop forwarding',
      reason: 'Not connected to the gateway. Wait a moment and try again.',
    });
    expect(dialer.call).to.equal(undefined);
  });
});
