/** Test signals: a phase-continuous sine source and a Goertzel detector. */

export const RATE = 8000;

export class Tone {
  private phase = 0;
  constructor(
    private readonly hz = 1000,
    private readonly amplitude = 8000,
  ) {}

  frame(samples = 160): Int16Array {
    const out = new Int16Array(samples);
    const step = (2 * Math.PI * this.hz) / RATE;
    for (let i = 0; i < samples; i++) {
      out[i] = Math.round(this.amplitude * Math.sin(this.phase));
      this.phase += step;
    }
    this.phase %= 2 * Math.PI;
    return out;
  }
}

/** Power of `hz` in `x` (Goertzel), normalised so a full-scale sine of that frequency gives its mean square. */
export function goertzel(x: Int16Array, hz: number): number {
  const k = (2 * Math.PI * hz) / RATE;
  const coeff = 2 * Math.cos(k);
  let s1 = 0;
  let s2 = 0;
  for (const v of x) {
    const s = v + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * power) / (x.length * x.length);
}

export function meanSquare(x: Int16Array): number {
  let sum = 0;
  for (const v of x) sum += v * v;
  return x.length ? sum / x.length : 0;
}

/** The frequency among 250…3500 Hz (50 Hz steps) with the most power, and its share of the total. */
export function dominant(x: Int16Array): { hz: number; share: number } {
  let best = { hz: 0, power: -1 };
  for (let hz = 250; hz <= 3500; hz += 50) {
    const p = goertzel(x, hz);
    if (p > best.power) best = { hz, power: p };
  }
  const total = meanSquare(x);
  return { hz: best.hz, share: total > 0 ? best.power / total : 0 };
}

export function concat(frames: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}
