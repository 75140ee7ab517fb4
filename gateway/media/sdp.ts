/**
 * SDP for both legs, read and written with sdp-transform: the offer/answer
 * rules of RFC 3264 (codec choice, payload types, direction), G.711 for the
 * PBX (RFC 3551), Opus for the browser (RFC 7587 §7: opus/48000/2 with
 * narrowband fmtp), and RFC 4733 telephone-event at each codec's clock.
 */
import { parse, write, type MediaDescription, type SessionDescription } from 'sdp-transform';
import { LinegateError } from '#shared/errors.ts';
import type { ClientCodec, MediaDirection } from './types.ts';

export interface Format {
  pt: number;
  name: string; // as written (case-insensitive per RFC 4855 §3)
  rate: number;
  channels?: number;
  fmtp?: string;
}

export interface AudioSection {
  session: SessionDescription;
  media: MediaDescription;
  formats: Format[];
  direction: MediaDirection;
  /** Connection address (media level, else session level); "0.0.0.0" is RFC 2543 hold. */
  address: string | null;
}

export const OPUS_FMTP =
  'minptime=10;useinbandfec=1;maxplaybackrate=8000;sprop-maxcapturerate=8000';
export const DTMF_FMTP = '0-16';

/** Static and default dynamic payload types. */
export const DEFAULT_PT = { PCMU: 0, PCMA: 8, opus: 111, te8000: 101, te48000: 110 } as const;

export function clockRate(codec: ClientCodec): number {
  return codec === 'opus' ? 48000 : 8000;
}

function fail(message: string, details: Record<string, unknown> = {}): never {
  throw new LinegateError('internal', message, { details });
}

/** Parses the first audio m-line of an SDP, or throws a LinegateError. */
export function parseAudio(sdp: string): AudioSection {
  let session: SessionDescription;
  try {
    session = parse(sdp);
  } catch (cause) {
    throw new LinegateError('internal', 'unparsable SDP', { cause });
  }
  const media = session.media.find((m) => m.type === 'audio');
  if (!media) fail('SDP has no audio m-line');
  const formats: Format[] = media.rtp.map((r) => ({
    pt: r.payload,
    name: r.codec,
    rate: r.rate ?? 8000,
    ...(r.encoding === undefined ? {} : { channels: r.encoding }),
    ...fmtpOf(media, r.payload),
  }));
  const order = payloadList(media);
  // Static payload types may come without rtpmap (RFC 3551 §6).
  for (const pt of order) {
    if (formats.some((f) => f.pt === pt)) continue;
    if (pt === 0) formats.push({ pt, name: 'PCMU', rate: 8000 });
    if (pt === 8) formats.push({ pt, name: 'PCMA', rate: 8000 });
  }
  formats.sort((a, b) => order.indexOf(a.pt) - order.indexOf(b.pt));
  const direction = media.direction ?? session.direction ?? 'sendrecv';
  const address = media.connection?.ip ?? session.connection?.ip ?? null;
  return { session, media, formats, direction, address };
}

function fmtpOf(media: MediaDescription, pt: number): { fmtp?: string } {
  const f = media.fmtp.find((x) => x.payload === pt);
  return f ? { fmtp: f.config } : {};
}

export function formatCodec(f: Format): ClientCodec | null {
  const n = f.name.toLowerCase();
  if (n === 'opus' && f.rate === 48000) return 'opus';
  if (n === 'pcma' && f.rate === 8000) return 'PCMA';
  if (n === 'pcmu' && f.rate === 8000) return 'PCMU';
  return null;
}

/** The first codec of `prefs` among `formats` (RFC 3264 §6.1: the answerer picks). */
export function pickCodec<C extends ClientCodec>(
  formats: readonly Format[],
  prefs: readonly C[],
): { codec: C; format: Format } | null {
  for (const codec of prefs) {
    const format = formats.find((f) => formatCodec(f) === codec);
    if (format) return { codec, format };
  }
  return null;
}

/** The telephone-event format at `rate`, if offered (RFC 4733 §7.1.1). */
export function findDtmf(formats: readonly Format[], rate: number): Format | null {
  return formats.find((f) => f.name.toLowerCase() === 'telephone-event' && f.rate === rate) ?? null;
}

const SENDS: Readonly<Record<MediaDirection, boolean>> = {
  sendrecv: true,
  sendonly: true,
  recvonly: false,
  inactive: false,
};
const RECVS: Readonly<Record<MediaDirection, boolean>> = {
  sendrecv: true,
  sendonly: false,
  recvonly: true,
  inactive: false,
};

export function canSend(d: MediaDirection): boolean {
  return SENDS[d];
}
export function canReceive(d: MediaDirection): boolean {
  return RECVS[d];
}

export function directionOf(send: boolean, recv: boolean): MediaDirection {
  if (send) return recv ? 'sendrecv' : 'sendonly';
  return recv ? 'recvonly' : 'inactive';
}

/** RFC 3264 §6.1: the answer's direction mirrors the offer's, limited by what we allow. */
export function answerDirection(offered: MediaDirection, allowed: MediaDirection): MediaDirection {
  return directionOf(
    canReceive(offered) && canSend(allowed),
    canSend(offered) && canReceive(allowed),
  );
}

export function rtpmapName(codec: ClientCodec): { name: string; rate: number; channels?: number } {
  switch (codec) {
    case 'opus':
      return { name: 'opus', rate: 48000, channels: 2 }; // RFC 7587 §7: always /48000/2
    case 'PCMA':
      return { name: 'PCMA', rate: 8000 };
    case 'PCMU':
      return { name: 'PCMU', rate: 8000 };
  }
}

/** Replaces an m-line's formats with `formats`, in this order. */
export function setFormats(media: MediaDescription, formats: readonly Format[]): void {
  media.payloads = formats.map((f) => f.pt).join(' ');
  media.rtp = formats.map((f) => ({
    payload: f.pt,
    codec: f.name,
    rate: f.rate,
    ...(f.channels === undefined ? {} : { encoding: f.channels }),
  }));
  media.fmtp = formats.flatMap((f) =>
    f.fmtp === undefined ? [] : [{ payload: f.pt, config: f.fmtp }],
  );
}

export interface PlainSdpParams {
  sessionId: number;
  version: number;
  address: string;
  port: number;
  formats: readonly Format[];
  direction: MediaDirection;
}

/** An RTP/AVP description for the PBX leg (RFC 3264 §5, RFC 3551, ptime 20). */
export function buildPlainSdp(p: PlainSdpParams): string {
  const ip = p.address.includes(':') ? 6 : 4;
  const media = {
    type: 'audio',
    port: p.port,
    protocol: 'RTP/AVP',
    rtp: [],
    fmtp: [],
    ptime: 20,
    direction: p.direction,
    rtcp: { port: p.port + 1 }, // RFC 3605: stated although it is the default
  } as MediaDescription;
  setFormats(media, p.formats);
  const session: SessionDescription = {
    version: 0,
    origin: {
      username: 'linegate',
      sessionId: p.sessionId,
      sessionVersion: p.version,
      netType: 'IN',
      ipVer: ip,
      address: p.address,
    },
    name: 'linegate',
    timing: { start: 0, stop: 0 },
    connection: { version: ip, ip: p.address },
    media: [media],
  };
  return write(session);
}

/** Where the PBX wants RTP and RTCP (RFC 3605 a=rtcp, else port + 1). */
export interface RemoteTransport {
  address: string;
  port: number;
  rtcpAddress: string;
  rtcpPort: number;
}

export function remoteTransport(a: AudioSection): RemoteTransport | null {
  if (!a.address || a.address === '0.0.0.0' || a.media.port === 0) return null;
  const rtcpPort = a.media.rtcpMux ? a.media.port : (a.media.rtcp?.port ?? a.media.port + 1);
  return {
    address: a.address,
    port: a.media.port,
    rtcpAddress: a.media.rtcp?.address ?? a.address,
    rtcpPort,
  };
}

export function telephoneEvent(pt: number, rate: number): Format {
  return { pt, name: 'telephone-event', rate, fmtp: DTMF_FMTP };
}

/** The m-line's payload types in order (sdp-transform yields a number when there is only one). */
export function payloadList(media: { payloads?: string | number }): number[] {
  return String(media.payloads ?? '')
    .split(/\s+/)
    .filter((x) => x !== '')
    .map(Number);
}

/** a=mid as a string: sdp-transform turns a numeric mid ("0") into a number. */
export function midOf(media: { mid?: string | number }): string {
  return media.mid === undefined ? '0' : String(media.mid);
}

export function isDtmfFormat(f: Format): boolean {
  return f.name.toLowerCase() === 'telephone-event';
}
