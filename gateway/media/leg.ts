/**
 * What both legs share: the negotiated payload types, the outgoing stream
 * (our SSRC, sequence and timestamp — RFC 3550 §5.1 random starts), send
 * and receive counters, and RTCP: reports every ~5 s (RFC 3550 §6.2, the
 * minimum interval, randomised ×0.5–1.5 per §6.3.1) and RTT from the peer's
 * report blocks (§6.4.1).
 */
import { ReceiverStats, buildCompound, parseRtcp, rttFromBlock } from './rtcp.ts';
import { randomUint32, type RtpPacket } from './rtp.ts';
import { canReceive, canSend } from './sdp.ts';
import type { ClientCodec, LegName, LegStats, MediaDirection, StreamReport } from './types.ts';

export interface Negotiated {
  /** What we send: codec and payload type. */
  codec: ClientCodec;
  pt: number;
  clockRate: number;
  /** Payload types we accept for audio. */
  recv: Map<number, ClientCodec>;
  /** telephone-event we send, if negotiated. */
  dtmf: { pt: number; clockRate: number } | null;
  dtmfRecv: Map<number, number>; // pt → clock rate
  local: MediaDirection;
  remote: MediaDirection;
}

/** Our outgoing RTP stream on one leg. */
export class OutStream {
  readonly ssrc = randomUint32();
  seq = randomUint32() & 0xffff;
  /** Last timestamp sent and when (monotonic ms): extrapolated for new runs. */
  ts = randomUint32();
  anchorMs = 0;
  packets = 0;
  octets = 0;
  sentSinceReport = false;

  nextSeq(): number {
    this.seq = (this.seq + 1) & 0xffff;
    return this.seq;
  }

  /** The timestamp "now" in `clockRate` units, continuing from the last one sent. */
  extrapolate(nowMs: number, clockRate: number, minStep: number): number {
    if (this.anchorMs === 0) return (this.ts + minStep) >>> 0;
    const step = Math.max(minStep, Math.round(((nowMs - this.anchorMs) * clockRate) / 1000));
    return (this.ts + step) >>> 0;
  }

  sent(ts: number, nowMs: number, payloadBytes: number): void {
    if (this.anchorMs === 0 || ((ts - this.ts) | 0) >= 0) {
      this.ts = ts >>> 0;
      this.anchorMs = nowMs;
    }
    this.packets++;
    this.octets += payloadBytes;
    this.sentSinceReport = true;
  }
}

export type AudioHandler = (leg: LegCore, raw: Buffer, pkt: RtpPacket, codec: ClientCodec) => void;
export type EventHandler = (leg: LegCore, raw: Buffer, pkt: RtpPacket, clockRate: number) => void;

export const RTCP_INTERVAL_MS = 5000;

export abstract class LegCore {
  neg: Negotiated | null = null;
  readonly out = new OutStream();
  readonly cname: string;
  bytesSent = 0;
  packetsSent = 0;
  private receiver: ReceiverStats | null = null;
  private remoteReport: StreamReport | null = null;
  private rttMs: number | null = null;
  private nextReportAt = 0;
  onAudio: AudioHandler = () => undefined;
  onEvent: EventHandler = () => undefined;

  constructor(
    readonly name: LegName,
    callId: string,
  ) {
    this.cname = `linegate-${callId}-${name}`;
  }

  /** Sends a finished packet (header written) on the transport. */
  protected abstract transmit(packet: Buffer): boolean;
  protected abstract transmitRtcp(packet: Buffer): void;
  abstract get ready(): boolean;
  abstract get remoteAddress(): string | null;

  /** True when our direction and the peer's allow sending media now. */
  get sending(): boolean {
    const n = this.neg;
    return n !== null && canSend(n.local) && canReceive(n.remote) && this.ready;
  }

  send(packet: Buffer, ts: number, nowMs: number, payloadBytes: number): void {
    if (!this.transmit(packet)) return;
    this.out.sent(ts, nowMs, payloadBytes);
    this.packetsSent++;
    this.bytesSent += packet.length;
  }

  /** Classifies an incoming RTP packet by payload type and hands it on. */
  protected receiveRtp(raw: Buffer, pkt: RtpPacket, nowMs: number): void {
    const n = this.neg;
    if (!n) return;
    const codec = n.recv.get(pkt.payloadType);
    const rate = codec ? (codec === 'opus' ? 48000 : 8000) : n.dtmfRecv.get(pkt.payloadType);
    if (rate === undefined) return; // CN, RED, or anything we did not negotiate
    this.receiver ??= new ReceiverStats(rate);
    // Events keep one timestamp for their whole length: they count for loss, not for jitter.
    this.receiver.onPacket(
      pkt.ssrc,
      pkt.seq,
      pkt.timestamp,
      raw.length,
      nowMs,
      codec !== undefined,
    );
    if (codec) this.onAudio(this, raw, pkt, codec);
    else this.onEvent(this, raw, pkt, rate);
  }

  protected receiveRtcp(data: Buffer, nowMs: number, wallMs: number): void {
    const info = parseRtcp(data);
    if (!info) return;
    if (info.srNtpMiddle !== null) this.receiver?.onSenderReport(info.srNtpMiddle, nowMs);
    const block = info.blocks.find((b) => b.ssrc === this.out.ssrc);
    if (!block) return;
    const rate = this.neg?.clockRate ?? 8000;
    this.remoteReport = {
      packetsLost: block.cumulativeLost,
      fractionLost: block.fractionLost / 256,
      jitterMs: (block.jitter * 1000) / rate,
    };
    const rtt = rttFromBlock(block, wallMs);
    if (rtt !== null) this.rttMs = rtt;
  }

  /** Sends an RTCP compound when one is due (called from the worker's 1 s tick). */
  tickRtcp(nowMs: number, wallMs: number): void {
    if (!this.ready || !this.neg) return;
    if (nowMs < this.nextReportAt) return;
    this.nextReportAt = nowMs + RTCP_INTERVAL_MS * (0.5 + Math.random());
    const o = this.out;
    const sender = o.sentSinceReport
      ? {
          ssrc: o.ssrc,
          ntpMs: wallMs,
          rtpTimestamp: o.extrapolate(nowMs, this.neg.clockRate, 0),
          packets: o.packets,
          octets: o.octets,
        }
      : null;
    o.sentSinceReport = false;
    this.transmitRtcp(
      buildCompound(o.ssrc, this.cname, sender, this.receiver?.reportBlock(nowMs) ?? null),
    );
  }

  stats(): LegStats {
    const r = this.receiver;
    return {
      codec: this.neg?.codec ?? null,
      direction: this.neg?.local ?? 'inactive',
      packetsSent: this.packetsSent,
      bytesSent: this.bytesSent,
      packetsReceived: r?.packets ?? 0,
      bytesReceived: r?.bytes ?? 0,
      received: {
        packetsLost: r?.lost ?? 0,
        fractionLost: r && r.expected > 0 ? r.lost / r.expected : 0,
        jitterMs: r?.jitterMs ?? 0,
      },
      remote: this.remoteReport,
      rttMs: this.rttMs,
      remoteAddress: this.remoteAddress,
    };
  }
}
