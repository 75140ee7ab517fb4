import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { setLocalePref } from '../../i18n/index.ts';
import type { EndReason, LineFunctions } from '../../phone/types.ts';
import { FakePhone, LINE_A, LINE_B, MUNICH } from '../../test-support/fake-phone.ts';
import {
  $,
  $$,
  button,
  cleanup,
  deepActive,
  mount,
  settle,
  text,
  until,
} from '../../test-support/helpers.ts';
import { LgCall } from './lg-call.ts';

async function callView() {
  const phone = new FakePhone();
  phone.connection = 'connected';
  const el = new LgCall();
  el.phone = phone;
  el.line = 'hfo/201';
  const errors: string[] = [];
  el.addEventListener('lg-error', (e) => errors.push(e.detail.key));
  await mount(el);
  return { el, phone, errors };
}

async function outgoing(phone: FakePhone, el: LgCall, number = '0891234'): Promise<string> {
  const id = await phone.call(number);
  await el.updateComplete;
  return id;
}

const status = (el: LgCall) => text($(el, '.state'));

describe('lg-call', () => {
  beforeEach(() => setLocalePref('en'));
  afterEach(cleanup);

  it('follows an outgoing call from calling to connected, with a timer', async () => {
    const { el, phone } = await callView();
    const id = await outgoing(phone, el);
    expect(text($(el, 'h2'))).to.equal('0891234');
    expect(status(el)).to.equal('Calling…');
    expect(text($(el, '[role=status]'))).to.equal('0891234: Calling…');
    expect(deepActive() === $(el, '#hangup'), 'focus on Hang up').to.equal(true);
    expect(button(el, /Hold/).disabled).to.equal(true);
    phone.remoteProgress(id);
    await el.updateComplete;
    expect(status(el)).to.equal('Ringing…');
    phone.remoteAnswer(id);
    await el.updateComplete;
    expect(status(el)).to.equal('Connected');
    expect(text($(el, '.timer'))).to.equal('Duration 0:00');
    expect(text(el.shadowRoot!)).to.contain('Line Sales (201)');
  });

  it("shows the other side's number as at the line's location", async () => {
    const { el, phone } = await callView();
    phone.updateLine(LINE_A.id, { location: MUNICH });
    const first = phone.simulateIncoming({ number: '+49891234567', name: 'Bob', line: LINE_A.id });
    await phone.answer(first);
    await el.updateComplete;
    expect(text($(el, 'h2'))).to.equal('Bob');
    expect(text($(el, '.number'))).to.equal('+49 89 1234567');
    const second = await phone.call('+4930123456', { line: LINE_A.id });
    await el.updateComplete;
    expect(text($(el, 'h2'))).to.equal('+49 30123456');
    expect(text($(el, '[role=status]'))).to.equal('+49 30123456: Calling…');
    expect(text($(el, '.others'))).to.match(/^Bob /);
    phone.remoteEnd(second, 'busy', 486);
    const third = await phone.call('+4930123456', { line: LINE_B.id });
    await el.updateComplete;
    expect(phone.callById(third)?.remote.number).to.equal('+4930123456');
    expect(text($(el, 'h2'))).to.equal('+4930123456');
  });

  it('names the call of the after-sign-in action', async () => {
    const { el, phone } = await callView();
    const id = await phone.call('*72*', { line: LINE_A.id });
    const codes = new Map([[id, { id, name: 'Stop forwarding', kind: 'after-sign-in' as const }]]);
    el.codeCall = (callId) => codes.get(callId);
    await el.updateComplete;
    expect(text($(el, '.after-sign-in'))).to.equal('After-sign-in action');
    expect(text($(el, '.not-evaluated'))).to.equal(
      "The PBX's answer (tones or an announcement) is not evaluated.",
    );
    expect(text($(el, '#who'))).to.equal('Stop forwarding');
    expect(text($(el, '.number'))).to.equal('*72*');
    expect(text($(el, '[role=status]'))).to.equal('Stop forwarding: Calling…');
    phone.remoteAnswer(id);
    const other = await phone.call('201');
    await el.updateComplete;
    expect(text($(el, '#who'))).to.equal('201');
    expect(el.shadowRoot!.querySelector('.after-sign-in') === null, 'not on other calls').to.equal(
      true,
    );
    expect(text($(el, '.others'))).to.match(/^Stop forwarding /);
    await phone.hangup(other);
    phone.dismiss(other);
    phone.remoteEnd(id, 'remote-hangup');
    await el.updateComplete;
    expect(text($(el, '#who'))).to.equal('Stop forwarding');
    expect(text($(el, '[role=alert]'))).to.equal('The other side hung up.');
  });

  it('names a call to a feature code from the menu and says its answer is not evaluated', async () => {
    const { el, phone } = await callView();
    const id = await phone.call('*31', { line: LINE_A.id });
    el.codeCall = (callId) =>
      callId === id ? { id, name: 'Hide my number', kind: 'feature-code' } : undefined;
    await el.updateComplete;
    expect(text($(el, '.feature-code'))).to.equal('Feature code');
    expect(text($(el, '#who'))).to.equal('Hide my number');
    expect(text($(el, '.number'))).to.equal('*31');
    expect(el.shadowRoot!.querySelector('.not-evaluated') !== null, 'the hint').to.equal(true);
    await phone.hangup(id);
  });

  it('mutes and holds, with the pressed state for screen readers', async () => {
    const { el, phone } = await callView();
    const id = await outgoing(phone, el);
    phone.remoteAnswer(id);
    await el.updateComplete;
    button(el, /Mute/).click();
    await el.updateComplete;
    expect(phone.callById(id)?.muted).to.equal(true);
    expect(button(el, /Mute/).getAttribute('aria-pressed')).to.equal('true');
    button(el, /Hold/).click();
    await until(() => phone.callById(id)?.held === true, 'held');
    await el.updateComplete;
    expect(status(el)).to.equal('On hold');
    expect(button(el, /Hold/).getAttribute('aria-pressed')).to.equal('true');
    phone.remoteHold(id, true);
    button(el, /Hold/).click();
    await until(() => phone.callById(id)?.held === false, 'resumed');
    await el.updateComplete;
    expect(status(el)).to.equal('The other side put you on hold');
  });

  it('sends DTMF from the keypad by click and keyboard', async () => {
    const { el, phone } = await callView();
    const id = await outgoing(phone, el);
    phone.remoteAnswer(id);
    await el.updateComplete;
    const toggle = button(el, /Keypad/);
    toggle.click();
    await el.updateComplete;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    const pad = $(el, 'lg-dialpad');
    $(pad, '[data-key="1"]').click();
    $(pad, '[data-key="1"]').focus();
    await sendKeys({ type: '2#' });
    await el.updateComplete;
    expect(phone.commands('sendDtmf')).to.deep.equal([
      [id, '1'],
      [id, '2'],
      [id, '#'],
    ]);
    expect(text($(el, '.tones'))).to.equal('Tones sent: 12#');
  });

  it('transfers blind to a typed number and says so', async () => {
    const { el, phone } = await callView();
    const id = await outgoing(phone, el);
    phone.remoteAnswer(id);
    await el.updateComplete;
    button(el, /Transfer/).click();
    await el.updateComplete;
    const field = $($(el, 'lg-number-input'), 'input') as HTMLInputElement;
    expect(field.labels?.[0]?.textContent).to.equal('Transfer to');
    field.focus();
    await sendKeys({ type: '202' });
    await sendKeys({ press: 'Enter' });
    await until(() => phone.commands('transfer').length === 1, 'transfer');
    expect(phone.commands('transfer')).to.deep.equal([[id, '202']]);
    await settle(el);
    expect(text($(el, '[role=alert]'))).to.equal('Call transferred to 202.');
  });

  it('places a second call, lists the held one and swaps between them', async () => {
    const { el, phone } = await callView();
    const first = await outgoing(phone, el, '201');
    phone.remoteAnswer(first);
    await el.updateComplete;
    button(el, /Add call/).click();
    await el.updateComplete;
    const field = $($(el, 'lg-number-input'), 'input') as HTMLInputElement;
    field.focus();
    await sendKeys({ type: '202' });
    button(el, 'Call').click();
    await until(() => phone.calls.length === 2, 'second call');
    expect(phone.commands('call').at(-1)).to.deep.equal(['202', { line: 'hfo/201' }]);
    const second = phone.calls[1]!.id;
    phone.remoteAnswer(second);
    await el.updateComplete;
    expect(text($(el, 'h2'))).to.equal('202');
    expect(text($(el, '.others'))).to.contain('201 On hold');
    button(el, 'Switch to 201').click();
    await until(() => phone.callById(first)?.held === false, 'swapped');
    await el.updateComplete;
    expect(text($(el, 'h2'))).to.equal('201');
    expect(text($(el, '.others'))).to.contain('202 On hold');
    button(el, 'Hang up 202').click();
    await until(() => phone.callById(second)?.state === 'ended', 'other hung up');
  });

  it('says when a held caller hangs up', async () => {
    const { el, phone } = await callView();
    const first = await outgoing(phone, el, '201');
    phone.remoteAnswer(first);
    const second = await phone.call('202');
    phone.remoteAnswer(second);
    phone.remoteEnd(first, 'remote-hangup');
    await el.updateComplete;
    expect(text($(el, 'h2'))).to.equal('202');
    expect(text($(el, '.others'))).to.equal('201 The other side hung up.');
    button(el, 'Dismiss').click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.others') === null, 'no .others').to.equal(true);
  });

  const failures: readonly (readonly [EndReason, number | undefined, string])[] = [
    ['busy', 486, 'The number is busy. (SIP status 486)'],
    ['declined', 603, 'The call was declined. (SIP status 603)'],
    ['unavailable', 480, 'The number cannot be reached right now. (SIP status 480)'],
    ['not-found', 404, 'This number does not exist. (SIP status 404)'],
    ['network', undefined, 'The connection to the gateway broke; the call ended.'],
    [
      'no-microphone',
      undefined,
      'No microphone: allow Linegate to use the microphone, or connect one.',
    ],
    ['failed', 500, 'The call failed. (SIP status 500)'],
    ['remote-hangup', undefined, 'The other side hung up.'],
  ];
  for (const [reason, sipStatus, message] of failures) {
    it(`says why a call ended: ${reason}`, async () => {
      const { el, phone } = await callView();
      const id = await outgoing(phone, el);
      phone.remoteEnd(id, reason, sipStatus);
      await el.updateComplete;
      expect(text($(el, '[role=alert]'))).to.equal(message);
      expect(status(el)).to.equal('Call ended');
    });
  }

  it('keeps an ended call until dismissed, focusing the button', async () => {
    const { el, phone } = await callView();
    const id = await outgoing(phone, el);
    button(el, 'Hang up').click();
    await until(() => phone.callById(id)?.state === 'ended', 'ended');
    await el.updateComplete;
    expect(text($(el, '[role=alert]'))).to.equal('Call cancelled.');
    expect($(el, '[role=alert]').classList.contains('alert')).to.equal(false);
    await until(() => deepActive() === $(el, '#dismiss'), 'dismiss focused');
    await sendKeys({ press: 'Enter' });
    expect(phone.calls).to.deep.equal([]);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('section') === null, 'no section').to.equal(true);
  });

  it('reports failed commands as error events', async () => {
    const { el, phone, errors } = await callView();
    const id = await outgoing(phone, el);
    phone.remoteAnswer(id);
    await el.updateComplete;
    phone.failNext('hold', 'failed');
    button(el, /Hold/).click();
    phone.failNext('mute', 'no-such-call');
    button(el, /Mute/).click();
    await until(() => errors.length === 2, 'errors');
    expect(errors.sort()).to.deep.equal(['error.failed', 'error.no-such-call']);
  });

  it('chooses the audio output where the browser can', async () => {
    const { el, phone } = await callView();
    await outgoing(phone, el);
    const select = el.shadowRoot!.querySelector('select');
    if (!('setSinkId' in HTMLMediaElement.prototype)) {
      expect(select === null, 'no output choice').to.equal(true);
      return;
    }
    expect(select?.getAttribute('aria-label')).to.equal('Audio output');
    select!.value = '';
    select!.dispatchEvent(new Event('change'));
    await until(() => phone.commands('setDevices').length === 1, 'setDevices');
    expect(phone.commands('setDevices')).to.deep.equal([[{ output: undefined }]]);
  });

  it('gives every control a name and 44 px', async () => {
    const { el, phone } = await callView();
    const id = await outgoing(phone, el);
    phone.remoteAnswer(id);
    await el.updateComplete;
    for (const b of $$(el, 'button')) {
      expect(b.getAttribute('aria-label') ?? text(b), b.outerHTML).not.to.equal('');
      const r = b.getBoundingClientRect();
      expect(Math.min(r.width, r.height), b.outerHTML).to.be.at.least(44);
    }
  });

  describe("the line group's functions", () => {
    const names = (el: LgCall) => $$(el, '.controls button').map(text);

    async function onLine(functions?: LineFunctions) {
      const view = await callView();
      if (functions) view.phone.updateLine(LINE_A.id, { functions });
      const id = await view.phone.call('0891234', { line: LINE_A.id });
      view.phone.remoteAnswer(id);
      await view.el.updateComplete;
      return { ...view, id };
    }

    it('offers everything when the line says nothing of its functions', async () => {
      const { el } = await onLine();
      expect(names(el)).to.deep.equal(['Mute', 'Hold', 'Keypad', 'Transfer', 'Add call']);
    });

    it('hides each function the line does not allow', async () => {
      const all = { hold: true, transfer: true, dtmf: true, secondCall: true };
      const cases: [Partial<LineFunctions>, string[]][] = [
        [{ hold: false }, ['Mute', 'Keypad', 'Transfer', 'Add call']],
        [{ transfer: false }, ['Mute', 'Hold', 'Keypad', 'Add call']],
        [{ dtmf: false }, ['Mute', 'Hold', 'Transfer', 'Add call']],
        [{ secondCall: false }, ['Mute', 'Hold', 'Keypad', 'Transfer']],
        [{ hold: false, transfer: false, dtmf: false, secondCall: false }, ['Mute']],
      ];
      for (const [off, expected] of cases) {
        const { el } = await onLine({ ...all, ...off });
        expect(names(el), JSON.stringify(off)).to.deep.equal(expected);
        expect(button(el, 'Hang up').disabled).to.equal(false);
        cleanup();
      }
    });

    it('looks at the line of the call, not at the line chosen for new calls', async () => {
      const { el, phone } = await callView();
      phone.updateLine(LINE_B.id, {
        functions: { hold: false, transfer: false, dtmf: false, secondCall: false },
      });
      const id = await phone.call('0891234', { line: LINE_B.id });
      phone.remoteAnswer(id);
      await el.updateComplete;
      expect(names(el)).to.deep.equal(['Mute']);
      phone.updateLine(LINE_B.id, {
        functions: { hold: true, transfer: true, dtmf: true, secondCall: true },
      });
      await el.updateComplete;
      expect(names(el)).to.deep.equal(['Mute', 'Hold', 'Keypad', 'Transfer', 'Add call']);
    });

    it('closes an open keypad when the line stops allowing DTMF', async () => {
      const { el, phone } = await onLine();
      button(el, /Keypad/).click();
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('lg-dialpad') !== null, 'keypad open').to.equal(true);
      phone.updateLine(LINE_A.id, {
        functions: { hold: true, transfer: true, dtmf: false, secondCall: true },
      });
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('lg-dialpad') !== null, 'keypad open').to.equal(false);
    });
  });
});
