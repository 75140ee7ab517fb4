/**
 * Load generator for test/bench/media.bench.ts, run as a child process
 * (one node-datachannel generator saturates its own core above ~270 calls,
 * so the benchmark spreads calls over several). Per call: a "browser"
 * (node-datachannel, answering the engine's offer) and a "PBX" (one UDP
 * socket, RTCP on the same port), each sending 50 packets/s of prebuilt
 * payload and counting what arrives. Nothing is decoded here: the engine's
 * cost is what is measured.
 */
import { createSocket, type Socket } from 'node:dgram';
import { Encoder } from '@evan/opus';
import nodeDataChannel, { type PeerConnection, type Track } from 'node-datachannel';
import { parse } from 'sdp-transform';
import { g711Encode } from '../../gateway/media/g711.ts';
import { buildRtp, isRtcp } from '../../gateway/media/rtp.ts';
import { midOf, payloadList } from '../../gateway/media/sdp.ts';
import { Tone } from './audio.ts';

export type GenRequest =
  | { t: 'pbxOffers'; ids: string[] }
  | { t: 'answer'; items: { id: string; pbxAnswer: string; clientOffer: string }[] }
  | { t: 'waitConnected'; ids: string[]; timeoutMs: number }
  | { t: 'drop'; ids: string[] }
  | { t: 'snapshot' };

export type GenReply =
  | { t: 'pbxOffers'; offers: [string, string][] }
  | { t: 'answers'; answers: [string, string][] }
  | { t: 'connected'; ok: string[]; failed: string[] }
  | { t: 'dropped' }
  | {
      t: 'snapshot';
      toPbxSent: number;
      toPbxRecv: number;
      toBrowserSent: number;
      toBrowserRecv: number;
    };

interface GenCall {
  pbx: Socket;
  pbxPort: number;
  target: { address: string; port: number } | null;
  pc: PeerConnection | null;
  track: Track | null;
  open: boolean;
  browserCodec: { opus: boolean; pt: number };
  pbxPt: number;
  seqB: number;
  seqP: number;
  tsB: number;
  tsP: number;
  ssrcB: number;
  ssrcP: number;
}

const calls = new Map<string, GenCall>();
const counters = { toPbxSent: 0, toPbxRecv: 0, toBrowserSent: 0, toBrowserRecv: 0 };

/** 50 distinct 20 ms frames of a 1 kHz tone per codec, cycled. */
function frames(codec: 'opus' | 'PCMA'): Uint8Array[] {
  const tone = new Tone();
  const enc =
    codec === 'opus' ? new Encoder({ channels: 1, sample_rate: 8000, application: 'voip' }) : null;
  return Array.from({ length: 50 }, () => {
    const pcm = tone.frame();
    return enc ? Uint8Array.from(enc.encode(pcm)) : g711Encode('PCMA', pcm);
  });
}
const OPUS = frames('opus');
const PCMA = frames('PCMA');

async function pbxOffer(id: string): Promise<string> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const port = sock.address().port;
  const c: GenCall = {
    pbx: sock,
    pbxPort: port,
    target: null,
    pc: null,
    track: null,
    open: false,
    browserCodec: { opus: false, pt: 8 },
    pbxPt: 8,
    seqB: 1,
    seqP: 1,
    tsB: 0,
    tsP: 0,
    ssrcB: (Math.random() * 2 ** 32) >>> 0,
    ssrcP: (Math.random() * 2 ** 32) >>> 0,
  };
  sock.on('message', (msg) => {
    if (!isRtcp(msg)) counters.toPbxRecv++;
  });
  sock.on('error', () => undefined);
  calls.set(id, c);
  return (
    `v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n` +
    `m=audio ${port} RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n` +
    `a=fmtp:101 0-16\r\na=rtcp:${port}\r\na=ptime:20\r\na=sendrecv\r\n`
  );
}

async function answer(id: string, pbxAnswer: string, clientOffer: string): Promise<string> {
  const c = calls.get(id);
  if (!c) throw new Error(`no call ${id}`);
  const ps = parse(pbxAnswer);
  c.target = { address: ps.connection?.ip ?? '127.0.0.1', port: ps.media[0]?.port ?? 0 };
  const m = parse(clientOffer).media[0];
  const first = m?.rtp.find((r) => r.payload === payloadList(m)[0]);
  if (!m || !first) throw new Error('bad client offer');
  c.browserCodec = { opus: first.codec.toLowerCase() === 'opus', pt: first.payload };
  const pc = new nodeDataChannel.PeerConnection('gen', {
    iceServers: [],
    bindAddress: '127.0.0.1',
    disableAutoNegotiation: true,
  });
  const audio = new nodeDataChannel.Audio(midOf(m), 'SendRecv');
  if (c.browserCodec.opus) audio.addOpusCodec(first.payload, 'minptime=10;useinbandfec=1');
  else audio.addAudioCodec(first.payload, first.codec);
  audio.addSSRC(c.ssrcB, 'gen');
  const track = pc.addTrack(audio);
  track.onOpen(() => (c.open = true));
  track.onClosed(() => (c.open = false));
  track.onMessage((msg) => {
    if (!isRtcp(msg)) counters.toBrowserRecv++;
  });
  c.pc = pc;
  c.track = track;
  pc.setRemoteDescription(clientOffer, 'offer');
  pc.setLocalDescription('answer');
  await new Promise<void>((resolve) => {
    if (pc.gatheringState() === 'complete') resolve();
    else pc.onGatheringStateChange((s) => s === 'complete' && resolve());
  });
  return pc.localDescription()?.sdp ?? '';
}

function drop(id: string): void {
  const c = calls.get(id);
  calls.delete(id);
  if (!c) return;
  c.open = false;
  try {
    c.track?.close();
    c.pc?.close();
  } catch {
    // closed already
  }
  c.pbx.close();
}

let tick = 0;
const started = performance.now();

/**
 * A packet each way per call every 20 ms, on the wall clock: when the timer
 * fires late (a busy machine), the missed rounds are sent at once, so the
 * offered load stays 50 packets/s instead of silently shrinking.
 */
function sendDue(): void {
  const due = Math.floor((performance.now() - started) / 20);
  for (let n = 0; tick < due && n < 10; n++) sendRound();
  // More than a second behind: the generator cannot keep up; the shortfall shows in the sent rate.
  if (due - tick > 50) tick = due;
}

function sendRound(): void {
  tick++;
  for (const c of calls.values()) {
    if (!c.open || !c.target || !c.track) continue;
    const i = tick % 50;
    const bPayload = c.browserCodec.opus ? (OPUS[i] as Uint8Array) : (PCMA[i] as Uint8Array);
    const b = buildRtp(
      {
        marker: false,
        payloadType: c.browserCodec.pt,
        seq: c.seqB++ & 0xffff,
        timestamp: c.tsB,
        ssrc: c.ssrcB,
      },
      bPayload,
    );
    c.tsB = (c.tsB + (c.browserCodec.opus ? 960 : 160)) >>> 0;
    try {
      c.track.sendMessageBinary(b);
      counters.toPbxSent++;
    } catch {
      c.open = false;
    }
    const p = buildRtp(
      {
        marker: false,
        payloadType: c.pbxPt,
        seq: c.seqP++ & 0xffff,
        timestamp: c.tsP,
        ssrc: c.ssrcP,
      },
      PCMA[i] as Uint8Array,
    );
    c.tsP = (c.tsP + 160) >>> 0;
    c.pbx.send(p, c.target.port, c.target.address);
    counters.toBrowserSent++;
  }
}

async function waitConnected(ids: string[], timeoutMs: number): Promise<GenReply> {
  const end = Date.now() + timeoutMs;
  const isOpen = (id: string) => calls.get(id)?.open === true;
  while (Date.now() < end && !ids.every(isOpen)) await new Promise((r) => setTimeout(r, 50));
  return { t: 'connected', ok: ids.filter(isOpen), failed: ids.filter((id) => !isOpen(id)) };
}

async function handle(req: GenRequest): Promise<GenReply> {
  switch (req.t) {
    case 'pbxOffers':
      return {
        t: 'pbxOffers',
        offers: await Promise.all(
          req.ids.map(async (id) => [id, await pbxOffer(id)] as [string, string]),
        ),
      };
    case 'answer':
      return {
        t: 'answers',
        answers: await Promise.all(
          // A failed answer comes back empty: the benchmark retries that call.
          req.items.map(
            async (x) =>
              [x.id, await answer(x.id, x.pbxAnswer, x.clientOffer).catch(() => '')] as [
                string,
                string,
              ],
          ),
        ),
      };
    case 'waitConnected':
      return waitConnected(req.ids, req.timeoutMs);
    case 'drop':
      req.ids.forEach(drop);
      return { t: 'dropped' };
    case 'snapshot':
      return { t: 'snapshot', ...counters };
  }
}

export function runGenerator(): void {
  setInterval(sendDue, 20);
  process.on('message', (m) => {
    void handle(m as GenRequest).then((reply) => process.send?.(reply));
  });
  process.on('disconnect', () => process.exit(0));
}
