/**
 * Decoders and encoders behind one shape for the transcoder. Opus runs at
 * 8 kHz mono in both directions (RFC 7587 §3.1.1: a decoder may output any
 * rate), so no resampler is needed; its packet-loss concealment is libopus'
 * own, triggered by a packet with a TOC byte and no frame data, which libopus
 * treats like a missing packet (RFC 6716 §4.4).
 */
import { Decoder as OpusDecoderImpl, Encoder as OpusEncoderImpl } from '@evan/opus';
import { g711Decode, g711Encode, type G711Law } from './g711.ts';
import { RepeatFadeConcealer } from './plc.ts';
import type { ClientCodec } from './types.ts';

export const FRAME_SAMPLES = 160; // 20 ms at 8 kHz

export interface AudioDecoder {
  /** PCM at 8 kHz; the result is valid until the next call. */
  decode(payload: Uint8Array): Int16Array;
  /** Concealment for `samples` missing samples. */
  conceal(samples: number): Int16Array;
  reset(): void;
}

export interface AudioEncoder {
  /** One 20 ms frame in, one payload out; valid until the next call. */
  encode(frame: Int16Array): Uint8Array;
  reset(): void;
}

function asInt16(bytes: Uint8Array): Int16Array {
  if (bytes.byteOffset % 2 === 0)
    return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
  return new Int16Array(bytes.slice().buffer);
}

/** RFC 6716 §3.1 TOC: config 1 (SILK narrowband, 20 ms), one frame. */
const PLC_TOC_20MS = new Uint8Array([0x08]);

class OpusDecoder implements AudioDecoder {
  private readonly dec = new OpusDecoderImpl({ channels: 1, sample_rate: 8000 });

  decode(payload: Uint8Array): Int16Array {
    try {
      return asInt16(this.dec.decode(payload));
    } catch {
      return this.conceal(FRAME_SAMPLES); // a corrupt packet is a lost packet
    }
  }

  conceal(samples: number): Int16Array {
    const out = new Int16Array(samples);
    for (let at = 0; at < samples;) {
      let pcm: Int16Array;
      try {
        pcm = asInt16(this.dec.decode(PLC_TOC_20MS));
      } catch {
        break; // leave silence
      }
      if (pcm.length === 0) break;
      const n = Math.min(pcm.length, samples - at);
      out.set(pcm.subarray(0, n), at);
      at += n;
    }
    return out;
  }

  reset(): void {
    this.dec.reset();
  }
}

class G711Decoder implements AudioDecoder {
  private buf = new Int16Array(480);
  private readonly plc = new RepeatFadeConcealer();

  constructor(private readonly law: G711Law) {}

  decode(payload: Uint8Array): Int16Array {
    if (this.buf.length < payload.length) this.buf = new Int16Array(payload.length);
    const pcm = g711Decode(this.law, payload, this.buf.subarray(0, payload.length));
    this.plc.good(pcm);
    return pcm;
  }

  conceal(samples: number): Int16Array {
    return this.plc.conceal(samples);
  }

  reset(): void {
    this.plc.reset();
  }
}

/** Opus complexity 5: near-default quality for narrowband speech at ~20 % less CPU. */
const OPUS_COMPLEXITY = 5;

class OpusEncoder implements AudioEncoder {
  private readonly enc = new OpusEncoderImpl({
    channels: 1,
    sample_rate: 8000,
    application: 'voip',
  });

  constructor() {
    this.enc.complexity = OPUS_COMPLEXITY;
  }

  encode(frame: Int16Array): Uint8Array {
    return this.enc.encode(frame);
  }

  reset(): void {
    this.enc.reset();
  }
}

class G711Encoder implements AudioEncoder {
  private readonly out = new Uint8Array(FRAME_SAMPLES);

  constructor(private readonly law: G711Law) {}

  encode(frame: Int16Array): Uint8Array {
    return g711Encode(
      this.law,
      frame,
      frame.length === FRAME_SAMPLES ? this.out : new Uint8Array(frame.length),
    );
  }

  reset(): void {
    // stateless
  }
}

export function createDecoder(codec: ClientCodec): AudioDecoder {
  return codec === 'opus' ? new OpusDecoder() : new G711Decoder(codec);
}

export function createEncoder(codec: ClientCodec): AudioEncoder {
  return codec === 'opus' ? new OpusEncoder() : new G711Encoder(codec);
}
