/**
 * The media engine across processes and real sockets: node-datachannel
 * "browsers" on the client leg, UDP "PBXs" on the other. Nothing here
 * asserts on timing; tones are checked by frequency (Goertzel).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isLinegateError } from '#shared/errors.ts';
import { createLogger } from '../../gateway/log.ts';
import { createMediaEngine, type MediaEngine, type MediaEvent } from '../../gateway/media/index.ts';
import { releasePorts, reservePorts } from '../pbx/ports.ts';
import { dominant } from './audio.ts';
import { cleanupPeers, sendEvent, sleep } from './peers.ts';
import {
  browserToPbx,
  connect,
  pbxToBrowser,
  pump,
  teardown,
  waitFor,
  type Setup,
} from './setup.ts';

const log = createLogger('silent');

// The "browsers" live in this process: let node-datachannel go so the test process can exit.
after(() => cleanupPeers());

function assertTone(samples: Int16Array, who: string): void {
  assert.ok(samples.length >= 1600, `${who} received ${samples.length} samples`);
  const d = dominant(samples);
  assert.ok(Math.abs(d.hz - 1000) <= 50, `${who} hears ${d.hz} Hz, want ~1000`);
  assert.ok(d.share > 0.7, `${who}: 1 kHz holds only ${(d.share * 100).toFixed(0)} % of the power`);
}

describe('media engine over real sockets', { timeout: 120_000 }, () => {
  let engine: MediaEngine;
  let base = 0;

  before(async () => {
    base = await reservePorts({ count: 40 });
    engine = createMediaEngine({
      workers: 2,
      rtpPorts: [base, base + 39],
      publicAddress: '127.0.0.1',
      log,
    });
  });
  after(async () => {
    await engine.close();
    releasePorts(base, 40);
  });

  describe('PCMA relay, PBX → browser', () => {
    let s: Setup;
    before(async () => {
      s = await connect(engine, { client: ['PCMA', 'opus'], pbx: ['PCMA', 'PCMU'] }, pbxToBrowser);
    });
    after(() => teardown(s));

    it('offers the browser the preferred codec first, both telephone-events, full candidates', () => {
      const offer = s.offerToBrowser ?? '';
      assert.match(offer, /m=audio \d+ UDP\/TLS\/RTP\/SAVPF 8 111 110 101/);
      assert.match(offer, /a=rtpmap:110 telephone-event\/48000/);
      assert.match(offer, /a=rtpmap:101 telephone-event\/8000/);
      assert.match(offer, /a=candidate:\S+ 1 UDP \d+ 127\.0\.0\.1 \d+ typ host/i);
      assert.match(offer, /a=ssrc:\d+ cname:/);
      assert.match(offer, /a=fmtp:111 .*maxplaybackrate=8000/);
    });

    it('relays a 1 kHz tone both ways without transcoding', async () => {
      await pump(s, 1200, { browser: true, pbx: true });
      assertTone(s.browser.rx.tail(800), 'browser');
      assertTone(s.pbx.rx.tail(800), 'PBX');
      const st = await s.call.stats();
      assert.equal(st.mode, 'relay');
      assert.ok(st.pbx.packetsReceived > 30 && st.client.packetsReceived > 30);
      assert.ok(st.pbx.packetsSent > 30 && st.client.packetsSent > 30);
      assert.equal(st.pbx.remoteAddress, `127.0.0.1:${s.pbx.port}`);
    });

    it('puts the browser on hold when the PBX does, and resumes', async () => {
      const holdAnswer = await s.call.pbxAnswer(s.pbx.offer('sendonly'));
      assert.match(holdAnswer, /a=recvonly/);
      const reOffer = await s.call.clientOffer({ direction: 'sendonly' });
      assert.match(reOffer, /a=sendonly/);
      assert.match(reOffer, /o=linegate \d+ 2 /); // version bumped (RFC 3264 §8)
      await s.call.setClientAnswer(s.browser.describe('recvonly'));
      s.browser.rx.reset();
      s.pbx.rx.reset();
      await pump(s, 600, { browser: true, pbx: true }); // the browser keeps sending: must not reach the PBX
      assert.equal(s.pbx.rx.packets.length, 0, 'PBX got media while holding');
      assertTone(s.browser.rx.tail(400), 'browser on hold (music)');

      assert.match(await s.call.pbxAnswer(s.pbx.offer('sendrecv')), /a=sendrecv/);
      assert.match(await s.call.clientOffer(), /a=sendrecv/);
      await s.call.setClientAnswer(s.browser.describe('sendrecv'));
      await pump(s, 800, { browser: true, pbx: true });
      assertTone(s.pbx.rx.tail(500), 'PBX after resume');
    });
  });

  describe('Opus ⇄ PCMA transcoding, browser → PBX', () => {
    let s: Setup;
    before(async () => {
      s = await connect(engine, { client: ['opus', 'PCMA'], pbx: ['PCMA', 'PCMU'] }, browserToPbx);
    });
    after(() => teardown(s));

    it('answers the browser with narrowband Opus and telephone-event/48000', () => {
      const answer = s.answerToBrowser ?? '';
      assert.match(answer, /m=audio \d+ UDP\/TLS\/RTP\/SAVPF 111 110\r\n/);
      assert.match(answer, /a=fmtp:111 .*maxplaybackrate=8000;sprop-maxcapturerate=8000/);
      assert.match(answer, /a=ssrc:\d+ cname:/);
    });

    it('transcodes a 1 kHz tone both ways', async () => {
      await pump(s, 1500, { browser: true, pbx: true });
      assertTone(s.browser.rx.tail(1000), 'browser (Opus)');
      assertTone(s.pbx.rx.tail(1000), 'PBX (PCMA)');
      const st = await s.call.stats();
      assert.equal(st.mode, 'transcode');
      assert.equal(st.client.codec, 'opus');
      assert.equal(st.pbx.codec, 'PCMA');
      // 20 ms Opus at 48 kHz: timestamps toward the browser advance by 960.
      const opus = s.browser.rx.packets.filter((p) => p.payloadType === 111).slice(-10);
      for (let i = 1; i < opus.length; i++)
        assert.equal((opus[i]!.timestamp - opus[i - 1]!.timestamp) >>> 0, 960);
    });

    it('relays DTMF browser → PBX converting 48 kHz to 8 kHz', async () => {
      s.pbx.rx.reset();
      await sendEvent(s.browser, 5, 100);
      await waitFor(() => s.pbx.rx.events.filter((e) => e.end).length >= 3, 2000);
      const ev = s.pbx.rx.events;
      assert.ok(ev.every((e) => e.pt === 101 && e.event === 5));
      const ends = ev.filter((e) => e.end);
      assert.equal(ends.length, 3);
      assert.ok(
        ends.every((e) => e.duration === 800),
        `durations ${ends.map((e) => e.duration).join()}`,
      );
      assert.equal(new Set(ev.map((e) => e.timestamp)).size, 1, 'one timestamp per event');
      await waitFor(() => s.events.some((e) => e.type === 'dtmf'), 1000);
      assert.ok(
        s.events.some(
          (e: MediaEvent) =>
            e.type === 'dtmf' && e.from === 'client' && e.digit === '5' && e.durationMs === 100,
        ),
      );
    });

    it('relays DTMF PBX → browser converting 8 kHz to 48 kHz', async () => {
      s.browser.rx.reset();
      await sendEvent(s.pbx, 9, 100);
      await waitFor(() => s.browser.rx.events.filter((e) => e.end).length >= 3, 2000);
      const ends = s.browser.rx.events.filter((e) => e.end);
      assert.ok(ends.length >= 3);
      assert.ok(ends.every((e) => e.pt === 110 && e.event === 9 && e.duration === 4800));
    });

    it('holds and resumes when the browser re-offers (sendonly → recvonly)', async () => {
      const answer = await s.call.clientAnswer(s.browser.describe('sendonly'));
      assert.match(answer, /a=recvonly/);
      assert.match(answer, /a=ssrc:\d+ cname:/);
      s.browser.rx.reset();
      s.pbx.rx.reset();
      await pump(s, 600, { browser: true, pbx: true });
      assert.equal(s.browser.rx.audio.length, 0, 'browser got media while it holds');
      assertTone(s.pbx.rx.tail(400), 'PBX hears the holding browser (music on hold)');
      assert.match(await s.call.clientAnswer(s.browser.describe('sendrecv')), /a=sendrecv/);
      await pump(s, 800, { browser: true, pbx: true });
      assertTone(s.browser.rx.tail(500), 'browser after resume');
    });

    it('reports RTCP-based stats and sends RTCP to the PBX', async () => {
      assert.ok(await waitFor(() => s.pbx.rtcpPackets > 0, 6000), 'no RTCP reached the PBX');
      const st = await s.call.stats();
      assert.equal(st.client.state, 'connected');
      assert.equal(st.pbx.received.packetsLost, 0);
      assert.ok(st.pbx.received.jitterMs < 50);
      assert.ok(st.client.bytesReceived > st.client.packetsReceived * 12);
    });

    it('generates RFC 4733 events toward the PBX (sendDtmf)', async () => {
      s.pbx.rx.reset();
      await s.call.sendDtmf('#', 120);
      await waitFor(() => s.pbx.rx.events.filter((e) => e.end).length >= 3, 2000);
      const ev = s.pbx.rx.events;
      assert.ok(ev.length >= 6);
      assert.equal(ev[0]?.marker, true, 'start packet has the marker bit');
      assert.ok(ev.every((e) => e.event === 11 && e.pt === 101));
      assert.equal(new Set(ev.map((e) => e.timestamp)).size, 1);
      const ends = ev.filter((e) => e.end);
      assert.equal(ends.length, 3);
      assert.ok(ends.every((e) => e.duration === 960));
      const durations = ev.filter((e) => !e.end).map((e) => e.duration);
      assert.deepEqual(
        durations,
        [...durations].sort((a, b) => a - b),
      );
    });
  });
});

describe('media engine resources', { timeout: 60_000 }, () => {
  it('fails clearly when the RTP port pool is exhausted and recovers', async () => {
    const base = await reservePorts({ count: 4 });
    const engine = createMediaEngine({
      workers: 1,
      rtpPorts: [base, base + 3],
      publicAddress: '127.0.0.1',
      log,
    });
    try {
      const opts = { clientCodecs: ['PCMA'], pbxCodecs: ['PCMA'] } as const;
      const a = await engine.createCall(opts);
      await engine.createCall(opts);
      await assert.rejects(
        engine.createCall(opts),
        (e: unknown) => isLinegateError(e, 'internal') && /port pool exhausted/.test(e.message),
      );
      await a.close();
      await a.close(); // idempotent
      const c = await engine.createCall(opts);
      assert.match(await c.pbxOffer(), new RegExp(`m=audio ${base} RTP/AVP 8 101`));
    } finally {
      await engine.close();
      releasePorts(base, 4);
    }
  });

  it('frees the ports of a crashed worker, ends its calls and restarts it', async () => {
    const base = await reservePorts({ count: 8 });
    const engine = createMediaEngine({
      workers: 1,
      rtpPorts: [base, base + 7],
      publicAddress: '127.0.0.1',
      log,
    });
    try {
      const ended: MediaEvent[] = [];
      const opts = { clientCodecs: ['opus'], pbxCodecs: ['PCMA'] } as const;
      const calls = await Promise.all(
        [1, 2, 3].map(() => engine.createCall(opts, (e) => ended.push(e))),
      );
      assert.equal(engine.status().portsAvailable, 1);
      engine.crashWorkerForTest(0);
      assert.ok(await waitFor(() => ended.length === 3, 5000), 'every call got an ended event');
      assert.ok(ended.every((e) => e.type === 'ended'));
      assert.equal(engine.status().portsAvailable, 4);
      await assert.rejects(calls[0]!.pbxOffer(), /ended/);
      await calls[0]!.close(); // still safe
      assert.ok(
        await waitFor(() => engine.status().workers[0]?.pid !== null, 10_000),
        'worker restarted',
      );
      await sleep(200);
      const again = await engine.createCall(opts);
      assert.match(await again.pbxOffer(), /RTP\/AVP 8 101/);
      assert.equal(engine.status().workers[0]?.restarts, 1);
    } finally {
      await engine.close();
      releasePorts(base, 8);
    }
  });
});
