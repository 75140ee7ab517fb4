// Tone files for the test peers (made with sox) and analysis of what they
// recorded (in TypeScript, so tests do not depend on parsing sox's output).
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './proc.ts';

/**
 * Seconds of tone in generated files. baresip's aufile source does not loop:
 * at the end of the file its menu hangs the call up ("audio error, end of
 * file"), so the tone must outlast the longest test call (test/e2e/long-call,
 * 130 s).
 */
const TONE_SECONDS = 240;

/**
 * `<dir>/tone<hz>.wav` (8 kHz mono PCM16: the only format baresip's aufile
 * accepts with this config) and `<dir>/tone<hz>.ulaw` (raw u-law for SIPp's
 * rtp_stream). Existing files are reused.
 */
export async function makeTone(dir: string, hz: number): Promise<{ wav: string; ulaw: string }> {
  if (!Number.isFinite(hz) || hz <= 0 || hz >= 4000)
    throw new Error(`tone ${hz} Hz: must be in 0..4000 (8 kHz audio)`);
  mkdirSync(dir, { recursive: true });
  const wav = join(dir, `tone${hz}.wav`);
  const ulaw = join(dir, `tone${hz}.ulaw`);
  if (!existsSync(wav)) {
    const tmp = `${wav}.${process.pid}.tmp.wav`;
    await run(
      'sox',
      [
        '-n',
        '-r',
        '8000',
        '-c',
        '1',
        '-b',
        '16',
        tmp,
        'synth',
        String(TONE_SECONDS),
        'sine',
        String(hz),
        'vol',
        '0.5',
      ],
      { cwd: dir },
    );
    await run('mv', [tmp, wav], { cwd: dir });
  }
  if (!existsSync(ulaw)) {
    const tmp = `${ulaw}.${process.pid}.tmp`;
    await run('sox', [wav, '-t', 'raw', '-e', 'u-law', '-r', '8000', '-c', '1', tmp], { cwd: dir });
    await run('mv', [tmp, ulaw], { cwd: dir });
  }
  return { wav, ulaw };
}

export interface Wav {
  sampleRate: number;
  channels: number;
  /** First channel, scaled to -1..1. */
  samples: Float32Array;
}

/**
 * Reads a PCM16 WAV. The data chunk's size is trusted only up to the end of
 * the file: a recorder that is still writing (or was killed) leaves 0 or a
 * placeholder there.
 */
export function parseWav(buf: Buffer): Wav {
  if (
    buf.length < 12 ||
    buf.toString('ascii', 0, 4) !== 'RIFF' ||
    buf.toString('ascii', 8, 12) !== 'WAVE'
  ) {
    throw new Error('not a RIFF/WAVE file');
  }
  let off = 12;
  let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      fmt = {
        format: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        rate: buf.readUInt32LE(body + 4),
        bits: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (fmt === undefined) throw new Error('WAV data chunk before fmt chunk');
      // 0xFFFE is WAVE_FORMAT_EXTENSIBLE; PCM16 is all the recorders here write.
      if ((fmt.format !== 1 && fmt.format !== 0xfffe) || fmt.bits !== 16) {
        throw new Error(`unsupported WAV format ${fmt.format}/${fmt.bits} bit (PCM16 only)`);
      }
      const end = size === 0 || body + size > buf.length ? buf.length : body + size;
      const frame = 2 * fmt.channels;
      const n = Math.floor((end - body) / frame);
      const samples = new Float32Array(n);
      for (let i = 0; i < n; i++) samples[i] = buf.readInt16LE(body + i * frame) / 32768;
      return { sampleRate: fmt.rate, channels: fmt.channels, samples };
    }
    off = body + size + (size % 2); // chunks are word-aligned
  }
  throw new Error('WAV has no data chunk');
}

/** Root-mean-square level, 0..1 of full scale (a 0.5-amplitude sine gives ~0.35). */
export function rms(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/** Power of one frequency in a block of samples (Goertzel algorithm). */
export function goertzel(samples: Float32Array, sampleRate: number, hz: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (const x of samples) {
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** A Hann-windowed copy: keeps a strong tone from leaking into the neighbouring bins. */
function hann(samples: Float32Array): Float32Array {
  const n = samples.length;
  return samples.map((x, i) => x * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1))));
}

/**
 * Dominant frequency: a coarse Goertzel scan (10 Hz steps, 50 Hz .. Nyquist)
 * over at most 2 s from the loudest part of the signal, refined in 1 Hz steps.
 */
export function dominantFrequency(samples: Float32Array, sampleRate: number): number {
  const block = hann(loudestBlock(samples, Math.min(samples.length, 2 * sampleRate)));
  if (block.length < 64) return 0;
  const best = (from: number, to: number, step: number): number => {
    let bestHz = from;
    let bestPower = -1;
    for (let hz = from; hz <= to; hz += step) {
      const p = goertzel(block, sampleRate, hz);
      if (p > bestPower) {
        bestPower = p;
        bestHz = hz;
      }
    }
    return bestHz;
  };
  const coarse = best(50, sampleRate / 2 - 10, 10);
  return best(Math.max(1, coarse - 10), coarse + 10, 1);
}

/** The `len`-sample window with the most energy (skips silence before answer and after hangup). */
function loudestBlock(samples: Float32Array, len: number): Float32Array {
  if (len >= samples.length) return samples;
  const step = Math.max(1, Math.floor(len / 8));
  let bestStart = 0;
  let bestEnergy = -1;
  for (let start = 0; start + len <= samples.length; start += step) {
    const e = rms(samples.subarray(start, start + len));
    if (e > bestEnergy) {
      bestEnergy = e;
      bestStart = start;
    }
  }
  return samples.subarray(bestStart, bestStart + len);
}

export interface WavAnalysis {
  sampleRate: number;
  seconds: number;
  /** 0..1 of full scale, over the whole file. */
  rms: number;
  /** Hz, 0 if the file is too short. */
  dominantHz: number;
}

export function analyzeSamples(wav: Wav): WavAnalysis {
  return {
    sampleRate: wav.sampleRate,
    seconds: wav.samples.length / wav.sampleRate,
    rms: rms(wav.samples),
    dominantHz: dominantFrequency(wav.samples, wav.sampleRate),
  };
}

export async function analyzeWav(path: string): Promise<WavAnalysis> {
  return analyzeSamples(parseWav(await readFile(path)));
}
