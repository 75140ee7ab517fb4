/**
 * The page's audio side: the analyser that tells what the browser hears, media
 * statistics, and the self-test of the measuring chain. Bundled into the page
 * with browser-phone-page.ts.
 */
import type {
  Analyser,
  AudioCtx,
  AudioElement,
  PageGlobals,
  PeerConnection,
  Stats,
  Stream,
} from './browser-phone-dom.ts';
import { restrictCodecs } from './browser-phone-sdp.ts';
import type {
  ListenResult,
  MediaStats,
  SelfTestOptions,
  SelfTestResult,
} from './browser-phone-types.ts';

const g = globalThis as unknown as PageGlobals;

/** Raw microphone: the browser's voice processing cuts a steady test tone by ~20 dB. */
export const MEDIA = {
  audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
  video: false,
};
/** Host candidates only; JsSIP waits for gathering to finish (no trickle). */
export const PC_CONFIG = { iceServers: [] };
const FFT_SIZE = 8192;
/** -60 dBFS: anything above counts as sound. */
const SOUND_RMS = 0.001;

let audioCtx: AudioCtx | null = null;

function ctx(): AudioCtx {
  audioCtx ??= new g.AudioContext();
  return audioCtx;
}

export function analyserFor(stream: Stream): Analyser {
  const c = ctx();
  const an = c.createAnalyser();
  an.fftSize = FFT_SIZE;
  an.smoothingTimeConstant = 0;
  // An AnalyserNode without outputs is still pulled by Chromium's audio graph.
  c.createMediaStreamSource(stream).connect(an);
  return an;
}

/** Chromium decodes a remote WebRTC track only while a media element plays it; muted is enough. */
export function play(stream: Stream): AudioElement {
  const el = g.document.createElement('audio');
  el.muted = true;
  el.autoplay = true;
  el.srcObject = stream;
  g.document.body.append(el);
  el.play().catch(() => undefined);
  return el;
}

export const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function rms(an: Analyser, buf: Float32Array): number {
  an.getFloatTimeDomainData(buf);
  let sum = 0;
  for (const v of buf) sum += v * v;
  return Math.sqrt(sum / buf.length);
}

/**
 * Waits up to waitMs for sound, lets one analyser window fill with it, then
 * averages power spectra and the mean square of the samples over ms.
 */
export async function measure(an: Analyser, ms: number, waitMs: number): Promise<ListenResult> {
  const sampleRate = ctx().sampleRate;
  await ctx().resume();
  const td = new Float32Array(an.fftSize);
  const fd = new Float32Array(an.frequencyBinCount);
  const power = new Float64Array(an.frequencyBinCount);
  const waitUntil = Date.now() + waitMs;
  while (Date.now() < waitUntil && rms(an, td) < SOUND_RMS) await delay(20);
  if (rms(an, td) >= SOUND_RMS) await delay((1000 * an.fftSize) / sampleRate);
  let frames = 0;
  let meanSquare = 0;
  const end = Date.now() + ms;
  do {
    an.getFloatFrequencyData(fd);
    fd.forEach((db, i) => (power[i] = (power[i] ?? 0) + 10 ** (db / 10)));
    meanSquare += rms(an, td) ** 2;
    frames++;
    await delay(50);
  } while (Date.now() < end);
  const binHz = sampleRate / an.fftSize;
  const first = Math.ceil(50 / binHz);
  let peak = first;
  let total = 0;
  for (let i = first; i < power.length; i++) {
    total += power[i] ?? 0;
    if ((power[i] ?? 0) > (power[peak] ?? 0)) peak = i;
  }
  const level = Math.sqrt(meanSquare / frames);
  const at = (i: number) => 10 * Math.log10(Math.max(power[i] ?? 0, 1e-30));
  const [y0, y1, y2] = [at(peak - 1), at(peak), at(peak + 1)];
  const denominator = y0 - 2 * y1 + y2;
  const offset = denominator === 0 ? 0 : (0.5 * (y0 - y2)) / denominator;
  let near = 0;
  for (let i = Math.max(first, peak - 4); i <= peak + 4 && i < power.length; i++) {
    near += power[i] ?? 0;
  }
  const silent = total <= 0 || level < SOUND_RMS;
  return {
    dominantHz: silent ? 0 : (peak + offset) * binHz,
    level,
    levelDb: level > 0 ? 20 * Math.log10(level) : -200,
    purity: silent ? 0 : near / total,
    frames,
  };
}

export async function readStats(pc: PeerConnection): Promise<MediaStats> {
  const all = new Map<string, Stats>();
  (await pc.getStats()).forEach((s) => all.set(s.id, s));
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  const busiest = (type: string, counter: string) =>
    [...all.values()]
      .filter((s) => s.type === type && s['kind'] === 'audio')
      .sort((a, b) => num(b[counter]) - num(a[counter]))[0];
  const codec = (s: Stats | undefined) => {
    const id = s?.['codecId'];
    const mime = typeof id === 'string' ? all.get(id)?.['mimeType'] : undefined;
    return typeof mime === 'string' ? mime.replace(/^audio\//i, '') : null;
  };
  const out = busiest('outbound-rtp', 'packetsSent');
  const inb = busiest('inbound-rtp', 'packetsReceived');
  return {
    sendCodec: codec(out),
    recvCodec: codec(inb),
    packetsSent: num(out?.['packetsSent']),
    packetsReceived: num(inb?.['packetsReceived']),
    iceState: pc.iceConnectionState,
  };
}

function waitIceGathered(pc: PeerConnection): Promise<void> {
  return new Promise((resolve) =>
    pc.addEventListener('icecandidate', (e) => {
      if (e.candidate === null) resolve();
    }),
  );
}

/** The fake microphone into the analyser, directly or through a local RTCPeerConnection pair. */
export async function selfTest(o: SelfTestOptions): Promise<SelfTestResult> {
  const mic = await g.navigator.mediaDevices.getUserMedia(MEDIA);
  const [track] = mic.getAudioTracks();
  if (!track) throw new Error('getUserMedia gave no audio track');
  const closers: (() => void)[] = [() => mic.getTracks().forEach((t) => t.stop())];
  try {
    if (o.via === 'direct') {
      const direct = await measure(analyserFor(mic), o.ms, o.waitMs);
      return { ...direct, sendCodec: null, recvCodec: null };
    }
    const a = new g.RTCPeerConnection(PC_CONFIG);
    const b = new g.RTCPeerConnection(PC_CONFIG);
    closers.push(
      () => a.close(),
      () => b.close(),
    );
    const received = new Promise<Stream>((resolve) =>
      b.addEventListener('track', (e) => resolve(new g.MediaStream([e.track]))),
    );
    // Non-trickle, as JsSIP: each side's SDP is exchanged with all its candidates.
    const aGathered = waitIceGathered(a);
    a.addTrack(track, mic);
    await a.setLocalDescription(await a.createOffer());
    await aGathered;
    const offer = a.localDescription?.sdp ?? '';
    await b.setRemoteDescription({
      type: 'offer',
      sdp: o.codecs ? restrictCodecs(offer, o.codecs) : offer,
    });
    const bGathered = waitIceGathered(b);
    await b.setLocalDescription(await b.createAnswer());
    await bGathered;
    await a.setRemoteDescription({ type: 'answer', sdp: b.localDescription?.sdp ?? '' });
    const stream = await received;
    const el = play(stream);
    const an = analyserFor(stream);
    closers.push(
      () => el.remove(),
      () => an.disconnect(),
    );
    const heard = await measure(an, o.ms, o.waitMs);
    const [sa, sb] = await Promise.all([readStats(a), readStats(b)]);
    return {
      ...heard,
      sendCodec: sa.sendCodec,
      recvCodec: sb.recvCodec,
    } satisfies SelfTestResult;
  } finally {
    for (const close of closers) close();
  }
}

/** Polls the analyser until its window is all sound / all silence, or timeoutMs. */
export async function waitLevel(
  analyser: () => Analyser | null,
  want: 'sound' | 'silence',
  timeoutMs: number,
): Promise<{ reached: boolean; ms: number; level: number }> {
  const started = Date.now();
  const buf = new Float32Array(FFT_SIZE);
  const reached = (an: Analyser | null) =>
    an !== null && rms(an, buf) >= SOUND_RMS === (want === 'sound');
  while (Date.now() - started < timeoutMs && !reached(analyser())) await delay(20);
  const an = analyser();
  return { reached: reached(an), ms: Date.now() - started, level: an ? rms(an, buf) : 0 };
}
