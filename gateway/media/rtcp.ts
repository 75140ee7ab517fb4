/**
 * RTCP (RFC 3550 §6): compound SR/RR + SDES CNAME packets, and the receiver
 * statistics they carry — cumulative and fractional loss (Appendix A.3),
 * interarrival jitter (A.8) and round-trip time from LSR/DLSR (§6.4.1).
 */
import { seqDiff } from './rtp.ts';

export interface ReportBlock {
  ssrc: number;
  fractionLost: number; // 0..255 (fixed point /256)
  cumulativeLost: number;
  highestSeq: number; // extended
  jitter: number; // timestamp units
  lastSr: number; // middle 32 bits of the NTP timestamp of the last SR
  delaySinceLastSr: number; // 1/65536 s
}

export interface RtcpInfo {
  senderSsrc: number;
  /** Middle 32 bits of the NTP timestamp of an SR, if the compound has one. */
  srNtpMiddle: number | null;
  blocks: ReportBlock[];
}

const NTP_UNIX_OFFSET_S = 2_208_988_800;

/** Middle 32 bits of the NTP timestamp for a wall-clock time (ms). */
export function ntpMiddle(ms: number): number {
  const seconds = Math.floor(ms / 1000) + NTP_UNIX_OFFSET_S;
  const frac = Math.floor(((ms % 1000) / 1000) * 65536);
  return ((seconds & 0xffff) * 65536 + frac) >>> 0;
}

/** Per-source receive statistics, updated for every RTP packet (RFC 3550 A.1, A.3, A.8). */
export class ReceiverStats {
  ssrc = 0;
  packets = 0;
  bytes = 0;
  private baseSeq = 0;
  private maxSeq = 0;
  private cycles = 0;
  private started = false;
  private jitterQ4 = 0; // jitter × 16, the A.8 fixed-point form
  private lastTransit = 0;
  private jitterStarted = false;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private lastSrMiddle = 0;
  private lastSrAt = 0;

  constructor(private readonly clockRate: number) {}

  /** `arrivalMs` is a monotonic clock; the timestamp is in the codec's clock. */
  onPacket(
    ssrc: number,
    seq: number,
    timestamp: number,
    bytes: number,
    arrivalMs: number,
    forJitter = true,
  ): void {
    if (!this.started || ssrc !== this.ssrc) this.restart(ssrc, seq);
    this.packets++;
    this.bytes += bytes;
    const d = seqDiff(seq, this.maxSeq);
    if (d > 0) {
      if (seq < this.maxSeq) this.cycles += 0x10000;
      this.maxSeq = seq;
    } else if (d < -3000) this.restart(ssrc, seq); // A.1: treat as a restarted source
    if (!forJitter) return;
    const arrival = Math.round((arrivalMs * this.clockRate) / 1000);
    const transit = (arrival - timestamp) | 0;
    if (this.jitterStarted) {
      const delta = Math.abs((transit - this.lastTransit) | 0);
      this.jitterQ4 += delta - ((this.jitterQ4 + 8) >> 4);
    }
    this.lastTransit = transit;
    this.jitterStarted = true;
  }

  private restart(ssrc: number, seq: number): void {
    this.ssrc = ssrc;
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.cycles = 0;
    this.started = true;
    this.expectedPrior = 0;
    this.receivedPrior = 0;
    this.packets = 0;
    this.jitterStarted = false;
  }

  onSenderReport(ntpMiddleValue: number, nowMs: number): void {
    this.lastSrMiddle = ntpMiddleValue;
    this.lastSrAt = nowMs;
  }

  get extendedMax(): number {
    return this.cycles + this.maxSeq;
  }
  get expected(): number {
    return this.started ? this.extendedMax - this.baseSeq + 1 : 0;
  }
  get lost(): number {
    return Math.max(0, this.expected - this.packets);
  }
  get jitter(): number {
    return this.jitterQ4 >> 4;
  }
  get jitterMs(): number {
    return (this.jitter * 1000) / this.clockRate;
  }

  /** The report block for this source; advances the interval counters (A.3). */
  reportBlock(nowMs: number): ReportBlock | null {
    if (!this.started) return null;
    const expectedInterval = this.expected - this.expectedPrior;
    const receivedInterval = this.packets - this.receivedPrior;
    this.expectedPrior = this.expected;
    this.receivedPrior = this.packets;
    const lostInterval = expectedInterval - receivedInterval;
    const fraction =
      expectedInterval <= 0 || lostInterval <= 0
        ? 0
        : Math.floor((lostInterval << 8) / expectedInterval);
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fraction),
      cumulativeLost: Math.min(0x7fffff, this.lost),
      highestSeq: this.extendedMax >>> 0,
      jitter: this.jitter,
      lastSr: this.lastSrMiddle,
      delaySinceLastSr:
        this.lastSrAt === 0 ? 0 : Math.round(((nowMs - this.lastSrAt) / 1000) * 65536),
    };
  }
}

export interface SenderInfo {
  ssrc: number;
  ntpMs: number; // wall clock
  rtpTimestamp: number;
  packets: number;
  octets: number;
}

function writeBlock(buf: Buffer, at: number, b: ReportBlock): void {
  buf.writeUInt32BE(b.ssrc >>> 0, at);
  buf.writeUInt32BE(
    (((b.fractionLost & 0xff) << 24) | (b.cumulativeLost & 0xffffff)) >>> 0,
    at + 4,
  );
  buf.writeUInt32BE(b.highestSeq >>> 0, at + 8);
  buf.writeUInt32BE(b.jitter >>> 0, at + 12);
  buf.writeUInt32BE(b.lastSr >>> 0, at + 16);
  buf.writeUInt32BE(b.delaySinceLastSr >>> 0, at + 20);
}

/**
 * A compound packet (RFC 3550 §6.1): SR if we sent RTP since the last
 * report, else RR; then SDES with CNAME (mandatory in every compound).
 */
export function buildCompound(
  ssrc: number,
  cname: string,
  sender: SenderInfo | null,
  block: ReportBlock | null,
): Buffer {
  const blocks = block ? 1 : 0;
  const reportLen = (sender ? 28 : 8) + blocks * 24;
  const cnameBytes = Buffer.from(cname, 'utf8').subarray(0, 255);
  const sdesLen = Math.ceil((8 + 2 + cnameBytes.length + 1) / 4) * 4;
  const buf = Buffer.alloc(reportLen + sdesLen);
  buf[0] = 0x80 | blocks;
  buf[1] = sender ? 200 : 201;
  buf.writeUInt16BE(reportLen / 4 - 1, 2);
  buf.writeUInt32BE(ssrc >>> 0, 4);
  let at = 8;
  if (sender) {
    const secs = Math.floor(sender.ntpMs / 1000) + NTP_UNIX_OFFSET_S;
    buf.writeUInt32BE(secs >>> 0, 8);
    buf.writeUInt32BE(Math.floor(((sender.ntpMs % 1000) / 1000) * 0x1_0000_0000) >>> 0, 12);
    buf.writeUInt32BE(sender.rtpTimestamp >>> 0, 16);
    buf.writeUInt32BE(sender.packets >>> 0, 20);
    buf.writeUInt32BE(sender.octets >>> 0, 24);
    at = 28;
  }
  if (block) writeBlock(buf, at, block);
  const s = reportLen;
  buf[s] = 0x81; // one chunk
  buf[s + 1] = 202;
  buf.writeUInt16BE(sdesLen / 4 - 1, s + 2);
  buf.writeUInt32BE(ssrc >>> 0, s + 4);
  buf[s + 8] = 1; // CNAME
  buf[s + 9] = cnameBytes.length;
  cnameBytes.copy(buf, s + 10);
  return buf; // the rest is zero: end of items and padding to 32 bits
}

function readBlocks(data: Buffer, at: number, count: number, end: number): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  for (let i = 0; i < count && at + 24 <= end; i++, at += 24) {
    const w = data.readUInt32BE(at + 4);
    blocks.push({
      ssrc: data.readUInt32BE(at),
      fractionLost: w >>> 24,
      cumulativeLost: w & 0xffffff,
      highestSeq: data.readUInt32BE(at + 8),
      jitter: data.readUInt32BE(at + 12),
      lastSr: data.readUInt32BE(at + 16),
      delaySinceLastSr: data.readUInt32BE(at + 20),
    });
  }
  return blocks;
}

/** Reads the SR/RR parts of a compound packet; other types are skipped. */
export function parseRtcp(data: Buffer): RtcpInfo | null {
  let at = 0;
  let info: RtcpInfo | null = null;
  while (at + 4 <= data.length) {
    const b0 = data[at] as number;
    if (b0 >> 6 !== 2) return info;
    const type = data[at + 1] as number;
    const end = at + (data.readUInt16BE(at + 2) + 1) * 4;
    if (end > data.length) return info;
    if ((type === 200 || type === 201) && at + 8 <= end) {
      const isSr = type === 200 && at + 28 <= end;
      info ??= { senderSsrc: data.readUInt32BE(at + 4), srNtpMiddle: null, blocks: [] };
      if (isSr)
        info.srNtpMiddle =
          ((data.readUInt32BE(at + 8) & 0xffff) * 65536 + (data.readUInt32BE(at + 12) >>> 16)) >>>
          0;
      info.blocks.push(...readBlocks(data, at + (isSr ? 28 : 8), b0 & 0x1f, end));
    }
    at = end;
  }
  return info;
}

/** RTT in ms from a report block about our stream (RFC 3550 §6.4.1), or null. */
export function rttFromBlock(block: ReportBlock, nowMs: number): number | null {
  if (block.lastSr === 0) return null;
  const nowMiddle = ntpMiddle(nowMs);
  const rtt = ((nowMiddle - block.lastSr - block.delaySinceLastSr) >>> 0) / 65536;
  return rtt < 60 ? rtt * 1000 : null; // a wrapped or bogus value is no measurement
}
