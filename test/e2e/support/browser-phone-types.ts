/**
 * Types shared by the Node side of the browser-phone harness and the page it
 * drives (everything here crosses the page boundary as JSON).
 */

export type Codec = 'opus' | 'PCMA' | 'PCMU';
export type DtmfTransport = 'INFO' | 'RFC2833';
export type Originator = 'local' | 'remote' | 'system';
/** SIP headers of a received message, lower-case names, values in order. */
export type SipHeaders = Record<string, string[]>;

interface Base<N extends string> {
  readonly name: N;
  /** Date.now() in the page when JsSIP emitted the event. */
  readonly at: number;
}
interface SessionBase<N extends string> extends Base<N> {
  /** The phone's call number, 1, 2, … in the order JsSIP created the sessions. */
  readonly session: number;
}
/** What a received SIP message said; all null/empty when the event had none. */
interface MessageFields {
  readonly statusCode: number | null;
  readonly reasonPhrase: string | null;
  /** Method of a received request (e.g. BYE for a remote hang-up). */
  readonly method: string | null;
  readonly headers: SipHeaders;
}

export type CallEvent =
  | Base<'connected'>
  | (Base<'disconnected'> & { readonly error: boolean; readonly code: number | null })
  | (Base<'registered'> & MessageFields)
  | (Base<'unregistered'> & MessageFields & { readonly cause: string | null })
  | (Base<'registrationFailed'> & MessageFields & { readonly cause: string })
  /** A call from the gateway (JsSIP newRTCSession, originator remote). */
  | (SessionBase<'incoming'> &
      MessageFields & {
        readonly displayName: string | null;
        readonly user: string | null;
        readonly uri: string;
        readonly requestUri: string;
        readonly hasSdp: boolean;
      })
  /** call() created its session (JsSIP newRTCSession, originator local). */
  | (SessionBase<'outgoing'> & { readonly requestUri: string })
  | (SessionBase<'progress'> & MessageFields & { readonly originator: Originator })
  | (SessionBase<'accepted'> & MessageFields & { readonly originator: Originator })
  | (SessionBase<'confirmed'> & { readonly originator: Originator })
  | (SessionBase<'ended'> &
      MessageFields & { readonly originator: Originator; readonly cause: string })
  | (SessionBase<'failed'> &
      MessageFields & { readonly originator: Originator; readonly cause: string })
  | (SessionBase<'hold'> & { readonly originator: Originator })
  | (SessionBase<'unhold'> & { readonly originator: Originator })
  | (SessionBase<'newInfo'> & {
      readonly originator: Originator;
      readonly contentType: string;
      readonly body: string;
    })
  | (SessionBase<'newDTMF'> & {
      readonly originator: Originator;
      readonly tone: string;
      readonly duration: number;
    })
  /** A re-INVITE or UPDATE received from the gateway. */
  | (SessionBase<'reinvite'> & MessageFields & { readonly hasSdp: boolean })
  | (SessionBase<'update'> & MessageFields & { readonly hasSdp: boolean })
  /** Every SDP JsSIP handles; local ones after the codec restriction, i.e. as sent. */
  | (SessionBase<'sdp'> & {
      readonly originator: Originator;
      readonly type: string;
      readonly sdp: string;
    })
  /** The session's RTCPeerConnection iceConnectionState changed. */
  | (SessionBase<'ice'> & { readonly state: string })
  /** A remote audio track arrived (it is played muted and analysed from then on). */
  | SessionBase<'track'>
  /** getUserMedia or a peer-connection step failed (JsSIP then fails the call). */
  | (Base<'error'> & {
      readonly session: number | null;
      readonly what: string;
      readonly message: string;
    });

export type CallEventName = CallEvent['name'];
export type CallEventOf<N extends CallEventName> = Extract<CallEvent, { readonly name: N }>;

export interface PageConfig {
  wsUrl: string;
  /** sip:user@domain */
  uri: string;
  password: string;
  displayName: string | null;
  codecs: Codec[] | null;
  userAgent: string;
}

export interface PageCallOptions {
  extraHeaders: string[];
  dtmfTransport: DtmfTransport | null;
}

/** What an AnalyserNode heard. */
export interface ListenResult {
  /** Frequency of the strongest spectral peak above 50 Hz (parabolic interpolation), 0 in silence. */
  dominantHz: number;
  /** RMS of the samples, linear 0..1 (a full-scale sine is 0.707; the fake mic tone 0.354). */
  level: number;
  /** The same level in dBFS (20·log10(level)), -Infinity is reported as -200. */
  levelDb: number;
  /** Share (0..1) of the spectral power within ±4 bins of the dominant peak: ~1 for a clean tone. */
  purity: number;
  /** Number of analyser snapshots averaged. */
  frames: number;
}

export interface MediaStats {
  /** Codec name from getStats (mimeType without "audio/"), e.g. 'PCMA', 'opus'; null before media. */
  sendCodec: string | null;
  recvCodec: string | null;
  packetsSent: number;
  packetsReceived: number;
  /** iceConnectionState of the peer connection. */
  iceState: string;
}

export interface SelfTestOptions {
  /** 'direct': the fake mic straight into the analyser; 'loopback': through a local RTCPeerConnection pair. */
  via: 'direct' | 'loopback';
  /** loopback: restrict the offer with restrictCodecs() as the phone does. */
  codecs: Codec[] | null;
  ms: number;
  /** Upper bound for the audio to appear before measuring. */
  waitMs: number;
}

export interface SelfTestResult extends ListenResult {
  /** loopback only: the codec the sending / receiving connection used. */
  sendCodec: string | null;
  recvCodec: string | null;
}

/** The page's API, globalThis.__lg in the page; every argument and result is JSON. */
export type ReferOutcome =
  | { readonly result: 'accepted' }
  | { readonly result: 'failed'; readonly status: number | null; readonly reason: string | null }
  | { readonly result: 'timeout' };

export interface PageApi {
  start(config: PageConfig): void;
  register(): void;
  unregister(): void;
  call(target: string, o: PageCallOptions): number;
  answer(session: number | null, o: { extraHeaders: string[] }): number;
  hangup(session: number | null, status: number | null): void;
  hold(session: number | null): Promise<void>;
  unhold(session: number | null): Promise<void>;
  sendDtmf(
    session: number | null,
    tones: string,
    transport: DtmfTransport | null,
    durationMs: number | null,
  ): void;
  sendInfo(session: number | null, contentType: string, body: string): void;
  /** Blind transfer (REFER); resolves with the outcome JsSIP reports (NOTIFY 2xx: accepted). */
  refer(session: number | null, target: string, timeoutMs: number): Promise<ReferOutcome>;
  /** Waits up to waitMs for sound (> -60 dBFS), then measures over ms. */
  listen(session: number | null, ms: number, waitMs: number): Promise<ListenResult>;
  /** Polls the analyser until its window (~190 ms) is all sound / all silence (-60 dBFS), or timeoutMs. */
  waitLevel(
    session: number | null,
    want: 'sound' | 'silence',
    timeoutMs: number,
  ): Promise<{ reached: boolean; ms: number; level: number }>;
  mediaStats(session: number | null): Promise<MediaStats>;
  selfTest(o: SelfTestOptions): Promise<SelfTestResult>;
  /** Ends the calls, un-REGISTERs (each bounded by timeoutMs in all) and stops the UA. */
  stop(timeoutMs: number): Promise<void>;
}

/** Names the page and the Node side agree on. */
export const PAGE_API = '__lg';
export const PAGE_EVENT_BINDING = '__lgEvent';
