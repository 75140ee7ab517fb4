/**
 * The browser leg: WebRTC audio through node-datachannel (ICE, DTLS-SRTP;
 * RFC 8834/8866). libdatachannel negotiates the transport once; later
 * offers and answers (hold, resume) change only direction, which we enforce
 * ourselves, so they are rewrites of the last description we sent with a
 * new o= version (RFC 3264 §8). An ICE restart is not supported.
 *
 * Measured facts this code depends on: the answer must carry a=ssrc or
 * Chromium drops every packet (so addSSRC before setRemoteDescription), Track
 * objects must stay referenced, sendMessageBinary throws on a closed track.
 */
import nodeDataChannel, { type PeerConnection, type Track } from 'node-datachannel';
import { LinegateError } from '#shared/errors.ts';
import { codecFormat, iceIdentity, offerFormats, rewriteLocalSdp } from './client-sdp.ts';
import { LegCore } from './leg.ts';
import { isRtcp, parseRtp } from './rtp.ts';
import {
  answerDirection,
  clockRate,
  midOf,
  findDtmf,
  formatCodec,
  isDtmfFormat,
  parseAudio,
  pickCodec,
  telephoneEvent,
  type Format,
} from './sdp.ts';
import type {
  ClientAnswerOptions,
  ClientCodec,
  ClientOfferOptions,
  ClientState,
  MediaDirection,
} from './types.ts';

export interface ClientLegConfig {
  publicAddress: string;
  bindAddress: string | undefined;
  iceServers: readonly string[];
  codecs: readonly ClientCodec[];
  /** Offer and accept telephone-event (CallMediaOptions.clientDtmf). */
  dtmf: boolean;
}

const GATHER_TIMEOUT_MS = 5000;

interface Sent {
  sdp: string; // libdatachannel's local description (transport source)
  formats: Format[];
  setup: 'active' | 'passive' | 'actpass' | undefined;
}

export class ClientLeg extends LegCore {
  private pc: PeerConnection | null = null;
  private track: Track | null = null;
  private open = false;
  private state: ClientState = 'new';
  private local: Sent | null = null;
  private remoteIce: string | null = null;
  private pendingOffer: { formats: Format[]; direction: MediaDirection } | null = null;
  private version = 0;
  private readonly sessionId = Math.floor(Math.random() * 2 ** 31);
  private closed = false;

  constructor(
    callId: string,
    private readonly cfg: ClientLegConfig,
    private readonly now: () => number,
    private readonly onState: (s: ClientState) => void,
  ) {
    super('client', callId);
  }

  get ready(): boolean {
    return this.open && !this.closed;
  }
  get remoteAddress(): string | null {
    const pair = this.pc?.getSelectedCandidatePair();
    return pair ? `${pair.remote.address}:${pair.remote.port}` : null;
  }
  get connectionState(): ClientState {
    return this.state;
  }

  /** Offer for the browser: preferred codec first (Chromium may send the first offered codec). */
  async offer(opts: ClientOfferOptions = {}): Promise<string> {
    const direction = opts.direction ?? 'sendrecv';
    if (this.local) {
      // Re-offer (hold/resume) or the same offer again (e.g. for another forked device):
      // same transport, our established DTLS role.
      const formats = this.neg ? this.currentFormats() : this.local.formats;
      this.pendingOffer = { formats, direction };
      return this.render(formats, direction, this.local.setup);
    }
    const formats = offerFormats(opts.codecs ?? this.cfg.codecs, this.cfg.dtmf);
    const pc = this.createPeer('0', formats);
    pc.setLocalDescription('offer');
    const sdp = await this.gathered(pc);
    // DEVIATION from RFC 5763 §5 ("the offerer MUST use actpass"): we take
    // the DTLS client role ourselves. With actpass Chromium answers active and
    // sends its ClientHello the moment ICE connects, which libdatachannel can
    // see inside setRemoteDescription before the remote fingerprint is stored:
    // the handshake then fails "certificate verify failed" and the call is
    // lost (seen in about 1 of 15 forked calls). As DTLS client we only start
    // once the answer, fingerprint included, is in place. Browsers answer
    // passive (RFC 4145 §4.1 allows an active offer).
    this.local = { sdp, formats, setup: 'active' };
    this.pendingOffer = { formats, direction };
    return this.render(formats, direction, 'active');
  }

  setAnswer(sdp: string): void {
    const pending = this.pendingOffer;
    if (!pending || !this.pc || !this.local)
      throw new LinegateError('internal', 'client answer without a client offer');
    const a = parseAudio(sdp);
    const first = a.formats.find((f) => {
      const c = formatCodec(f);
      return c !== null && pending.formats.some((o) => formatCodec(o) === c);
    });
    if (!first)
      throw new LinegateError('internal', 'browser answer has none of the offered codecs');
    if (this.remoteIce === null) {
      try {
        this.pc.setRemoteDescription(sdp, 'answer');
      } catch (cause) {
        throw new LinegateError(
          'internal',
          `browser answer rejected by the WebRTC stack: ${String(cause)}`,
          { cause },
        );
      }
      this.remoteIce = iceIdentity(sdp);
      // We offered actpass; the browser's choice fixes our role (RFC 8842 §5.3).
      this.local.setup = a.media.setup === 'passive' ? 'active' : 'passive';
    } else if (iceIdentity(sdp) !== this.remoteIce) {
      throw new LinegateError('internal', 'ICE restart is not supported on the client leg');
    }
    this.pendingOffer = null;
    this.negotiate(a.formats, first, pending.direction, a.direction);
  }

  /** Answer to the browser's offer with our preferred codec among those offered. */
  async answer(offerSdp: string, opts: ClientAnswerOptions = {}): Promise<string> {
    const a = parseAudio(offerSdp);
    const allowed = opts.direction ?? 'sendrecv';
    const direction = answerDirection(a.direction, allowed);
    if (this.local && this.remoteIce) {
      if (iceIdentity(offerSdp) !== this.remoteIce)
        throw new LinegateError('internal', 'ICE restart is not supported on the client leg');
      const keep = this.neg ? a.formats.find((f) => formatCodec(f) === this.neg?.codec) : undefined;
      const picked = keep
        ? { codec: this.neg?.codec as ClientCodec, format: keep }
        : this.pick(a.formats, opts.codecs);
      const formats = this.answerFormats(a.formats, picked.codec, picked.format.pt);
      this.negotiate(a.formats, picked.format, direction, a.direction);
      return this.render(formats, direction, this.local.setup);
    }
    const picked = this.pick(a.formats, opts.codecs);
    const formats = this.answerFormats(a.formats, picked.codec, picked.format.pt);
    const pc = this.createPeer(midOf(a.media), formats);
    try {
      pc.setRemoteDescription(offerSdp, 'offer');
    } catch (cause) {
      throw new LinegateError(
        'internal',
        `browser offer rejected by the WebRTC stack: ${String(cause)}`,
        { cause },
      );
    }
    pc.setLocalDescription('answer');
    const sdp = await this.gathered(pc);
    const setup = parseAudio(sdp).media.setup === 'passive' ? 'passive' : 'active';
    this.local = { sdp, formats, setup };
    this.remoteIce = iceIdentity(offerSdp);
    this.negotiate(a.formats, picked.format, direction, a.direction);
    return this.render(formats, direction, undefined);
  }

  private pick(
    formats: readonly Format[],
    codecs: readonly ClientCodec[] | undefined,
  ): { codec: ClientCodec; format: Format } {
    const picked = pickCodec(formats, codecs ?? this.cfg.codecs);
    if (!picked)
      throw new LinegateError('internal', 'browser offer has none of the configured client codecs');
    return picked;
  }

  /** The chosen codec with the browser's payload type, and its telephone-event (48000 with Opus). */
  private answerFormats(offered: readonly Format[], codec: ClientCodec, pt: number): Format[] {
    const te = this.cfg.dtmf
      ? (findDtmf(offered, clockRate(codec)) ?? findDtmf(offered, 8000))
      : undefined;
    return [codecFormat(codec, pt), ...(te ? [telephoneEvent(te.pt, te.rate)] : [])];
  }

  private currentFormats(): Format[] {
    const n = this.neg;
    if (!n) return [];
    return [
      codecFormat(n.codec, n.pt),
      ...(n.dtmf ? [telephoneEvent(n.dtmf.pt, n.dtmf.clockRate)] : []),
    ];
  }

  private negotiate(
    remote: readonly Format[],
    send: Format,
    local: MediaDirection,
    remoteDir: MediaDirection,
  ): void {
    const codec = formatCodec(send) as ClientCodec;
    const recv = new Map<number, ClientCodec>();
    for (const f of remote) {
      const c = formatCodec(f);
      if (c) recv.set(f.pt, c);
    }
    const te = this.cfg.dtmf
      ? (findDtmf(remote, clockRate(codec)) ?? findDtmf(remote, 8000))
      : undefined;
    this.neg = {
      codec,
      pt: send.pt,
      clockRate: clockRate(codec),
      recv,
      dtmf: te ? { pt: te.pt, clockRate: te.rate } : null,
      dtmfRecv: new Map(
        remote.filter((f) => this.cfg.dtmf && isDtmfFormat(f)).map((f) => [f.pt, f.rate] as const),
      ),
      local,
      remote: remoteDir,
    };
  }

  private render(formats: Format[], direction: MediaDirection, setup: Sent['setup']): string {
    if (!this.local) throw new LinegateError('internal', 'no local description');
    this.version++;
    return rewriteLocalSdp(this.local.sdp, {
      formats,
      direction,
      publicAddress: this.cfg.publicAddress,
      ...(setup === undefined ? {} : { setup }),
      sessionId: this.sessionId,
      version: this.version,
    });
  }

  private createPeer(mid: string, formats: readonly Format[]): PeerConnection {
    if (this.pc) throw new LinegateError('internal', 'client leg already negotiated');
    const pc = new nodeDataChannel.PeerConnection(this.cname, {
      iceServers: [...this.cfg.iceServers],
      disableAutoNegotiation: true,
      ...(this.cfg.bindAddress ? { bindAddress: this.cfg.bindAddress } : {}),
    });
    this.pc = pc;
    const audio = new nodeDataChannel.Audio(mid, 'SendRecv');
    for (const f of formats) {
      if (isDtmfFormat(f)) audio.addAudioCodec(f.pt, `telephone-event/${f.rate}`);
      else if (formatCodec(f) === 'opus') audio.addOpusCodec(f.pt, f.fmtp ?? '');
      else audio.addAudioCodec(f.pt, f.name);
    }
    audio.addSSRC(this.out.ssrc, this.cname, 'linegate', `linegate-${this.name}`);
    const track = pc.addTrack(audio);
    this.track = track; // keep referenced: an unreferenced Track is collected and goes silent
    track.onOpen(() => {
      this.open = true;
    });
    track.onClosed(() => {
      this.open = false;
    });
    track.onMessage((msg) => this.onMessage(msg));
    pc.onStateChange((s) => this.setState(s));
    return pc;
  }

  private setState(s: string): void {
    const known: readonly ClientState[] = [
      'new',
      'connecting',
      'connected',
      'disconnected',
      'failed',
      'closed',
    ];
    const state = known.find((k) => k === s);
    if (!state || state === this.state || this.closed) return;
    this.state = state;
    this.onState(state);
  }

  private gathered(pc: PeerConnection): Promise<string> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        const d = pc.localDescription();
        if (d) resolve(d.sdp);
        else
          reject(
            new LinegateError(
              'internal',
              'client leg has no local description after ICE gathering',
            ),
          );
      };
      const timer = setTimeout(done, GATHER_TIMEOUT_MS);
      if (pc.gatheringState() === 'complete') done();
      else pc.onGatheringStateChange((s) => s === 'complete' && done());
    });
  }

  private onMessage(msg: Buffer): void {
    if (this.closed) return;
    if (isRtcp(msg)) {
      this.receiveRtcp(msg, this.now(), Date.now());
      return;
    }
    const pkt = parseRtp(msg);
    if (pkt) this.receiveRtp(msg, pkt, this.now());
  }

  protected transmit(packet: Buffer): boolean {
    if (!this.open || !this.track) return false;
    try {
      return this.track.sendMessageBinary(packet);
    } catch {
      this.open = false; // closed under us: sendMessageBinary throws synchronously
      return false;
    }
  }

  protected transmitRtcp(packet: Buffer): void {
    this.transmit(packet);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.open = false;
    try {
      this.track?.close();
      this.pc?.close();
    } catch {
      // already closed by the peer
    }
  }
}
