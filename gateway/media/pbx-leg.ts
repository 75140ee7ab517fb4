/**
 * The PBX leg: plain RTP/AVP over UDP (RFC 3550, RFC 3551) on an even port
 * with RTCP on the odd port above it. Media goes where the PBX actually
 * sends from (symmetric RTP, RFC 4961): the SDP address is used only until
 * the first packet arrives, because PBXs behind NAT or with several
 * interfaces often announce an address they do not send from.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { LinegateError } from '#shared/errors.ts';
import { LegCore, type Negotiated } from './leg.ts';
import { isRtcp, parseRtp } from './rtp.ts';
import {
  answerDirection,
  buildPlainSdp,
  DEFAULT_PT,
  findDtmf,
  formatCodec,
  parseAudio,
  pickCodec,
  remoteTransport,
  rtpmapName,
  telephoneEvent,
  type AudioSection,
  type Format,
  type RemoteTransport,
} from './sdp.ts';
import { SdpVersion } from './sdp-version.ts';
import type { AnswerOptions, ClientCodec, OfferOptions, PbxCodec } from './types.ts';

interface Peer {
  address: string;
  port: number;
}

/** A latched source stays ours while it keeps sending; another may take over after this silence. */
const RELATCH_AFTER_MS = 500;

export class PbxLeg extends LegCore {
  private readonly rtp: Socket;
  private readonly rtcp: Socket;
  private sdpTarget: RemoteTransport | null = null;
  private latched: Peer | null = null;
  private latchedRtcp: Peer | null = null;
  private lastFromLatched = 0;
  private offered: { formats: Format[]; direction: OfferOptions['direction'] } | null = null;
  private readonly version = new SdpVersion();
  private closed = false;

  constructor(
    callId: string,
    readonly port: number,
    private readonly publicAddress: string,
    private readonly bindAddress: string,
    private readonly codecs: readonly PbxCodec[],
    private readonly now: () => number,
  ) {
    super('pbx', callId);
    const type = bindAddress.includes(':') ? 'udp6' : 'udp4';
    this.rtp = createSocket({ type, reuseAddr: false });
    this.rtcp = createSocket({ type, reuseAddr: false });
  }

  /** Binds both ports; rejects with details.reason 'port-in-use' if another program holds one. */
  async bind(): Promise<void> {
    await Promise.all([
      bindSocket(this.rtp, this.port, this.bindAddress),
      bindSocket(this.rtcp, this.port + 1, this.bindAddress),
    ]);
    this.rtp.on('message', (msg, rinfo) => this.onRtpDatagram(msg, rinfo));
    this.rtcp.on('message', (msg, rinfo) => this.onRtcpDatagram(msg, rinfo));
  }

  get ready(): boolean {
    return !this.closed && (this.latched !== null || this.sdpTarget !== null);
  }

  get remoteAddress(): string | null {
    const p = this.latched ?? this.sdpTarget;
    return p ? `${p.address}:${p.port}` : null;
  }

  /** RFC 3264 §5: offer our codecs in preference order plus telephone-event/8000. */
  offer(opts: OfferOptions = {}): string {
    const formats: Format[] = this.codecs.map((c) => ({ pt: this.ptFor(c), ...rtpmapName(c) }));
    formats.push(telephoneEvent(this.neg?.dtmf?.pt ?? DEFAULT_PT.te8000, 8000));
    const direction = opts.direction ?? 'sendrecv';
    this.offered = { formats, direction };
    return this.sdp(formats, direction);
  }

  private ptFor(codec: PbxCodec): number {
    for (const [pt, c] of this.neg?.recv ?? []) if (c === codec) return pt;
    return DEFAULT_PT[codec];
  }

  /** RFC 3264 §5.2/§6: the answer fixes what we send (its first codec we offered) and where. */
  setAnswer(sdp: string): void {
    if (!this.offered) throw new LinegateError('internal', 'PBX answer without a PBX offer');
    const a = parseAudio(sdp);
    const offered = this.offered.formats;
    const usable = a.formats.filter((f) => {
      const c = formatCodec(f);
      return c !== null && offered.some((o) => formatCodec(o) === c);
    });
    const first = usable[0];
    if (!first)
      throw new LinegateError('internal', 'PBX answer has none of the offered codecs', {
        details: { sdp },
      });
    this.apply(a, first, usable, this.offered.direction ?? 'sendrecv');
    this.offered = null;
  }

  /** Answers a PBX offer with our preferred G.711 law among those offered (RFC 3264 §6.1). */
  answer(sdp: string, opts: AnswerOptions = {}): string {
    const a = parseAudio(sdp);
    const picked = pickCodec(a.formats, this.codecs);
    if (!picked)
      throw new LinegateError('internal', 'PBX offer has neither PCMA nor PCMU', {
        details: { sdp },
      });
    const offeredDirection =
      a.address === '0.0.0.0' && a.direction === 'sendrecv' ? 'sendonly' : a.direction;
    const local = answerDirection(offeredDirection, opts.direction ?? 'sendrecv');
    const dtmf = findDtmf(a.formats, 8000);
    this.apply(a, picked.format, [picked.format], local);
    return this.sdp([picked.format, ...(dtmf ? [telephoneEvent(dtmf.pt, 8000)] : [])], local);
  }

  private apply(a: AudioSection, send: Format, recv: Format[], local: Negotiated['local']): void {
    const codec = formatCodec(send) as ClientCodec;
    const dtmf = findDtmf(a.formats, 8000);
    this.neg = {
      codec,
      pt: send.pt,
      clockRate: 8000,
      recv: new Map(
        recv.flatMap((f) =>
          formatCodec(f) ? [[f.pt, formatCodec(f) as ClientCodec] as const] : [],
        ),
      ),
      dtmf: dtmf ? { pt: dtmf.pt, clockRate: 8000 } : null,
      dtmfRecv: new Map(dtmf ? [[dtmf.pt, 8000]] : []),
      local,
      remote: a.address === '0.0.0.0' && a.direction === 'sendrecv' ? 'sendonly' : a.direction,
    };
    const target = remoteTransport(a);
    if (target?.address !== this.sdpTarget?.address || target?.port !== this.sdpTarget?.port) {
      // A new address in a re-offer (e.g. a music-on-hold server): latch anew.
      this.latched = null;
      this.latchedRtcp = null;
    }
    this.sdpTarget = target;
  }

  private sdp(formats: Format[], direction: Negotiated['local']): string {
    return this.version.stamp((sessionId, version) =>
      buildPlainSdp({
        sessionId,
        version,
        address: this.publicAddress,
        port: this.port,
        formats,
        direction,
      }),
    );
  }

  private onRtpDatagram(msg: Buffer, rinfo: RemoteInfo): void {
    if (isRtcp(msg)) return; // RTCP on the RTP port is not negotiated here
    const pkt = parseRtp(msg);
    if (!pkt) return;
    const now = this.now();
    if (
      !this.latched ||
      (this.latched.address === rinfo.address && this.latched.port === rinfo.port)
    ) {
      this.lastFromLatched = now;
    } else if (now - this.lastFromLatched < RELATCH_AFTER_MS) {
      return; // a second source while the latched one is active: not ours
    }
    this.latched = { address: rinfo.address, port: rinfo.port };
    this.lastFromLatched = now;
    this.receiveRtp(msg, pkt, now);
  }

  private onRtcpDatagram(msg: Buffer, rinfo: RemoteInfo): void {
    this.latchedRtcp = { address: rinfo.address, port: rinfo.port };
    this.receiveRtcp(msg, this.now(), Date.now());
  }

  protected transmit(packet: Buffer): boolean {
    const to = this.latched ?? this.sdpTarget;
    if (!to || this.closed) return false;
    this.rtp.send(packet, to.port, to.address);
    return true;
  }

  protected transmitRtcp(packet: Buffer): void {
    const to =
      this.latchedRtcp ??
      (this.sdpTarget
        ? { address: this.sdpTarget.rtcpAddress, port: this.sdpTarget.rtcpPort }
        : null);
    if (!to || this.closed) return;
    this.rtcp.send(packet, to.port, to.address);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [this.rtp, this.rtcp]) {
      try {
        s.close();
      } catch {
        // not bound yet or already closed
      }
    }
  }
}

function bindSocket(socket: Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        new LinegateError('internal', `cannot bind RTP port ${address}:${port}: ${err.message}`, {
          cause: err,
          details: { reason: err.code === 'EADDRINUSE' ? 'port-in-use' : 'bind-failed', port },
        }),
      );
    };
    socket.once('error', onError);
    socket.bind(port, address, () => {
      socket.off('error', onError);
      socket.on('error', () => undefined); // ICMP errors on send (peer gone) must not crash the worker
      resolve();
    });
  });
}
