/**
 * Turns libdatachannel's local description into what we send the browser.
 * libdatachannel owns the transport (ICE credentials, DTLS fingerprint and
 * role, SSRC — RFC 8834/8866 for WebRTC); we own the codec list, direction and
 * addresses. Host candidates carry the configured public address (the
 * gateway may sit behind a 1:1 NAT), and no trickle: the browser gets every
 * candidate in the SDP (JsSIP waits for gathering; RFC 8838 is not used).
 */
import { write, type MediaDescription } from 'sdp-transform';
import { LinegateError } from '#shared/errors.ts';
import {
  DEFAULT_PT,
  OPUS_FMTP,
  parseAudio,
  rtpmapName,
  setFormats,
  telephoneEvent,
  type Format,
} from './sdp.ts';
import type { ClientCodec, MediaDirection } from './types.ts';

export interface ClientSdpParams {
  formats: readonly Format[];
  direction: MediaDirection;
  publicAddress: string;
  /** DTLS role to state in a subsequent offer/answer (RFC 8842 §5.5); undefined keeps libdatachannel's. */
  setup?: 'active' | 'passive' | 'actpass';
  sessionId?: number | string;
  version: number;
}

/**
 * Our canonical formats for an offer: codecs in preference order, then
 * telephone-event at 48000 and 8000 (unless `dtmf` is false).
 */
export function offerFormats(codecs: readonly ClientCodec[], dtmf = true): Format[] {
  const formats: Format[] = codecs.map((c) => codecFormat(c, DEFAULT_PT[c]));
  if (!dtmf) return formats;
  if (codecs.includes('opus')) formats.push(telephoneEvent(DEFAULT_PT.te48000, 48000));
  formats.push(telephoneEvent(DEFAULT_PT.te8000, 8000));
  return formats;
}

/** RFC 7587 §7: opus/48000/2, asking for narrowband (we transcode at 8 kHz). */
export function codecFormat(codec: ClientCodec, pt: number): Format {
  return { pt, ...rtpmapName(codec), ...(codec === 'opus' ? { fmtp: OPUS_FMTP } : {}) };
}

export function rewriteLocalSdp(localSdp: string, p: ClientSdpParams): string {
  const a = parseAudio(localSdp);
  const { session, media } = a;
  setFormats(media, p.formats);
  media.direction = p.direction;
  delete session.direction;
  if (p.setup) media.setup = p.setup;
  delete media.ext; // no header extensions negotiated: relay packets stay plain
  delete media.rtcpFb;
  delete session.iceOptions; // we take no trickled candidates
  delete media.iceOptions;
  const ip = p.publicAddress.includes(':') ? 6 : 4;
  const port = rewriteCandidates(media, p.publicAddress);
  media.port = port;
  media.connection = { version: ip, ip: p.publicAddress };
  session.origin = {
    ...session.origin,
    username: 'linegate',
    sessionId: p.sessionId ?? session.origin.sessionId,
    sessionVersion: p.version,
    ipVer: ip,
    address: p.publicAddress,
  };
  return write(session);
}

/**
 * Keeps one host candidate per port with the public address (plus any
 * server-reflexive/relay ones from STUN/TURN) and returns the port of the
 * best one for the m-line.
 */
function rewriteCandidates(media: MediaDescription, publicAddress: string): number {
  const all = (media.candidates ?? []).filter(
    (c) => c.transport.toLowerCase() === 'udp' && c.component === 1,
  );
  const seen = new Set<number>();
  const kept = all.flatMap((c) => {
    if (c.type !== 'host') return [c];
    if (seen.has(c.port)) return [];
    seen.add(c.port);
    return [{ ...c, ip: publicAddress }];
  });
  const first = kept[0];
  if (!first)
    throw new LinegateError('internal', 'ICE gathering produced no candidate for the client leg');
  media.candidates = kept;
  media.endOfCandidates = 'end-of-candidates';
  return first.port;
}

/** Transport identity of a browser description: a change means an ICE restart (RFC 8839 §4.4.1.1.1). */
export function iceIdentity(sdp: string): string {
  const a = parseAudio(sdp);
  const ufrag = a.media.iceUfrag ?? a.session.iceUfrag ?? '';
  const pwd = a.media.icePwd ?? a.session.icePwd ?? '';
  return `${ufrag}:${pwd}`;
}
