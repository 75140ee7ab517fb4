import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createResponse } from '../sip/message/build.ts';
import type { SipResponse } from '../sip/message/types.ts';
import { request } from '../sip/dialog/test-support.ts';
import { FakeClock } from '../sip/transaction/layer-clock.ts';
import { bestFailure, refusalAnswer } from './decline.ts';
import { clientCodecs, failureFor, pickupNumber } from './choices.ts';
import { SessionRefresh, planOfResponse } from './session-refresh.ts';
import { referNumber } from './passing-on.ts';
import { shownCaller } from './sip-helpers/shown-caller.ts';
import type { LineInfo } from '../lines/manager.ts';

const INVITE = request([
  'INVITE sip:alice@gw SIP/2.0',
  'Via: SIP/2.0/WS x.invalid;branch=z9hG4bK-1',
  'From: <sip:203@gw>;tag=a',
  'To: <sip:alice@gw>',
  'Call-ID: setup-test',
  'CSeq: 1 INVITE',
  'Contact: <sip:x@x.invalid;transport=ws>',
]);

function res(status: number, reason?: string): SipResponse {
  return createResponse(INVITE, status, reason, { toTag: 'b' });
}

const PCMU_ANSWER =
  'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n';

describe('which device answer the caller hears when no device took the call', () => {
  it('a 6xx (declined for everyone) wins, then 486, then the lowest real status', () => {
    assert.equal(bestFailure([res(480), res(603, 'Decline'), res(486)]).status, 603);
    assert.equal(bestFailure([res(480), res(486, 'Busy Here')]).status, 486);
    assert.equal(bestFailure([res(488), res(480)]).status, 480);
  });

  it('devices that vanished (local 503/408) or were cancelled count as 480', () => {
    assert.deepEqual(bestFailure([res(503), res(408), res(487)]), {
      status: 480,
      reason: 'Temporarily Unavailable',
    });
    assert.equal(bestFailure([]).status, 480);
  });
});

describe('codecs offered to the browser in an outgoing call', () => {
  it('keeps the line group preference when it prefers Opus', () => {
    assert.deepEqual(clientCodecs(['opus', 'PCMA'], PCMU_ANSWER), ['opus', 'PCMA']);
  });

  it('puts the law the PBX chose first when the group prefers G.711 (relay, no transcoding)', () => {
    assert.deepEqual(clientCodecs(['PCMA', 'PCMU'], PCMU_ANSWER), ['PCMU', 'PCMA']);
    assert.deepEqual(clientCodecs(['PCMA'], PCMU_ANSWER), ['PCMA']);
    assert.deepEqual(clientCodecs(['PCMA', 'PCMU'], 'garbage'), ['PCMA', 'PCMU']);
    assert.deepEqual(clientCodecs(['PCMA', 'PCMU'], undefined), ['PCMA', 'PCMU']);
  });
});

describe('what the browser hears when the PBX leg fails', () => {
  it('the PBX status and reason, except a challenge the line could not answer (403)', () => {
    assert.deepEqual(failureFor({ response: res(404, 'Not Found'), source: 'network' }), [
      404,
      'Not Found',
    ]);
    assert.equal(failureFor({ response: res(407), source: 'network' })[0], 403);
    assert.equal(failureFor({ response: res(401), source: 'network' })[0], 403);
    assert.equal(failureFor({ response: res(408), source: 'timeout' })[0], 408);
    assert.equal(failureFor({ response: res(503), source: 'transport-error' })[0], 503);
    assert.equal(failureFor({ response: res(487), source: 'cancelled' })[0], 487);
  });
});

describe('session timer of a leg (RFC 4028 §10)', () => {
  it('refreshes at half the interval as refresher; expires at interval − min(32, interval/3) otherwise', () => {
    const clock = new FakeClock();
    const seen: string[] = [];
    const t = new SessionRefresh(clock, {
      refresh: () => seen.push(`refresh@${clock.now()}`),
      expired: () => seen.push(`expired@${clock.now()}`),
    });
    t.start({ kind: 'timer', interval: 90, weRefresh: true });
    clock.advance(45_000);
    assert.deepEqual(seen, ['refresh@45000']);
    t.start({ kind: 'timer', interval: 90, weRefresh: false });
    clock.advance(59_999);
    assert.equal(seen.length, 1);
    clock.advance(1);
    assert.deepEqual(seen, ['refresh@45000', 'expired@105000']);
    t.start({ kind: 'timer', interval: 1800, weRefresh: false });
    t.start({ kind: 'none' });
    clock.advance(10_000_000);
    assert.equal(seen.length, 2, 'a refresh without Session-Expires turns the timer off');
  });

  it('a malformed Session-Expires in a 2xx makes us refresh at 90 s rather than drop the call', () => {
    assert.deepEqual(planOfResponse({ kind: 'invalid', reason: 'x' }), {
      kind: 'timer',
      interval: 90,
      weRefresh: true,
    });
  });
});

describe('the number a transfer (REFER) names', () => {
  it('takes the Refer-To URI user or tel: number, with separators and %-escapes undone', () => {
    assert.equal(referNumber('<sip:206@linegate>'), '206');
    assert.equal(referNumber('<sip:%2B49-89-123@linegate>'), '+4989123');
    assert.equal(referNumber('<tel:+49-89-123>'), '+4989123');
    assert.equal(referNumber('sip:*21%23@x'), '*21#');
  });

  it('refuses what is no phone number', () => {
    for (const v of [undefined, '', '<sip:bob@x>', '<sip:x>', 'garbage<', '<sip:1;2@x>']) {
      assert.equal(referNumber(v), undefined, String(v));
    }
  });
});

describe('what the caller gets when the user refused (decline.byClient, seed 003)', () => {
  it("the device's choice, or the line group's fixed code, or ringing on", () => {
    assert.deepEqual(refusalAnswer([res(603, 'Decline')], 'clientChoice'), {
      kind: 'final',
      status: 603,
      reason: 'Decline',
    });
    assert.deepEqual(refusalAnswer([res(603)], 486), {
      kind: 'final',
      status: 486,
      reason: 'Busy Here',
    });
    assert.deepEqual(refusalAnswer([res(480)], 180), { kind: 'keep-ringing' });
  });

  it('a device that vanished is no refusal: the usual answer', () => {
    assert.deepEqual(refusalAnswer([res(503)], 603), {
      kind: 'final',
      status: 480,
      reason: 'Temporarily Unavailable',
    });
  });
});

describe('the number in a call to the pickup code', () => {
  it('reads it from the code pattern, only digits', () => {
    assert.equal(pickupNumber('*8<NUMBER>', '*8201'), '201');
    assert.equal(pickupNumber('**<NUMBER>#', '**22#'), '22');
    assert.equal(pickupNumber('*8<NUMBER>', '*9201'), undefined);
    assert.equal(pickupNumber('*8<NUMBER>', '*8'), undefined);
    assert.equal(pickupNumber('*8<NUMBER>', '*8*21'), undefined);
    assert.equal(pickupNumber('*80', '*80'), undefined);
  });
});

describe('the caller as the browser sees it (location, seed 004)', () => {
  const line = (location: LineInfo['location']) => ({ location }) as LineInfo;
  const munich = {
    countryCode: '49',
    areaCode: '89',
    outsideLine: '0',
    pbxNumber: '12345',
    extensionDigits: 3,
    dialAreaCodeLocally: false,
  };
  const caller = (number: string) => ({ number, name: 'X', anonymous: false });

  it('internal callers as extensions, others in international form', () => {
    assert.equal(shownCaller(caller('201'), line(munich)).number, '201');
    assert.equal(shownCaller(caller('+498912345201'), line(munich)).number, '201');
    assert.equal(shownCaller(caller('+49301234567'), line(munich)).number, '+49301234567');
  });

  it('as sent without a location, for withheld callers, and for what is no number', () => {
    assert.equal(shownCaller(caller('0891234567'), line(undefined)).number, '0891234567');
    const anon = { number: undefined, name: undefined, anonymous: true };
    assert.deepEqual(shownCaller(anon, line(munich)), anon);
    assert.equal(shownCaller(caller('bob'), line(munich)).number, 'bob');
  });
});

describe('transfers the PBX ended without a final NOTIFY', () => {
  it('get the 200 sipfrag from the gateway, once', async () => {
    const { finishTransfers, referIds } = await import('./passing-on.ts');
    const sent: { headers: readonly { name: string; value: string }[] }[] = [];
    const client = {
      request: (_method: string, opts: { headers: readonly { name: string; value: string }[] }) => {
        sent.push(opts);
        return Promise.resolve({});
      },
    } as unknown as Parameters<typeof finishTransfers>[1];
    const ids = referIds();
    ids.byPbx.set(7, 3);
    ids.byPbx.set(8, 4);
    ids.byPbx.set(9, 5); // sent, not (yet) accepted: no sipfrag for it
    ids.accepted.add(3);
    ids.accepted.add(4);
    ids.done.add(4);
    finishTransfers(ids, client);
    finishTransfers(ids, client);
    assert.deepEqual(
      sent.map((s) => s.headers.find((h) => h.name === 'Event')?.value),
      ['refer;id=3'],
    );
  });
});

describe('a NOTIFY that overtakes the PBX 202 to a passed-on REFER (RFC 3515 §2.4.4)', () => {
  it("is passed to the browser with the browser's REFER id", async () => {
    const { passNotify, passRefer, referIds } = await import('./passing-on.ts');
    const { createLogger } = await import('../log.ts');
    const ids = referIds();
    const toBrowser: string[] = [];
    const replies: number[] = [];
    const fakeTx = (req: ReturnType<typeof request>) =>
      ({ request: req, reply: (status: number) => replies.push(status) }) as unknown as Parameters<
        typeof passNotify
      >[0];
    const client = {
      request: (_m: string, o: { headers: readonly { name: string; value: string }[] }) => {
        toBrowser.push(o.headers.find((h) => h.name === 'Event')?.value ?? '');
        return Promise.resolve({});
      },
    } as unknown as Parameters<typeof passNotify>[1];
    const pbxRefer = request([
      'REFER sip:203@pbx SIP/2.0',
      'CSeq: 41 REFER',
      'Call-ID: c',
      'From: <sip:201@pbx>;tag=a',
      'To: <sip:203@pbx>;tag=b',
      'Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1',
    ]);
    const notify = request(
      [
        'NOTIFY sip:gw SIP/2.0',
        'CSeq: 7 NOTIFY',
        'Event: refer;id=41',
        'Subscription-State: active',
        'Content-Type: message/sipfrag',
        'Call-ID: c',
        'From: <sip:203@pbx>;tag=b',
        'To: <sip:201@pbx>;tag=a',
        'Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK2',
      ],
      'SIP/2.0 100 Trying\r\n',
    );
    const pbx = {
      dialog: { localUri: { kind: 'sip', user: '201' } },
      request: (_m: string, o: { beforeSend?: (r: typeof pbxRefer) => void }) => {
        o.beforeSend?.(pbxRefer);
        // The PBX's NOTIFY is handled before its 202.
        passNotify(fakeTx(notify), client, ids);
        return Promise.resolve({
          response: createResponse(pbxRefer, 202, 'Accepted'),
          source: 'network',
        });
      },
    } as unknown as Parameters<typeof passRefer>[1];
    const browserRefer = request([
      'REFER sip:gw SIP/2.0',
      'CSeq: 3 REFER',
      'Refer-To: <sip:205@gw>',
      'Call-ID: x',
      'From: <sip:alice@gw>;tag=c',
      'To: <sip:gw>;tag=d',
      'Via: SIP/2.0/WSS h;branch=z9hG4bK3',
    ]);
    await passRefer(fakeTx(browserRefer), pbx, (n) => `sip:${n}@pbx`, ids, createLogger('silent'));
    assert.deepEqual(toBrowser, ['refer;id=3']);
    assert.deepEqual(replies, [200, 202]);
    assert.deepEqual([...ids.accepted], [3]);
  });
});
