/**
 * The browser-phone harness itself (test/e2e/support/browser-phone.ts): real
 * headless Chromium running JsSIP against an in-process gateway registers
 * (two devices of one user, another user, a wrong password), and its audio
 * analyser hears the fake microphone's tone, directly and through WebRTC;
 * (calls themselves are proven against the gateway in calls.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configSchema } from '../../gateway/config/schema.ts';
import { startGateway, type Gateway } from '../../gateway/gateway.ts';
import { createLogger } from '../../gateway/log.ts';
import {
  audioCodecNames,
  launchBrowser,
  RegistrationError,
  restrictCodecs,
  type TestBrowser,
} from './support/browser-phone.ts';

let dir: string;
let gw: Gateway | undefined;
let tone1000: TestBrowser | undefined;
let tone440: TestBrowser | undefined;
let wsUrl: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'linegate-browser-phone-'));
  const config = configSchema.parse({
    server: { port: 0 },
    sip: { port: 0 },
    data: join(dir, 'data'),
    users: [
      { username: 'alice', password: 'secret-a' },
      { username: 'bob', password: 'secret-b' },
    ],
  });
  const [g, b1, b2] = await Promise.all([
    startGateway({ config, log: createLogger('silent') }),
    launchBrowser({ toneHz: 1000 }),
    launchBrowser({ toneHz: 440 }),
  ]);
  gw = g;
  tone1000 = b1;
  tone440 = b2;
  wsUrl = `ws://127.0.0.1:${g.http.port}/sip`;
});

after(async () => {
  await Promise.all([tone1000?.close(), tone440?.close()]);
  await gw?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Contact URIs listed in a REGISTER 200 (one header with commas, or several). */
const contacts = (headers: Record<string, string[]>) =>
  (headers['contact'] ?? []).flatMap((h) => h.split(/,(?=\s*(?:"[^"]*"\s*)?<)/));

describe('browser phones: JsSIP in headless Chromium', () => {
  it('registers two devices of alice and one of bob; a wrong password is refused', async () => {
    const b = tone1000!;
    const [alice1, alice2, bob] = await Promise.all([
      b.newPhone({ wsUrl, username: 'alice', password: 'secret-a', label: 'alice#1' }),
      b.newPhone({ wsUrl, username: 'alice', password: 'secret-a', label: 'alice#2' }),
      b.newPhone({ wsUrl, username: 'bob', password: 'secret-b' }),
    ]);
    const first = await alice1.register();
    assert.equal(first.statusCode, 200);
    const second = await alice2.register();
    assert.equal(second.statusCode, 200);
    assert.equal(contacts(second.headers).length, 2, 'the 200 lists both of alice’s devices');
    assert.equal((await bob.register()).statusCode, 200);

    const mallory = await b.newPhone({
      wsUrl,
      username: 'alice',
      password: 'wrong',
      label: 'mallory',
    });
    const err = await mallory.register().then(
      () => assert.fail('registered with a wrong password'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof RegistrationError, String(err));
    assert.ok([401, 403].includes(err.event.statusCode ?? 0), err.message);
    await Promise.all([alice1, alice2, bob, mallory].map((p) => p.close()));
    assert.ok(
      alice1.events().some((e) => e.name === 'unregistered'),
      'close() un-REGISTERs',
    );
  });

  it('hears the fake microphone (1000 Hz, 440 Hz) directly and through a WebRTC loopback', async () => {
    const [p1000, p440] = await Promise.all([
      tone1000!.newPhone({ wsUrl, username: 'bob', password: 'secret-b', label: 'tone1000' }),
      tone440!.newPhone({ wsUrl, username: 'bob', password: 'secret-b', label: 'tone440' }),
    ]);
    try {
      const ms = 500;
      const [direct, loop, pcma, direct440, pcmu440] = await Promise.all([
        p1000.selfTest({ via: 'direct', ms }),
        p1000.selfTest({ via: 'loopback', ms }),
        p1000.selfTest({ via: 'loopback', codecs: ['PCMA'], ms }),
        p440.selfTest({ via: 'direct', ms }),
        p440.selfTest({ via: 'loopback', codecs: ['PCMU'], ms }),
      ]);
      assertTone(direct, 1000);
      assertTone(loop, 1000);
      assert.equal(loop.sendCodec, 'opus', 'Chromium’s own first choice');
      assertTone(pcma, 1000);
      assert.deepEqual([pcma.sendCodec, pcma.recvCodec], ['PCMA', 'PCMA']);
      assertTone(direct440, 440);
      assertTone(pcmu440, 440);
      assert.deepEqual([pcmu440.sendCodec, pcmu440.recvCodec], ['PCMU', 'PCMU']);
    } finally {
      await Promise.all([p1000.close(), p440.close()]);
    }
  });

  it('a crashed page fails pending waits at once, naming the events seen so far', async () => {
    const phone = await tone1000!.newPhone({ wsUrl, username: 'bob', password: 'secret-b' });
    try {
      await phone.register();
      const pending = phone.waitEvent('incoming', 20_000);
      const cdp = await phone.page.context().newCDPSession(phone.page);
      cdp.send('Page.crash').catch(() => undefined);
      const started = Date.now();
      await assert.rejects(pending, /bob: the page crashed\n[^]*registered 200/);
      assert.ok(Date.now() - started < 5000, 'rejected long before its own timeout');
      await assert.rejects(phone.hangup(), /hangup\(\): the page crashed/);
    } finally {
      await phone.close();
    }
  });

  it('restricts SDP codecs to the chosen ones plus telephone-event of their rate', () => {
    const offer = [
      'v=0',
      'o=- 1 2 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
      'a=rtpmap:111 opus/48000/2',
      'a=rtcp-fb:111 transport-cc',
      'a=fmtp:111 minptime=10;useinbandfec=1',
      'a=rtpmap:63 red/48000/2',
      'a=fmtp:63 111/111',
      'a=rtpmap:9 G722/8000',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:13 CN/8000',
      'a=rtpmap:110 telephone-event/48000',
      'a=rtpmap:126 telephone-event/8000',
      '',
    ].join('\r\n');
    const pcma = restrictCodecs(offer, ['PCMA', 'PCMU']);
    assert.deepEqual(audioCodecNames(pcma), ['PCMA', 'PCMU', 'telephone-event']);
    assert.match(pcma, /^m=audio 9 UDP\/TLS\/RTP\/SAVPF 8 0 126\r$/m);
    assert.doesNotMatch(pcma, /opus|red|G722|CN|:111|:110/);
    assert.ok(pcma.endsWith('\r\n'));
    assert.deepEqual(audioCodecNames(restrictCodecs(offer, ['opus'])), ['opus', 'telephone-event']);
    assert.match(restrictCodecs(offer, ['opus']), /a=fmtp:111 minptime/);
    assert.match(restrictCodecs(offer.replace(/ 8 13/, ' 13'), ['PCMA']), /^m=audio 0 /m);
  });
});

function assertTone(heard: { dominantHz: number; level: number; purity: number }, hz: number) {
  const text = JSON.stringify(heard);
  assert.ok(Math.abs(heard.dominantHz - hz) <= 50, `expected ~${hz} Hz: ${text}`);
  assert.ok(heard.level > 0.05, `expected a clear level: ${text}`);
  assert.ok(heard.purity > 0.8, `expected a clean tone: ${text}`);
}
