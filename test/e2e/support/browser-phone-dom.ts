/**
 * The few browser APIs the harness page uses, declared locally: the project's
 * tsconfig compiles test/ for Node (no DOM lib), and pulling the DOM lib in
 * would make browser globals appear valid in gateway code too. These are
 * structural subsets of the real WebRTC / Web Audio / DOM interfaces.
 */
import type { CallEvent, PageApi } from './browser-phone-types.ts';

export interface Track {
  readonly id: string;
  readonly kind: string;
  readonly readyState: string;
  stop(): void;
}

export interface Stream {
  getTracks(): Track[];
  getAudioTracks(): Track[];
}

export interface SessionDescription {
  readonly type: string;
  readonly sdp: string;
}

export interface TrackEvent {
  readonly track: Track;
  readonly streams: readonly Stream[];
}

export interface IceCandidateEvent {
  readonly candidate: object | null;
}

/** One getStats() entry; the fields read depend on `type`. */
export interface Stats {
  readonly id: string;
  readonly type: string;
  readonly [field: string]: unknown;
}

export interface PeerConnection {
  readonly iceConnectionState: string;
  readonly localDescription: SessionDescription | null;
  addTrack(track: Track, stream: Stream): unknown;
  createOffer(): Promise<SessionDescription>;
  createAnswer(): Promise<SessionDescription>;
  setLocalDescription(d: SessionDescription): Promise<void>;
  setRemoteDescription(d: SessionDescription): Promise<void>;
  addIceCandidate(c: object): Promise<void>;
  addEventListener(type: 'track', listener: (e: TrackEvent) => void): void;
  addEventListener(type: 'icecandidate', listener: (e: IceCandidateEvent) => void): void;
  addEventListener(type: 'iceconnectionstatechange', listener: () => void): void;
  getStats(): Promise<{ forEach(cb: (s: Stats) => void): void }>;
  close(): void;
}

export interface AudioNodeLike {
  connect(destination: AudioNodeLike): unknown;
  disconnect(): void;
}

export interface Analyser extends AudioNodeLike {
  fftSize: number;
  smoothingTimeConstant: number;
  readonly frequencyBinCount: number;
  getFloatFrequencyData(array: Float32Array): void;
  getFloatTimeDomainData(array: Float32Array): void;
}

export interface AudioCtx {
  readonly sampleRate: number;
  readonly state: string;
  resume(): Promise<void>;
  createMediaStreamSource(stream: Stream): AudioNodeLike;
  createAnalyser(): Analyser;
}

export interface AudioElement {
  srcObject: Stream | null;
  muted: boolean;
  autoplay: boolean;
  play(): Promise<void>;
  pause(): void;
  remove(): void;
}

/** The page's globals as the harness uses them. */
export interface PageGlobals {
  document: {
    createElement(tag: 'audio'): AudioElement;
    body: { append(node: AudioElement): void };
  };
  navigator: {
    mediaDevices: { getUserMedia(constraints: object): Promise<Stream> };
  };
  AudioContext: new () => AudioCtx;
  RTCPeerConnection: new (config: object) => PeerConnection;
  MediaStream: new (tracks: Track[]) => Stream;
  /** Set by page.exposeFunction before the page loads. */
  __lgEvent(event: CallEvent): Promise<void>;
  __lg: PageApi;
  JsSIP: unknown;
}
