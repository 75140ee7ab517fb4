import { expect } from '@esm-bundle/chai';
import { LitElement } from 'lit';
import { FakePhone } from '../test-support/fake-phone.ts';
import { FakeTones, cleanup, until } from '../test-support/helpers.ts';
import { AutoDismiss } from './auto-dismiss.ts';
import { callStateKey, focusCall, ringingCall } from './calls.ts';
import { CallNotifier } from './notifier.ts';
import { Ringer } from './ringer.ts';
import { routeOf } from './router.ts';
import { WebAudioTones } from './tones.ts';
import { WakeLockController } from './wake-lock.ts';

function connected(): FakePhone {
  const phone = new FakePhone();
  phone.connection = 'connected';
  return phone;
}

function setVisibility(state: DocumentVisibilityState | undefined): void {
  if (state === undefined) {
    delete (document as { visibilityState?: unknown }).visibilityState;
    return;
  }
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
}

describe('which call the views show', () => {
  it('prefers the call we talk on, then the newest live one, then the newest ended one', async () => {
    const phone = connected();
    expect(focusCall(phone.calls)).to.equal(undefined);
    const a = await phone.call('1');
    const b = await phone.call('2');
    expect(focusCall(phone.calls)?.id).to.equal(b);
    phone.remoteAnswer(a);
    expect(focusCall(phone.calls)?.id).to.equal(a);
    phone.remoteEnd(a, 'busy');
    phone.remoteEnd(b, 'busy');
    expect(focusCall(phone.calls)?.id).to.equal(b);
    const r = phone.simulateIncoming();
    expect(ringingCall(phone.calls)?.id).to.equal(r);
    expect(focusCall(phone.calls)?.id).to.equal(b);
  });

  it('names held and remotely held calls', async () => {
    const phone = connected();
    const id = await phone.call('1');
    phone.remoteAnswer(id);
    phone.remoteHold(id, true);
    expect(callStateKey(phone.callById(id)!)).to.equal('call.state.remoteHeld');
    await phone.hold(id, true);
    expect(callStateKey(phone.callById(id)!)).to.equal('call.state.held');
  });
});

describe('Ringer', () => {
  it('rings when idle, beeps during a call, stops when nothing rings', async () => {
    const phone = connected();
    phone.devices = { output: 'spk' };
    const tones = new FakeTones();
    const ringer = new Ringer(tones);
    phone.subscribe(() => ringer.update(phone));
    const first = phone.simulateIncoming();
    await phone.answer(first);
    phone.simulateIncoming();
    phone.remoteEnd(first, 'remote-hangup');
    expect(tones.log).to.deep.equal([
      'play ring on spk',
      'stop',
      'play waiting on spk',
      'play ring on spk',
    ]);
  });
});

describe('AutoDismiss', () => {
  it('dismisses ended calls after their delay and forgets hand-dismissed ones', async () => {
    const phone = connected();
    const auto = new AutoDismiss((c) => (c.end?.reason === 'busy' ? 20 : 10_000));
    phone.subscribe(() => auto.update(phone));
    const a = await phone.call('1');
    const b = await phone.call('2');
    phone.remoteEnd(a, 'busy');
    phone.remoteEnd(b, 'remote-hangup');
    phone.dismiss(b);
    await until(() => phone.calls.length === 0, 'dismissed');
    auto.clear();
  });
});

describe('CallNotifier', () => {
  const Real = window.Notification;
  const shown: { title: string; body?: string | undefined; closed: boolean }[] = [];
  class FakeNotification {
    static permission: NotificationPermission = 'granted';
    onclick: (() => void) | null = null;
    readonly record: { title: string; body?: string | undefined; closed: boolean };
    constructor(title: string, options?: NotificationOptions) {
      this.record = { title, body: options?.body, closed: false };
      shown.push(this.record);
    }
    close(): void {
      this.record.closed = true;
    }
  }

  beforeEach(() => {
    shown.length = 0;
    (window as { Notification: unknown }).Notification = FakeNotification;
  });
  afterEach(() => {
    (window as { Notification: unknown }).Notification = Real;
    setVisibility(undefined);
  });

  it('shows ringing calls only while hidden, and closes them when they stop ringing', () => {
    const phone = connected();
    const notifier = new CallNotifier((c) => ({ title: `call ${c.remote.number}`, body: 'b' }));
    setVisibility('visible');
    const a = phone.simulateIncoming({ number: '1' });
    notifier.update(phone.calls);
    expect(shown).to.deep.equal([]);
    setVisibility('hidden');
    notifier.update(phone.calls);
    notifier.update(phone.calls);
    expect(shown).to.deep.equal([{ title: 'call 1', body: 'b', closed: false }]);
    phone.remoteEnd(a, 'cancelled');
    notifier.update(phone.calls);
    expect(shown[0]?.closed).to.equal(true);
  });

  it('does nothing without permission', () => {
    FakeNotification.permission = 'default';
    try {
      const phone = connected();
      const notifier = new CallNotifier(() => ({ title: 't', body: '' }));
      setVisibility('hidden');
      phone.simulateIncoming();
      notifier.update(phone.calls);
      expect(shown).to.deep.equal([]);
    } finally {
      FakeNotification.permission = 'granted';
    }
  });
});

class Host extends LitElement {
  readonly lock = new WakeLockController(this);
}
customElements.define('lg-test-wake-host', Host);

describe('WakeLockController', () => {
  const real = Object.getOwnPropertyDescriptor(Navigator.prototype, 'wakeLock');
  afterEach(() => {
    if (real) Object.defineProperty(Navigator.prototype, 'wakeLock', real);
    delete (navigator as { wakeLock?: unknown }).wakeLock;
    setVisibility(undefined);
    cleanup();
  });

  it('keeps the screen on while active and takes the lock again when visible', async () => {
    let requests = 0;
    const sentinels: { released: boolean }[] = [];
    Object.defineProperty(navigator, 'wakeLock', {
      configurable: true,
      value: {
        request: () => {
          requests++;
          const s = {
            released: false,
            release: () => {
              s.released = true;
              return Promise.resolve();
            },
          };
          sentinels.push(s);
          return Promise.resolve(s);
        },
      },
    });
    setVisibility('visible');
    const host = new Host();
    document.body.append(host);
    host.lock.active = true;
    await until(() => host.lock.held, 'held');
    // The browser drops the lock when the page hides.
    sentinels[0]!.released = true;
    document.dispatchEvent(new Event('visibilitychange'));
    await until(() => requests === 2 && host.lock.held, 'taken again');
    host.lock.active = false;
    expect(sentinels[1]?.released).to.equal(true);
  });
});

describe('routes and tones', () => {
  it('reads routes from the hash', () => {
    expect(routeOf('')).to.equal('phone');
    expect(routeOf('#/journal')).to.equal('journal');
    expect(routeOf('#settings')).to.equal('settings');
    expect(routeOf('#/nope')).to.equal('phone');
  });

  it('plays and stops WebAudio tones without throwing, on a named output too', () => {
    const tones = new WebAudioTones();
    tones.unlock();
    tones.play('ring');
    tones.play('waiting', 'no-such-device');
    tones.play('test');
    tones.stop();
    tones.stop();
  });
});
