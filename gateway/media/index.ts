/**
 * Media engine: WebRTC (browser) ⇄ plain RTP (PBX) for every call, relayed
 * when both legs speak the same G.711 law, transcoded Opus⇄G.711 otherwise.
 * Calls run in media worker processes (`media.workers`), so a busy media
 * path never stalls signalling; this module is all the B2BUA needs.
 *
 * Call flows (B2BUA side; every method is async):
 *
 * (a) PBX → browser
 *   1. INVITE from the PBX. `call = await engine.createCall({ clientCodecs, pbxCodecs }, onEvent)`.
 *   2. Early offer (INVITE has SDP): `pbxSdp = await call.pbxAnswer(invite.body)` — keep it
 *      for the 200 OK toward the PBX.
 *      Late offer (no SDP): nothing yet; see step 5.
 *   3. `offer = await call.clientOffer()` → INVITE to the browser(s) (full candidates,
 *      preferred codec first). Forked devices all get the same offer.
 *   4. Browser's 200 OK: `await call.setClientAnswer(answer)`; CANCEL the other forks.
 *   5. 200 OK to the PBX with `pbxSdp` (early offer), or with
 *      `await call.pbxOffer()` (late offer) and then `await call.setPbxAnswer(ack.body)`.
 *
 * (b) browser → PBX
 *   1. INVITE from the browser (always with an offer). `call = await engine.createCall(…)`.
 *   2. `await call.pbxOffer()` → INVITE to the PBX.
 *   3. PBX 183/200 with SDP: `await call.setPbxAnswer(sdp)` (a later 200 with a different
 *      answer: call it again).
 *   4. `answer = await call.clientAnswer(invite.body)` → 200 OK to the browser. It may be
 *      computed right after step 1 too; passing `{ codecs: [pbxCodec, …] }` once the PBX
 *      codec is known lets PCMA/PCMU be relayed without transcoding.
 *
 * Hold/resume, either side: a re-INVITE with an offer → `xAnswer(offer, { direction })`;
 * to put the other side on hold → `xOffer({ direction: 'sendonly' })` then `setXAnswer`.
 * Directions are enforced by the engine (nothing is sent against them).
 * DTMF: RFC 4733 events are relayed between legs; SIP INFO from the browser →
 * `call.sendDtmf(digit, ms)`; events seen on either leg are reported as
 * `{ type: 'dtmf' }` through onEvent (for a leg without telephone-event).
 * End: `await call.close()` on every path, also when an SDP method threw (idempotent).
 * `{ type: 'ended' }` means the worker died: the call has no media any more, its ports
 * are already free — hang up. `{ type: 'client-state', state: 'failed' }`: ICE/DTLS
 * failed — hang up too. Errors are LinegateError('internal') with a clear message
 * (e.g. "RTP port pool exhausted", "ICE restart is not supported"): answer 488/500/503.
 *
 * Workers are child processes, not worker threads: node-datachannel keeps per-process
 * static N-API constructors and aborts the process when a second thread adds a track.
 * They are forked with the tsx loader, so `node --import tsx gateway/main.ts` just works.
 */
import { availableParallelism, networkInterfaces } from 'node:os';
import { category, type Logger } from '../log.ts';
import { Engine } from './engine.ts';
import { formatCodec, isDtmfFormat, parseAudio } from './sdp.ts';
import type { ClientCodec, MediaDirection, MediaEngine } from './types.ts';

export type {
  AnswerOptions,
  BridgeMode,
  CallMedia,
  CallMediaOptions,
  CallStats,
  ClientAnswerOptions,
  ClientCodec,
  ClientOfferOptions,
  ClientState,
  EngineStatus,
  LegName,
  LegStats,
  MediaDirection,
  MediaEngine,
  MediaEvent,
  OfferOptions,
  PbxCodec,
  StreamReport,
  WorkerStatus,
} from './types.ts';

export interface MediaEngineOptions {
  /** Worker processes; default: one per core. */
  workers?: number;
  /** media.rtpPorts: [from, to], even RTP + odd RTCP pairs. */
  rtpPorts: readonly [number, number];
  /** Address written into SDP (both legs) and ICE host candidates. */
  publicAddress: string;
  /** Local address to bind; default: publicAddress if it is on this host, else all interfaces. */
  bindAddress?: string;
  log: Logger;
}

export function createMediaEngine(opts: MediaEngineOptions): MediaEngine {
  const workers = opts.workers ?? defaultWorkers();
  return new Engine({
    workers,
    rtpPorts: opts.rtpPorts,
    publicAddress: opts.publicAddress,
    bindAddress: opts.bindAddress ?? localBindAddress(opts.publicAddress),
    log: category(opts.log, 'media'),
  });
}

function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** Behind a 1:1 NAT the public address is not ours: bind to every interface then. */
function localBindAddress(publicAddress: string): string {
  const local = Object.values(networkInterfaces()).some((list) =>
    list?.some((i) => i.address === publicAddress),
  );
  if (local) return publicAddress;
  return publicAddress.includes(':') ? '::' : '0.0.0.0';
}

/**
 * The direction an SDP offer asks for (RFC 3264 §5.1, §8.4), for the B2BUA
 * to carry hold and resume over to the other leg. A connection address of
 * 0.0.0.0 is the RFC 2543 way to hold (RFC 3264 §8.4): sendonly. An SDP
 * that does not parse counts as sendrecv (the engine refuses it anyway).
 */
export function offerDirection(sdp: string): MediaDirection {
  try {
    const audio = parseAudio(sdp);
    if (audio.address === '0.0.0.0' && audio.direction === 'sendrecv') return 'sendonly';
    return audio.direction;
  } catch {
    return 'sendrecv';
  }
}

/** The first audio codec of an SDP (an answer's choice, RFC 3264 §6.1), or null. */
export function firstAudioCodec(sdp: string): ClientCodec | null {
  try {
    const first = parseAudio(sdp).formats.find((f) => !isDtmfFormat(f));
    return first === undefined ? null : formatCodec(first);
  } catch {
    return null;
  }
}

/** Every audio codec of an SDP the engine can use, in the SDP's order (unparsable: none). */
export function sdpCodecs(sdp: string): ClientCodec[] {
  try {
    const out: ClientCodec[] = [];
    for (const f of parseAudio(sdp).formats) {
      const c = formatCodec(f);
      if (c !== null && !out.includes(c)) out.push(c);
    }
    return out;
  } catch {
    return [];
  }
}
