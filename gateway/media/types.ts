/**
 * Public types of the media engine. The B2BUA sees only these and
 * index.ts; everything else in gateway/media runs inside the media workers.
 */

/** Codecs on the browser leg (RFC 7587 Opus, RFC 3551 PCMA/PCMU). */
export type ClientCodec = 'opus' | 'PCMA' | 'PCMU';
/** Codecs on the PBX leg: G.711 only (RFC 3551 §4.5.14). */
export type PbxCodec = 'PCMA' | 'PCMU';
/** RFC 3264 §5.1 / RFC 4566 §6 media direction. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
export type LegName = 'client' | 'pbx';
/** How the bridge moves audio: packets relayed untouched, or decoded and re-encoded. */
export type BridgeMode = 'idle' | 'relay' | 'transcode';

export interface CallMediaOptions {
  /** Preferred first; the browser is offered these in this order. */
  clientCodecs: readonly ClientCodec[];
  /** Preferred first; default order of a PBX offer is PCMA, PCMU. */
  pbxCodecs: readonly PbxCodec[];
  /**
   * RFC 4733 telephone-event toward the browser (default true). False (seed
   * 003 "Funktionen": DTMF off) leaves it out of every client offer and
   * answer, so the browser has no way to send tones, and drops event packets
   * that come anyway (an unnegotiated payload type).
   */
  clientDtmf?: boolean;
  /** STUN/TURN URLs for the client leg ("stun:host:port", "turn:user:pass@host:port"). */
  iceServers?: readonly string[];
  /** Overrides the engine's public address for this call. */
  publicAddress?: string;
}

export interface OfferOptions {
  /** Our direction in the SDP; default sendrecv. Hold is sendonly (or inactive). */
  direction?: MediaDirection;
}

export interface AnswerOptions {
  /**
   * The most we allow; the answer's direction is this intersected with the
   * reciprocal of the offer's (RFC 3264 §6.1). Default sendrecv.
   */
  direction?: MediaDirection;
}

export interface ClientAnswerOptions extends AnswerOptions {
  /** Overrides the call's clientCodecs preference for this answer (e.g. to relay PCMA). */
  codecs?: readonly ClientCodec[];
}

export interface ClientOfferOptions extends OfferOptions {
  /** Overrides the call's clientCodecs order for this offer. */
  codecs?: readonly ClientCodec[];
}

export interface StreamReport {
  packetsLost: number;
  /** Fraction lost in the last report interval, 0..1 (RFC 3550 §6.4.1). */
  fractionLost: number;
  jitterMs: number;
}

export interface LegStats {
  codec: ClientCodec | null;
  direction: MediaDirection;
  packetsSent: number;
  bytesSent: number;
  packetsReceived: number;
  bytesReceived: number;
  /** What we measured on the stream we receive (RFC 3550 A.3, A.8). */
  received: StreamReport;
  /** What the peer reported about our stream in RTCP, if it sent any. */
  remote: StreamReport | null;
  /** Round-trip time from RTCP SR/RR (RFC 3550 §6.4.1), or null before a measurement. */
  rttMs: number | null;
  /** Where the peer's media comes from (latched), "ip:port", or null before the first packet. */
  remoteAddress: string | null;
}

export interface CallStats {
  mode: BridgeMode;
  client: LegStats & { state: ClientState };
  pbx: LegStats & { rtpPort: number };
}

export type ClientState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

/** Things a call reports without being asked. */
export type MediaEvent =
  | { type: 'client-state'; state: ClientState }
  /** An RFC 4733 DTMF event ended on a leg (also relayed to the other leg if it negotiated telephone-event). */
  | { type: 'dtmf'; from: LegName; digit: string; durationMs: number }
  /** The call's media worker died; the call has no media any more and its ports are free. */
  | { type: 'ended'; reason: 'worker-exit' };

export interface CallMedia {
  readonly id: string;
  /** SDP offer for the browser (full ICE candidates, no trickle). */
  clientOffer(opts?: ClientOfferOptions): Promise<string>;
  /** SDP answer to the browser's offer. */
  clientAnswer(browserOffer: string, opts?: ClientAnswerOptions): Promise<string>;
  setClientAnswer(sdp: string): Promise<void>;
  /** SDP offer for the PBX (plain RTP/AVP). */
  pbxOffer(opts?: OfferOptions): Promise<string>;
  pbxAnswer(pbxOffer: string, opts?: AnswerOptions): Promise<string>;
  setPbxAnswer(sdp: string): Promise<void>;
  /** Sends an RFC 4733 event toward the PBX (e.g. for SIP INFO dtmf-relay from the browser). */
  sendDtmf(digit: string, durationMs?: number): Promise<void>;
  stats(): Promise<CallStats>;
  /** Ends media and returns the ports; safe to call more than once. */
  close(): Promise<void>;
}

export interface WorkerStatus {
  index: number;
  pid: number | null;
  calls: number;
  rtpPorts: number;
  restarts: number;
}

export interface EngineStatus {
  workers: WorkerStatus[];
  portsAvailable: number;
}

export interface MediaEngine {
  createCall(opts: CallMediaOptions, onEvent?: (e: MediaEvent) => void): Promise<CallMedia>;
  status(): EngineStatus;
  /** CPU time (ms) and RSS (bytes) of every worker process, for metrics and benchmarks. */
  usage(): Promise<{ pid: number; cpuMs: number; rssBytes: number }[]>;
  close(): Promise<void>;
  /** Test hook: kill worker `index` as a crash would. */
  crashWorkerForTest(index: number): void;
}
