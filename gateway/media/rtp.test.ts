import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReceiverStats, buildCompound, ntpMiddle, parseRtcp, rttFromBlock } from './rtcp.ts';
import { buildRtp, isRtcp, parseRtp, rewriteRtp, seqDiff, tsDiff } from './rtp.ts';

describe('RTP packets (RFC 3550 §5.1)', () => {
  it('serialises and parses the fixed header', () => {
    const b = buildRtp(
      { marker: true, payloadType: 8, seq: 0xfffe, timestamp: 0xfffffff0, ssrc: 0xdeadbeef },
      Buffer.from([1, 2, 3]),
    );
    assert.deepEqual([...b.subarray(0, 2)], [0x80, 0x88]);
    const p = parseRtp(b);
    assert.ok(p);
    assert.equal(p.marker, true);
    assert.equal(p.payloadType, 8);
    assert.equal(p.seq, 0xfffe);
    assert.equal(p.timestamp, 0xfffffff0);
    assert.equal(p.ssrc, 0xdeadbeef);
    assert.deepEqual([...p.payload], [1, 2, 3]);
  });

  it('skips CSRCs, the header extension and padding', () => {
    const b = Buffer.from([
      0xb1,
      0x00,
      0,
      1,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      3, // V=2 P=1 X=1 CC=1
      0,
      0,
      0,
      9, // CSRC
      0xbe,
      0xde,
      0,
      1,
      0x10,
      0xff,
      0,
      0, // one-byte extension, 1 word
      7,
      8, // payload
      0,
      0,
      3, // 3 bytes of padding
    ]);
    const p = parseRtp(b);
    assert.ok(p);
    assert.deepEqual([...p.payload], [7, 8]);
    assert.equal(p.headerLength, 24);
    const out = rewriteRtp(b, p, { marker: false, payloadType: 0, seq: 5, timestamp: 6, ssrc: 7 });
    assert.equal(out.length, 14); // fresh 12-byte header + payload
    assert.deepEqual([...(parseRtp(out)?.payload ?? [])], [7, 8]);
  });

  it('rewrites a plain packet in place', () => {
    const b = buildRtp(
      { marker: false, payloadType: 8, seq: 1, timestamp: 2, ssrc: 3 },
      Buffer.alloc(160),
    );
    const p = parseRtp(b);
    assert.ok(p);
    const out = rewriteRtp(b, p, {
      marker: true,
      payloadType: 0,
      seq: 10,
      timestamp: 20,
      ssrc: 30,
    });
    assert.equal(out, b);
    assert.equal(parseRtp(out)?.ssrc, 30);
  });

  it('rejects what is not RTP and tells RTCP apart (RFC 5761 §4)', () => {
    assert.equal(parseRtp(Buffer.alloc(8)), null);
    assert.equal(parseRtp(Buffer.from([0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])), null);
    assert.equal(isRtcp(Buffer.from([0x80, 200, 0, 6, 0, 0, 0, 0])), true);
    assert.equal(isRtcp(Buffer.from([0x80, 0x88, 0, 6, 0, 0, 0, 0])), false);
  });

  it('computes wrapping distances', () => {
    assert.equal(seqDiff(2, 0xfffe), 4);
    assert.equal(seqDiff(0xfffe, 2), -4);
    assert.equal(tsDiff(10, 0xfffffff0), 26);
  });
});

describe('RTCP (RFC 3550 §6, A.3, A.8)', () => {
  it('builds SR + SDES and reads it back', () => {
    const block = {
      ssrc: 42,
      fractionLost: 64,
      cumulativeLost: 3,
      highestSeq: 70000,
      jitter: 12,
      lastSr: 5,
      delaySinceLastSr: 6,
    };
    const c = buildCompound(
      7,
      'cname',
      { ssrc: 7, ntpMs: 1_700_000_000_123, rtpTimestamp: 1, packets: 2, octets: 3 },
      block,
    );
    assert.equal(c.length % 4, 0);
    const info = parseRtcp(c);
    assert.ok(info);
    assert.equal(info.senderSsrc, 7);
    assert.equal(info.srNtpMiddle, ntpMiddle(1_700_000_000_123));
    assert.deepEqual(info.blocks, [block]);
    const rr = parseRtcp(buildCompound(9, 'x', null, null));
    assert.deepEqual(rr, { senderSsrc: 9, srNtpMiddle: null, blocks: [] });
  });

  it('counts loss and interval fraction across sequence wrap', () => {
    const r = new ReceiverStats(8000);
    let t = 0;
    for (const seq of [0xfffd, 0xfffe, 0xffff, 2, 3]) r.onPacket(1, seq, seq * 160, 172, (t += 20));
    assert.equal(r.expected, 7);
    assert.equal(r.lost, 2);
    const b = r.reportBlock(t);
    assert.ok(b);
    assert.equal(b.fractionLost, Math.floor((2 * 256) / 7));
    assert.equal(b.highestSeq, 0x10003);
    assert.equal(r.reportBlock(t)?.fractionLost, 0); // nothing new in this interval
  });

  it('measures interarrival jitter', () => {
    const steady = new ReceiverStats(8000);
    for (let i = 0; i < 50; i++) steady.onPacket(1, i, i * 160, 172, i * 20);
    assert.equal(steady.jitter, 0);
    const jittery = new ReceiverStats(8000);
    for (let i = 0; i < 200; i++) jittery.onPacket(1, i, i * 160, 172, i * 20 + (i % 2 ? 10 : 0));
    // Alternating 10 ms (80 units) deviation converges to ~80 units = 10 ms.
    assert.ok(Math.abs(jittery.jitterMs - 10) < 1, `jitter ${jittery.jitterMs} ms`);
  });

  it('derives RTT from LSR and DLSR (§6.4.1)', () => {
    const sentAt = 1_700_000_000_000;
    const block = {
      ssrc: 1,
      fractionLost: 0,
      cumulativeLost: 0,
      highestSeq: 0,
      jitter: 0,
      lastSr: ntpMiddle(sentAt),
      delaySinceLastSr: 65536 / 2,
    };
    const rtt = rttFromBlock(block, sentAt + 540);
    assert.ok(rtt !== null && Math.abs(rtt - 40) < 1, `rtt ${rtt}`);
    assert.equal(rttFromBlock({ ...block, lastSr: 0 }, sentAt), null);
  });
});
