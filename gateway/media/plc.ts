/**
 * Sample-domain helpers for the transcoder: concealment for G.711 input
 * (repeat the last good frame, fading out over four frames — the simple
 * form of ITU-T G.711 Appendix I), a de-clicker that removes the step at a
 * run boundary, and a framer that cuts any input length into 20 ms frames.
 */

const FADE_FRAMES = 4;

/** Repeats the last good frame with a linear fade; silent after FADE_FRAMES frames. */
export class RepeatFadeConcealer {
  private last: Int16Array | null = null;
  private concealed = 0;

  /** Remembers a good frame (copied) and ends any concealment. */
  good(frame: Int16Array): void {
    if (this.last?.length !== frame.length) this.last = new Int16Array(frame.length);
    this.last.set(frame);
    this.concealed = 0;
  }

  /** The next concealment frame of `length` samples. */
  conceal(length: number): Int16Array {
    const out = new Int16Array(length);
    const src = this.last;
    if (!src || src.length === 0) return out;
    const k = this.concealed++;
    const g0 = Math.max(0, 1 - k / FADE_FRAMES);
    const g1 = Math.max(0, 1 - (k + 1) / FADE_FRAMES);
    for (let i = 0; i < length; i++) {
      const g = g0 + ((g1 - g0) * i) / length;
      out[i] = Math.round((src[i % src.length] as number) * g);
    }
    return out;
  }

  reset(): void {
    this.last = null;
    this.concealed = 0;
  }
}

const RAMP = 40; // 5 ms at 8 kHz: long enough to be inaudible as a click

/**
 * Tracks the last sample sent; when armed (at a new run or after a decoder
 * reset) it cross-fades from that sample into the next frame, so a jump in
 * the waveform never reaches the listener as a click.
 */
export class Declicker {
  private lastSample = 0;
  private armed = false;

  arm(): void {
    this.armed = true;
  }

  /** Processes a frame in place. */
  process(frame: Int16Array): void {
    if (frame.length === 0) return;
    if (this.armed) {
      this.armed = false;
      const n = Math.min(RAMP, frame.length);
      for (let i = 0; i < n; i++) {
        const w = i / n;
        frame[i] = Math.round(this.lastSample * (1 - w) + (frame[i] as number) * w);
      }
    }
    this.lastSample = frame[frame.length - 1] as number;
  }
}

/** Accumulates samples and hands out frames of exactly `frameSize` samples. */
export class Framer {
  private readonly buf: Int16Array;
  private fill = 0;

  constructor(readonly frameSize: number) {
    this.buf = new Int16Array(frameSize);
  }

  push(pcm: Int16Array, emit: (frame: Int16Array) => void): void {
    let at = 0;
    if (this.fill === 0) {
      // Fast path: whole frames straight from the input.
      while (pcm.length - at >= this.frameSize) {
        emit(pcm.subarray(at, at + this.frameSize));
        at += this.frameSize;
      }
    }
    while (at < pcm.length) {
      const n = Math.min(this.frameSize - this.fill, pcm.length - at);
      this.buf.set(pcm.subarray(at, at + n), this.fill);
      this.fill += n;
      at += n;
      if (this.fill === this.frameSize) {
        this.fill = 0;
        emit(this.buf);
      }
    }
  }

  /** Drops a partial frame (at a run boundary) and reports how many samples it held. */
  reset(): number {
    const dropped = this.fill;
    this.fill = 0;
    return dropped;
  }
}
