/**
 * One direction of the bridge (client→PBX or PBX→client). Same codec on
 * both legs: relay, rewriting only the header — our SSRC, and sequence and
 * timestamp shifted by fixed offsets so gaps and timing survive (RFC 3550
 * §7.2 translator behaviour with a new SSRC, because the browser only
 * accepts the SSRC we signalled). PCMA⇄PCMU: relay with a byte-wise law
 * conversion. Otherwise: decode, conceal losses, re-frame to 20 ms, encode.
 * RFC 4733 events follow the audio's sequence and timestamp mapping, with
 * the payload type of the other leg and the duration in its clock.
 */
import { FRAME_SAMPLES } from './codecs.ts';
import { g711Convert } from './g711.ts';
import type { LegCore, OutStream } from './leg.ts';
import { parseTelephoneEvent, dtmfDigit, buildTelephoneEvent } from './rfc4733.ts';
import { buildRtp, rewriteRtp, seqDiff, type RtpPacket } from './rtp.ts';
import { Transcoder } from './transcoder.ts';
import type { ClientCodec } from './types.ts';

/** Beyond this sequence jump the source restarted: rebase instead of leaving a gap. */
const MAX_RELAY_JUMP = 100;

class RelayMap {
  private valid = false;
  private ssrc = 0;
  private lastSeq = 0;
  private seqOffset = 0;
  private tsOffset = 0;

  invalidate(): void {
    this.valid = false;
  }

  /** Maps a packet into `out`'s sequence/timestamp space; true if this starts a new mapping. */
  map(
    pkt: RtpPacket,
    out: OutStream,
    nowMs: number,
    rate: number,
  ): { seq: number; ts: number; rebased: boolean } {
    let rebased = false;
    if (
      !this.valid ||
      pkt.ssrc !== this.ssrc ||
      Math.abs(seqDiff(pkt.seq, this.lastSeq)) > MAX_RELAY_JUMP
    ) {
      this.seqOffset = (out.seq + 1 - pkt.seq) & 0xffff;
      this.tsOffset =
        (out.extrapolate(nowMs, rate, (rate / 8000) * FRAME_SAMPLES) - pkt.timestamp) >>> 0;
      this.ssrc = pkt.ssrc;
      this.lastSeq = pkt.seq;
      this.valid = true;
      rebased = true;
    }
    if (seqDiff(pkt.seq, this.lastSeq) > 0) this.lastSeq = pkt.seq;
    const seq = (pkt.seq + this.seqOffset) & 0xffff;
    if (seqDiff(seq, out.seq) > 0) out.seq = seq;
    return { seq, ts: (pkt.timestamp + this.tsOffset) >>> 0, rebased };
  }
}

export class Path {
  private readonly relay = new RelayMap();
  private transcoder: Transcoder | null = null;
  private lastEventEnd = -1;
  /** Set while we generate RFC 4733 events on `to`: its audio is held back (RFC 4733 §2.5.1.2). */
  suppressAudio = false;
  mode: 'idle' | 'relay' | 'transcode' = 'idle';

  constructor(
    private readonly from: LegCore,
    private readonly to: LegCore,
    private readonly now: () => number,
    private readonly onDtmf: (digit: string, durationMs: number) => void,
  ) {}

  /** After packets were injected into `to`'s stream: continue the relay mapping from them. */
  rebase(): void {
    this.relay.invalidate();
  }

  audio(raw: Buffer, pkt: RtpPacket, codec: ClientCodec): void {
    const neg = this.to.neg;
    if (!neg || !this.to.sending || this.suppressAudio) return;
    const now = this.now();
    if (codec === neg.codec || (codec !== 'opus' && neg.codec !== 'opus')) {
      this.mode = 'relay';
      this.transcoder = null;
      const m = this.relay.map(pkt, this.to.out, now, neg.clockRate);
      if (codec !== neg.codec) g711Convert(codec as 'PCMA', neg.codec as 'PCMA', pkt.payload);
      const out = rewriteRtp(raw, pkt, {
        marker: pkt.marker || m.rebased,
        payloadType: neg.pt,
        seq: m.seq,
        timestamp: m.ts,
        ssrc: this.to.out.ssrc,
      });
      this.to.send(out, m.ts, now, pkt.payload.length);
      return;
    }
    this.mode = 'transcode';
    if (this.transcoder?.from !== codec || this.transcoder.to !== neg.codec) {
      this.transcoder = new Transcoder(codec, neg.codec);
    }
    this.transcoder.process(pkt, this.to.out, now, (payload, ts, marker) => {
      const packet = buildRtp(
        {
          marker,
          payloadType: neg.pt,
          seq: this.to.out.nextSeq(),
          timestamp: ts,
          ssrc: this.to.out.ssrc,
        },
        payload,
      );
      this.to.send(packet, ts, now, payload.length);
    });
  }

  event(raw: Buffer, pkt: RtpPacket, rate: number): void {
    const ev = parseTelephoneEvent(pkt.payload);
    if (!ev) return;
    if (ev.end && pkt.timestamp !== this.lastEventEnd) {
      this.lastEventEnd = pkt.timestamp;
      const digit = dtmfDigit(ev.event);
      if (digit) this.onDtmf(digit, Math.round((ev.duration * 1000) / rate));
    }
    this.transcoder?.skip(pkt);
    const neg = this.to.neg;
    const dtmf = neg?.dtmf;
    if (!neg || !dtmf || !this.to.sending) return;
    const now = this.now();
    let seq: number;
    let ts: number;
    if (this.transcoder && this.mode === 'transcode') {
      seq = this.to.out.nextSeq();
      ts = this.transcoder.mapEventTs(pkt.timestamp, this.to.out, now);
    } else {
      ({ seq, ts } = this.relay.map(pkt, this.to.out, now, dtmf.clockRate));
    }
    const duration = Math.round((ev.duration * dtmf.clockRate) / rate);
    const header = {
      marker: pkt.marker,
      payloadType: dtmf.pt,
      seq,
      timestamp: ts,
      ssrc: this.to.out.ssrc,
    };
    const out =
      duration === ev.duration
        ? rewriteRtp(raw, pkt, header)
        : buildRtp(header, buildTelephoneEvent({ ...ev, duration }));
    this.to.send(out, ts, now, 4);
  }
}
