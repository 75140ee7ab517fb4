/**
 * RTP fixed header (RFC 3550 §5.1) parsing and writing, and the RTP/RTCP
 * demultiplexing rule for rtcp-mux (RFC 5761 §4). Packets are Buffers owned
 * by the engine, so relaying rewrites the header in place.
 */

export interface RtpPacket {
  readonly marker: boolean;
  readonly payloadType: number;
  readonly seq: number;
  readonly timestamp: number;
  readonly ssrc: number;
  /** Payload without header, CSRCs, extension and padding (a view, not a copy). */
  readonly payload: Buffer;
  /** Offset of the payload in the original buffer. */
  readonly headerLength: number;
}

export interface RtpHeader {
  marker: boolean;
  payloadType: number;
  seq: number;
  timestamp: number;
  ssrc: number;
}

export const RTP_HEADER_LENGTH = 12;

/** RFC 5761 §4: payload types 64–95 (second byte 192–223) are RTCP. */
export function isRtcp(data: Uint8Array): boolean {
  const b = data[1];
  return data.length >= 8 && b !== undefined && b >= 192 && b <= 223;
}

/** Parses an RTP packet; null for anything that is not version 2 or is truncated. */
export function parseRtp(data: Buffer): RtpPacket | null {
  if (data.length < RTP_HEADER_LENGTH) return null;
  const b0 = data[0] as number;
  if (b0 >> 6 !== 2) return null;
  let offset = RTP_HEADER_LENGTH + (b0 & 0x0f) * 4;
  if (b0 & 0x10) {
    // RFC 3550 §5.3.1: 4-byte extension header, length in 32-bit words.
    if (data.length < offset + 4) return null;
    offset += 4 + data.readUInt16BE(offset + 2) * 4;
  }
  let end = data.length;
  if (b0 & 0x20) end -= data[data.length - 1] as number; // RFC 3550 §5.1 padding
  if (end < offset) return null;
  const b1 = data[1] as number;
  return {
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    seq: data.readUInt16BE(2),
    timestamp: data.readUInt32BE(4),
    ssrc: data.readUInt32BE(8),
    payload: data.subarray(offset, end),
    headerLength: offset,
  };
}

/** Writes a 12-byte header (no CSRC, no extension) at the start of `buf`. */
export function writeRtpHeader(buf: Buffer, h: RtpHeader): void {
  buf[0] = 0x80;
  buf[1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f);
  buf.writeUInt16BE(h.seq & 0xffff, 2);
  buf.writeUInt32BE(h.timestamp >>> 0, 4);
  buf.writeUInt32BE(h.ssrc >>> 0, 8);
}

/** A new packet: 12-byte header followed by a copy of `payload`. */
export function buildRtp(h: RtpHeader, payload: Uint8Array): Buffer {
  const buf = Buffer.allocUnsafe(RTP_HEADER_LENGTH + payload.length);
  writeRtpHeader(buf, h);
  buf.set(payload, RTP_HEADER_LENGTH);
  return buf;
}

/**
 * Reuses `pkt`'s buffer for the outgoing header when it carries exactly a
 * 12-byte header and no padding; otherwise copies the payload behind a fresh
 * 12-byte header (drops CSRCs and extensions that were never negotiated).
 */
export function rewriteRtp(raw: Buffer, pkt: RtpPacket, h: RtpHeader): Buffer {
  if (
    pkt.headerLength === RTP_HEADER_LENGTH &&
    pkt.payload.length + RTP_HEADER_LENGTH === raw.length
  ) {
    writeRtpHeader(raw, h);
    return raw;
  }
  return buildRtp(h, pkt.payload);
}

/** Signed distance a − b between two 16-bit sequence numbers. */
export function seqDiff(a: number, b: number): number {
  return ((a - b + 0x8000) & 0xffff) - 0x8000;
}

/** Signed distance a − b between two 32-bit timestamps. */
export function tsDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export function randomUint32(): number {
  return (Math.random() * 0x1_0000_0000) >>> 0;
}
