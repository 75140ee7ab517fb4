/**
 * Functions switched off per line group (seed 003 "Funktionen", issue #7):
 * the gateway refuses hold, transfer and DTMF from the browser with 403,
 * and with no second call a call to a line in a call gets busy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCallWorld, type CallWorld } from './support/call-world.ts';

let w: CallWorld;

before(async () => {
  w = await startCallWorld({
    lines: '201',
    users: [{ username: 'alice', lines: ['pbx/201'] }],
    functions: { hold: false, transfer: false, dtmf: false, secondCall: false },
  });
});

after(async () => {
  await (w as CallWorld | undefined)?.stop();
});

describe('functions off', () => {
  it('hold, transfer and DTMF are refused; a second call gets busy; the call goes on', async (t) => {
    const alice = await w.phone('alice');
    t.after(() => alice.close());
    const [first, second, target] = await Promise.all(
      ['203', '204', '205'].map((e) => w.pbx.addPhone(e)),
    );
    assert.ok(first && second && target);
    t.after(() => Promise.all([first.stop(), second.stop(), target.stop()]));
    await first.dial('201');
    await alice.waitEvent('incoming');
    await alice.answer();
    await first.waitEvent('CALL_ESTABLISHED', 10_000);
    await alice.waitMedia();

    await alice.sendDtmf('5');
    // RFC 4733 in the media: the gateway answered without telephone-event, so
    // Chromium's RTCDTMFSender cannot send (canInsertDTMF is false).
    const rtp = await alice.sendDtmf('7', { transport: 'RFC2833' }).then(
      () => 'sent',
      (err: unknown) => String(err),
    );
    assert.match(rtp, /InvalidState|DTMF|insert/i, 'the browser has no way to send tones');
    const refer = await alice.transfer('205', { timeoutMs: 5000 });
    assert.deepEqual(refer, {
      result: 'failed',
      status: 403,
      reason: refer.result === 'failed' ? refer.reason : null,
    });
    await second.dial('201');
    const busy = await second.waitEvent('CALL_CLOSED', 10_000);
    assert.match(busy.param, /486|Busy/i);
    assert.equal(alice.events().filter((e) => e.name === 'incoming').length, 1);
    assert.equal(
      first.events.filter((e) => e.type === 'CALL_CLOSED').length,
      0,
      'the call goes on',
    );
    // Seconds after both tries (the REFER and the second call came between):
    // no tone reached the PBX phone, neither by INFO nor in the media.
    assert.deepEqual(
      first.events.filter((e) => e.type === 'CALL_DTMF_START'),
      [],
      'no DTMF reached the PBX',
    );
    // Hold last: JsSIP ends a call whose hold re-INVITE is refused (its hold()
    // terminates on failure), which is why the PWA hides the button.
    await assert.rejects(alice.hold(), /JsSIP|hold|ended|refused|403/i);
    await first.waitEvent('CALL_CLOSED', 10_000);
  });
});
