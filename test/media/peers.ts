/**
 * Test peers for the media engine: a "browser" (a node-datachannel
 * PeerConnection, as a load generator or as Chromium would behave) and a
 * "PBX" (two UDP sockets speaking plain RTP). Both send a tone and keep what
 * they receive, decoded, plus any RFC 4733 events.
 */
import { createSocket, type Socket } from 'node:dgram';
import { Decoder, Encoder } from '@evan/opus';
import nodeDataChannel, { type PeerConnection, type Track } from 'node-datachannel';
import { parse } from 'sdp-transform';
import { g711Decode, g711Encode } from '../../gateway/media/g711.ts';
import { parseTelephoneEvent, type TelephoneEvent } from '../../gateway/media/rfc4733.ts';
import { buildRtp, isRtcp, parseRtp, type RtpPacket } from '../../gateway/media/rtp.ts';
import { midOf, payloadList } from '../../gateway/media/sdp.ts';
import { Tone } from './audio.ts';

export type Codec = 'opus' | 'PCMA' | 'PCMU';

export interface ReceivedEvent extends TelephoneEvent {
  pt: number;
  marker: boolean;
  seq: number;
  timestamp: number;
}

/** What both peers share: decode by payload type, keep audio and events. */
class Receiver {
  readonly audio: Int16Array[] = [];
  readonly events: ReceivedEvent[] = [];
  readonly packets: RtpPacket[] = [];
  private opus: Decoder | null = null;
  ptCodec = new Map<number, Codec>();
  ptEvent = new Set<number>();

  receive(pkt: RtpPacket): void {
    this.packets.push(pkt);
    if (this.ptEvent.has(pkt.payloadType)) {
      const e = parseTelephoneEvent(pkt.payload);
      if (e)
        this.events.push({
          ...e,
          pt: pkt.payloadType,
          marker: pkt.marker,
          seq: pkt.seq,
          timestamp: pkt.timestamp,
        });
      return;
    }
    const codec = this.ptCodec.get(pkt.payloadType);
    if (!codec) return;
    if (codec === 'opus') {
      this.opus ??= new Decoder({ channels: 1, sample_rate: 8000 });
      const bytes = this.opus.decode(pkt.payload);
      this.audio.push(new Int16Array(bytes.slice().buffer));
    } else {
      this.audio.push(g711Decode(codec, pkt.payload));
    }
  }

  /** The last `ms` of received audio. */
  tail(ms: number): Int16Array {
    const frames = Math.ceil(ms / 20);
    const parts = this.audio.slice(-frames);
    const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  reset(): void {
    this.audio.length = 0;
    this.events.length = 0;
    this.packets.length = 0;
  }
}

/** Packetises a tone in `codec` (20 ms) with our own SSRC/seq/timestamp. */
class Sender {
  readonly ssrc = (Math.random() * 2 ** 32) >>> 0;
  seq = 1000;
  ts = 5000;
  private tone = new Tone();
  private opus: Encoder | null = null;

  audioPacket(codec: Codec, pt: number): Buffer {
    const pcm = this.tone.frame();
    let payload: Uint8Array;
    if (codec === 'opus') {
      this.opus ??= new Encoder({ channels: 1, sample_rate: 8000, application: 'voip' });
      payload = this.opus.encode(pcm);
    } else payload = g711Encode(codec, pcm);
    const p = buildRtp(
      {
        marker: false,
        payloadType: pt,
        seq: this.seq++ & 0xffff,
        timestamp: this.ts,
        ssrc: this.ssrc,
      },
      payload,
    );
    this.ts = (this.ts + (codec === 'opus' ? 960 : 160)) >>> 0;
    return p;
  }

  eventPacket(pt: number, e: TelephoneEvent, startTs: number, marker: boolean): Buffer {
    const payload = Buffer.from([
      e.event,
      (e.end ? 0x80 : 0) | e.volume,
      e.duration >> 8,
      e.duration & 0xff,
    ]);
    return buildRtp(
      { marker, payloadType: pt, seq: this.seq++ & 0xffff, timestamp: startTs, ssrc: this.ssrc },
      payload,
    );
  }
}

export interface PeerCodecs {
  codec: Codec;
  pt: number;
  dtmfPt: number | null;
  dtmfRate: number;
}

function codecOf(name: string, rate: number): Codec | null {
  const n = name.toLowerCase();
  if (n === 'opus' && rate === 48000) return 'opus';
  if (n === 'pcma') return 'PCMA';
  if (n === 'pcmu') return 'PCMU';
  return null;
}

/** Reads the payload types of the first audio m-line into a receiver; returns the first codec. */
function learn(sdp: string, rx: Receiver): PeerCodecs {
  const m = parse(sdp).media[0];
  if (!m) throw new Error('no m-line');
  let first: PeerCodecs | null = null;
  const order = payloadList(m);
  const rtp = [...m.rtp].sort((a, b) => order.indexOf(a.payload) - order.indexOf(b.payload));
  const te = rtp.filter((r) => r.codec.toLowerCase() === 'telephone-event');
  for (const r of rtp) {
    const c = codecOf(r.codec, r.rate ?? 8000);
    if (c) {
      rx.ptCodec.set(r.payload, c);
      if (!first) {
        const wanted = te.find((t) => t.rate === (c === 'opus' ? 48000 : 8000)) ?? te[0];
        first = {
          codec: c,
          pt: r.payload,
          dtmfPt: wanted?.payload ?? null,
          dtmfRate: wanted?.rate ?? 8000,
        };
      }
    }
  }
  for (const t of te) rx.ptEvent.add(t.payload);
  if (!first) throw new Error('no known codec in SDP');
  return first;
}

/** A browser stand-in on node-datachannel. */
export class BrowserPeer {
  readonly rx = new Receiver();
  readonly tx = new Sender();
  private pc: PeerConnection | null = null;
  private track: Track | null = null;
  private sendCodec: PeerCodecs | null = null;
  open = false;

  private setup(
    mid: string,
    formats: { pt: number; name: string; rate: number }[],
  ): PeerConnection {
    const pc = new nodeDataChannel.PeerConnection('browser', {
      iceServers: [],
      bindAddress: '127.0.0.1',
      disableAutoNegotiation: true,
    });
    const audio = new nodeDataChannel.Audio(mid, 'SendRecv');
    for (const f of formats) {
      if (f.name === 'opus') audio.addOpusCodec(f.pt, 'minptime=10;useinbandfec=1');
      else
        audio.addAudioCodec(
          f.pt,
          f.name === 'telephone-event' ? `telephone-event/${f.rate}` : f.name,
        );
    }
    audio.addSSRC(this.tx.ssrc, 'browser');
    const track = pc.addTrack(audio);
    track.onOpen(() => (this.open = true));
    track.onClosed(() => (this.open = false));
    track.onMessage((msg) => {
      if (isRtcp(msg)) return;
      const p = parseRtp(msg);
      if (p) this.rx.receive(p);
    });
    this.pc = pc;
    this.track = track;
    return pc;
  }

  /** Like Chromium: offers opus, PCMA, PCMU, telephone-event/48000 and /8000. */
  async offer(codecs: Codec[] = ['opus', 'PCMA', 'PCMU']): Promise<string> {
    const pts: Record<Codec, number> = { opus: 111, PCMA: 8, PCMU: 0 };
    const formats: { pt: number; name: string; rate: number }[] = codecs.map((c) => ({
      pt: pts[c],
      name: c,
      rate: c === 'opus' ? 48000 : 8000,
    }));
    formats.push(
      { pt: 110, name: 'telephone-event', rate: 48000 },
      { pt: 126, name: 'telephone-event', rate: 8000 },
    );
    const pc = this.setup('0', formats);
    pc.setLocalDescription('offer');
    return gathered(pc);
  }

  setAnswer(sdp: string): void {
    this.sendCodec = learn(sdp, this.rx);
    this.pc?.setRemoteDescription(sdp, 'answer');
  }

  /** Answers the engine's offer with its first codec (what a browser would send). */
  async answer(offer: string): Promise<string> {
    const first = learn(offer, this.rx);
    this.sendCodec = first;
    const mid = midOf(parse(offer).media[0] ?? {});
    const formats: { pt: number; name: string; rate: number }[] = [
      { pt: first.pt, name: first.codec, rate: first.codec === 'opus' ? 48000 : 8000 },
    ];
    if (first.dtmfPt !== null)
      formats.push({ pt: first.dtmfPt, name: 'telephone-event', rate: first.dtmfRate });
    const pc = this.setup(mid, formats);
    pc.setRemoteDescription(offer, 'offer');
    pc.setLocalDescription('answer');
    return gathered(pc);
  }

  /** A re-answer/re-offer (hold) reuses the transport: only the direction line changes. */
  describe(direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive'): string {
    const d = this.pc?.localDescription();
    if (!d) throw new Error('no local description');
    return d.sdp.replace(/a=(sendrecv|sendonly|recvonly|inactive)/, `a=${direction}`);
  }

  get codec(): PeerCodecs {
    if (!this.sendCodec) throw new Error('not negotiated');
    return this.sendCodec;
  }

  send(packet: Buffer): void {
    if (!this.open || !this.track) return;
    try {
      this.track.sendMessageBinary(packet);
    } catch {
      this.open = false;
    }
  }

  sendAudio(): void {
    this.send(this.tx.audioPacket(this.codec.codec, this.codec.pt));
  }

  close(): void {
    try {
      this.track?.close();
      this.pc?.close();
    } catch {
      // closed already
    }
  }
}

/** A PBX stand-in: plain RTP on a UDP socket pair. */
export class PbxPeer {
  readonly rx = new Receiver();
  readonly tx = new Sender();
  private readonly rtp: Socket = createSocket('udp4');
  private readonly rtcp: Socket = createSocket('udp4');
  private target: { address: string; port: number } | null = null;
  private sendCodec: PeerCodecs | null = null;
  rtcpPackets = 0;
  port = 0;

  async bind(): Promise<void> {
    await new Promise<void>((r) => this.rtp.bind(0, '127.0.0.1', r));
    this.port = this.rtp.address().port;
    await new Promise<void>((r) => this.rtcp.bind(0, '127.0.0.1', r));
    this.rtp.on('message', (msg) => {
      const p = parseRtp(msg);
      if (p) this.rx.receive(p);
    });
    this.rtcp.on('message', () => this.rtcpPackets++);
  }

  /** An offer like a PBX's: PCMA, PCMU, telephone-event/8000. */
  offer(direction = 'sendrecv', codecs: ('PCMA' | 'PCMU')[] = ['PCMA', 'PCMU']): string {
    const pts = codecs.map((c) => (c === 'PCMA' ? 8 : 0));
    const maps = codecs.map((c, i) => `a=rtpmap:${pts[i]} ${c}/8000\r\n`).join('');
    return (
      `v=0\r\no=pbx 1 ${++this.version} IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n` +
      `m=audio ${this.port} RTP/AVP ${pts.join(' ')} 101\r\n${maps}a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n` +
      `a=rtcp:${this.rtcp.address().port}\r\na=ptime:20\r\na=${direction}\r\n`
    );
  }
  private version = 0;

  /** Answers the engine's offer with its first codec. */
  answer(offer: string, direction = 'sendrecv'): string {
    const first = learn(offer, this.rx);
    this.learnTarget(offer);
    this.sendCodec = first;
    return (
      `v=0\r\no=pbx 2 ${++this.version} IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n` +
      `m=audio ${this.port} RTP/AVP ${first.pt} ${first.dtmfPt ?? ''}\r\na=rtpmap:${first.pt} ${first.codec}/8000\r\n` +
      (first.dtmfPt === null
        ? ''
        : `a=rtpmap:${first.dtmfPt} telephone-event/8000\r\na=fmtp:${first.dtmfPt} 0-16\r\n`) +
      `a=rtcp:${this.rtcp.address().port}\r\na=${direction}\r\n`
    );
  }

  /** Takes the engine's answer to our offer. */
  setAnswer(answer: string): void {
    this.sendCodec = learn(answer, this.rx);
    this.learnTarget(answer);
  }

  private learnTarget(sdp: string): void {
    const s = parse(sdp);
    const m = s.media[0];
    this.target = {
      address: m?.connection?.ip ?? s.connection?.ip ?? '127.0.0.1',
      port: m?.port ?? 0,
    };
  }

  get codec(): PeerCodecs {
    if (!this.sendCodec) throw new Error('not negotiated');
    return this.sendCodec;
  }

  send(packet: Buffer): void {
    if (this.target) this.rtp.send(packet, this.target.port, this.target.address);
  }

  sendAudio(): void {
    this.send(this.tx.audioPacket(this.codec.codec, this.codec.pt));
  }

  close(): void {
    this.rtp.close();
    this.rtcp.close();
  }
}

function gathered(pc: PeerConnection): Promise<string> {
  return new Promise((resolve) => {
    const done = () => resolve(pc.localDescription()?.sdp ?? '');
    if (pc.gatheringState() === 'complete') done();
    else pc.onGatheringStateChange((s) => s === 'complete' && done());
  });
}

/** Sends an RFC 4733 event from a peer: start, updates every 20 ms, three end packets. */
export async function sendEvent(
  peer: BrowserPeer | PbxPeer,
  event: number,
  ms: number,
): Promise<void> {
  const c = peer.codec;
  if (c.dtmfPt === null) throw new Error('no telephone-event');
  const pt = c.dtmfPt;
  const unit = c.dtmfRate / 1000;
  const startTs = peer.tx.ts;
  for (let t = 0; t < ms; t += 20) {
    peer.send(
      peer.tx.eventPacket(
        pt,
        { event, end: false, volume: 10, duration: (t + 20) * unit },
        startTs,
        t === 0,
      ),
    );
    await sleep(20);
  }
  for (let i = 0; i < 3; i++)
    peer.send(
      peer.tx.eventPacket(
        pt,
        { event, end: true, volume: 10, duration: ms * unit },
        startTs,
        false,
      ),
    );
  peer.tx.ts = (startTs + ms * unit * (c.codec === 'opus' ? 48000 / c.dtmfRate : 1)) >>> 0;
}

/**
 * node-datachannel keeps its threads (and so the process) alive until
 * cleanup(): call it once every peer of the process is closed.
 */
export function cleanupPeers(): void {
  nodeDataChannel.cleanup();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
