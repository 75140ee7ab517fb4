/**
 * What a hostile or broken peer gets when it tries to start or meddle with
 * calls (issue #5, "every bad input gets a clear answer"): raw SIP over a
 * registered WebSocket (as a browser) and over UDP from the PBX's address,
 * against a gateway whose lines are registered at the Kamailio test PBX.
 * Each answer is a SIP error with a reason, and the gateway stays up.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rawUdp, rawWsClient, type RawWsClient } from '../support/raw-sip.ts';
import { atLeast, startCallWorld, type CallWorld } from './support/call-world.ts';

let w: CallWorld;
let alice: RawWsClient;

const GOOD_SDP = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 40000 RTP/AVP 8',
  'a=rtpmap:8 PCMA/8000',
  '',
].join('\r\n');

before(async () => {
  w = await startCallWorld({
    lines: '201',
    users: [
      { username: 'alice', lines: ['pbx/201'] },
      { username: 'bob', lines: [] },
    ],
  });
  alice = await rawWsClient(w.wsUrl, 'alice', 'pw-alice');
});

after(async () => {
  alice.close();
  await (w as CallWorld | undefined)?.stop();
});

const invite = (over: Partial<Parameters<RawWsClient['send']>[0]> = {}) => ({
  method: 'INVITE',
  uri: 'sip:203@linegate',
  from: '<sip:alice@linegate>;tag=a1',
  to: '<sip:203@linegate>',
  headers: ['Supported: timer'],
  body: GOOD_SDP,
  ...over,
});

describe('a browser', () => {
  it('gets 488 for an INVITE without an offer, with garbage SDP, or with no usable codec', async () => {
    assert.equal((await alice.send(invite({ body: '' }))).status, 488);
    assert.equal((await alice.send(invite({ body: 'v=0\r\nthis is no SDP\r\n' }))).status, 488);
    const g722 = GOOD_SDP.replace('RTP/AVP 8', 'RTP/AVP 9').replace('8 PCMA', '9 G722');
    const r = await alice.send(invite({ body: g722 }));
    assert.equal(r.status, 488);
    assert.match(r.reason, /codec/);
  });

  it('gets 484 for something that is no phone number, 403 as another user or on a line not its own', async () => {
    assert.equal((await alice.send(invite({ uri: 'sip:hello@linegate' }))).status, 484);
    const asBob = await alice.send(invite({ from: '<sip:bob@linegate>;tag=b1' }));
    assert.equal(asBob.status, 403);
    const other = await alice.send(invite({ headers: ['X-Linegate-Line: pbx/999'] }));
    assert.equal(other.status, 403);
    assert.match(other.reason, /not yours/);
  });

  it('gets 422 with Min-SE for a session interval below 90 s, 400 for a malformed one (RFC 4028)', async () => {
    const small = await alice.send(
      invite({ headers: ['Supported: timer', 'Session-Expires: 30'] }),
    );
    assert.equal(small.status, 422);
    assert.equal(small.headers.find((h) => h.name.toLowerCase() === 'min-se')?.value, '90');
    const bad = await alice.send(invite({ headers: ['Session-Expires: soon'] }));
    assert.equal(bad.status, 400);
  });

  it('gets 481 for requests in a dialog that does not exist', async () => {
    for (const method of ['BYE', 'INVITE', 'UPDATE', 'INFO']) {
      const r = await alice.send(invite({ method, to: '<sip:203@linegate>;tag=nope' }));
      assert.equal(r.status, 481, method);
    }
  });
});

describe('the PBX side', () => {
  const gw = () => ({ host: '127.0.0.1', port: w.gateway.sip.port });
  const pbxInvite = (over: Partial<Parameters<typeof rawUdp>[2]> = {}) => ({
    method: 'INVITE',
    uri: `sip:201@127.0.0.1:${w.gateway.sip.port}`,
    from: '<sip:203@127.0.0.1>;tag=p1',
    to: '<sip:201@127.0.0.1>',
    headers: ['Contact: <sip:203@127.0.0.1:5999>', 'Supported: timer'],
    noContact: true,
    body: GOOD_SDP,
    ...over,
  });

  it('an INVITE without Contact gets 400; a too short session interval 422', async () => {
    const noContact = await rawUdp('127.0.0.1', gw(), pbxInvite({ headers: [] }));
    assert.equal(noContact.status, 400);
    const small = await rawUdp(
      '127.0.0.1',
      gw(),
      pbxInvite({
        headers: ['Contact: <sip:203@127.0.0.1:5999>', 'Supported: timer', 'Session-Expires: 20'],
      }),
    );
    assert.equal(small.status, 422);
  });

  it('with a browser signed in, garbage SDP gets 488 and the browser is not rung', async () => {
    const r = await rawUdp('127.0.0.1', gw(), pbxInvite({ body: 'v=0\r\nm=video\r\n' }));
    assert.equal(r.status, 488);
  });

  it('a BYE for no call gets 481; from an untrusted address 403', async () => {
    const bye = { ...pbxInvite(), method: 'BYE', to: '<sip:201@127.0.0.1>;tag=gone', body: '' };
    assert.equal((await rawUdp('127.0.0.1', gw(), bye)).status, 481);
    assert.equal((await rawUdp('127.0.0.2', gw(), pbxInvite())).status, 403);
  });

  it('the gateway is still healthy after all of it', async () => {
    const res = await fetch(`http://127.0.0.1:${w.gateway.http.port}/healthz`);
    assert.equal(res.status, 200);
    assert.equal(w.logs.filter((r) => atLeast(r, 'error')).length, 0, 'no error was logged');
  });
});
