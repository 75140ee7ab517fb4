/**
 * Ringtone, call-waiting beep and test tone, generated with WebAudio and
 * played on the chosen output device: AudioContext.setSinkId where the
 * browser has it, else through an <audio> element's setSinkId, else on the
 * default output.
 */

export type ToneKind = 'ring' | 'waiting' | 'test';

export interface TonePlayer {
  /** Starts `kind` (stopping whatever played) on the output `sinkId` (undefined: default). */
  play(kind: ToneKind, sinkId?: string): void;
  stop(): void;
  /** Call from a user gesture: browsers start audio only after one. */
  unlock(): void;
}

interface Burst {
  readonly at: number;
  readonly duration: number;
}
interface Pattern {
  readonly freqs: readonly number[];
  readonly bursts: readonly Burst[];
  /** Repeats every so many ms; undefined: once. */
  readonly cycleMs?: number;
  readonly gain: number;
}

const PATTERNS: Readonly<Record<ToneKind, Pattern>> = {
  ring: {
    freqs: [660, 880],
    bursts: [
      { at: 0, duration: 0.4 },
      { at: 0.55, duration: 0.4 },
    ],
    cycleMs: 3000,
    gain: 0.12,
  },
  waiting: {
    freqs: [440],
    bursts: [
      { at: 0, duration: 0.15 },
      { at: 0.3, duration: 0.15 },
    ],
    cycleMs: 6000,
    gain: 0.12,
  },
  test: { freqs: [440], bursts: [{ at: 0, duration: 1.2 }], gain: 0.2 },
};

type SinkableContext = AudioContext & {
  setSinkId?: (sinkId: string) => Promise<void>;
  readonly sinkId?: unknown;
};

export class WebAudioTones implements TonePlayer {
  private ctx: SinkableContext | undefined;
  private element: HTMLAudioElement | undefined;
  private streamOut: MediaStreamAudioDestinationNode | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private sources: OscillatorNode[] = [];

  unlock(): void {
    const ctx = this.context();
    if (ctx?.state === 'suspended') ctx.resume().catch(() => undefined);
  }

  play(kind: ToneKind, sinkId?: string): void {
    this.stop();
    const ctx = this.context();
    if (!ctx) return;
    ctx.resume().catch(() => undefined);
    const out = this.route(ctx, sinkId);
    const pattern = PATTERNS[kind];
    this.burst(ctx, out, pattern);
    if (pattern.cycleMs !== undefined) {
      this.timer = setInterval(() => this.burst(ctx, out, pattern), pattern.cycleMs);
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const s of this.sources) {
      try {
        s.stop();
      } catch {
        // Already stopped.
      }
    }
    this.sources = [];
    this.element?.pause();
  }

  private context(): SinkableContext | undefined {
    if (!this.ctx && typeof AudioContext !== 'undefined') this.ctx = new AudioContext();
    return this.ctx;
  }

  /** Where the tones go for this output device. */
  private route(ctx: SinkableContext, sinkId: string | undefined): AudioNode {
    if (typeof ctx.setSinkId === 'function') {
      ctx.setSinkId(sinkId ?? '').catch(() => undefined);
      return ctx.destination;
    }
    if (sinkId === undefined || typeof HTMLMediaElement === 'undefined') return ctx.destination;
    if (!('setSinkId' in HTMLMediaElement.prototype)) return ctx.destination;
    this.streamOut ??= ctx.createMediaStreamDestination();
    this.element ??= new Audio();
    this.element.srcObject = this.streamOut.stream;
    this.element.setSinkId(sinkId).catch(() => undefined);
    this.element.play().catch(() => undefined);
    return this.streamOut;
  }

  private burst(ctx: AudioContext, out: AudioNode, p: Pattern): void {
    const t0 = ctx.currentTime + 0.02;
    for (const b of p.bursts) {
      const gain = ctx.createGain();
      const start = t0 + b.at;
      const end = start + b.duration;
      gain.gain.setValueAtTime(0, start);
      gain.gain.linearRampToValueAtTime(p.gain, start + 0.01);
      gain.gain.setValueAtTime(p.gain, end - 0.03);
      gain.gain.linearRampToValueAtTime(0, end);
      gain.connect(out);
      for (const f of p.freqs) {
        const osc = ctx.createOscillator();
        osc.frequency.value = f;
        osc.connect(gain);
        osc.start(start);
        osc.stop(end);
        osc.onended = () => {
          this.sources = this.sources.filter((s) => s !== osc);
        };
        this.sources.push(osc);
      }
    }
  }
}
