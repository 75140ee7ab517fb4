/**
 * One call: a JsSIP RTCSession, the CallView the views see (a new object on
 * every change), the call's local microphone stream and the <audio> element
 * that plays its remote audio.
 */
import type {
  AnswerOptions,
  EndEvent,
  HoldEvent,
  ReferEvent,
  RTCSession,
} from 'jssip/lib/RTCSession.js';
import { endReasonOf, type CallEnd } from './end-reason.ts';
import { createAudioOut, play, setOutput, stopStream } from './media.ts';
import { referOutcome } from './refer.ts';
import { PhoneError, type CallView, type Party } from './types.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type ViewPatch = Partial<Mutable<CallView>>;

export interface CallInit {
  readonly direction: CallView['direction'];
  readonly remote: Party;
  readonly line?: string | undefined;
  readonly called?: string | undefined;
  readonly divertedFrom?: CallView['divertedFrom'];
  /** The microphone stream an outgoing call was placed with. */
  readonly local?: MediaStream | undefined;
}

/** What a received JsSIP message offers (IncomingRequest/IncomingResponse). */
interface ReceivedMessage {
  readonly status_code?: unknown;
  getHeader?(name: string): string | undefined;
}

/** Tries of a hold/unhold that finds another re-INVITE under way, 250 ms apart. */
const HOLD_TRIES = 12;

export class PhoneCall {
  readonly id: string;
  readonly session: RTCSession;
  readonly #changed: () => void;
  readonly #audio = createAudioOut();
  #view: CallView;
  #local: MediaStream | undefined;
  #remote: MediaStream | undefined;
  #pc: RTCPeerConnection | undefined;
  /** Set when the phone itself ends the call for a reason JsSIP cannot know. */
  #forcedEnd: CallEnd | undefined;
  /** The status we answered an incoming call with when refusing it. */
  #sentStatus: number | undefined;
  #answering: Promise<void> | undefined;
  readonly #endWaiters = new Set<() => void>();

  constructor(session: RTCSession, init: CallInit, changed: () => void) {
    this.id = session.id;
    this.session = session;
    this.#changed = changed;
    this.#local = init.local;
    this.#view = {
      id: this.id,
      direction: init.direction,
      state: init.direction === 'incoming' ? 'ringing' : 'dialing',
      remote: init.remote,
      line: init.line,
      called: init.called,
      divertedFrom: init.divertedFrom,
      startedAt: Date.now(),
      muted: false,
      held: false,
      remoteHeld: false,
    };
    this.#wire();
  }

  get view(): CallView {
    return this.#view;
  }

  get ended(): boolean {
    return this.#view.state === 'ended';
  }

  get active(): boolean {
    return this.#view.state === 'active';
  }

  /** The remote audio once a track arrived; undefined before and after. */
  get remoteStream(): MediaStream | undefined {
    return this.#remote;
  }

  get answering(): boolean {
    return this.#answering !== undefined;
  }

  /**
   * Answers with the stream `open` gives (it may fail, e.g. no microphone:
   * then the call keeps ringing and the promise rejects). Resolves once the
   * 200 is sent; a second call while answering joins the first.
   */
  answer(
    open: () => Promise<MediaStream>,
    options: (stream: MediaStream) => AnswerOptions,
  ): Promise<void> {
    if (this.#answering) return this.#answering;
    if (this.#view.state !== 'ringing') {
      return Promise.reject(new PhoneError('failed', 'The call is not ringing any more.'));
    }
    const answering = this.#answer(open, options).finally(() => {
      if (this.#answering === answering) this.#answering = undefined;
    });
    this.#answering = answering;
    return answering;
  }

  async #answer(
    open: () => Promise<MediaStream>,
    options: (s: MediaStream) => AnswerOptions,
  ): Promise<void> {
    const stream = await open();
    if (this.#view.state !== 'ringing') {
      stopStream(stream);
      throw new PhoneError('failed', 'The call ended before it could be answered.');
    }
    this.#local = stream;
    await new Promise<void>((resolve, reject) => {
      const off = this.#onEnd(() =>
        reject(new PhoneError('failed', 'The call ended before it could be answered.')),
      );
      this.session.on('accepted', () => {
        off();
        resolve();
      });
      try {
        this.session.answer(options(stream));
      } catch (err) {
        off();
        stopStream(stream);
        this.#local = undefined;
        reject(new PhoneError('failed', `The call could not be answered (${describe(err)}).`));
      }
    });
  }

  /** Ends the call: CANCEL, a refusal with `status`, or BYE, per its state. */
  terminate(opts: { status?: number; forced?: CallEnd; cause?: string } = {}): void {
    if (this.ended || this.session.isEnded()) return;
    if (opts.forced) this.#forcedEnd = opts.forced;
    if (
      opts.status !== undefined &&
      this.#view.direction === 'incoming' &&
      this.#view.state === 'ringing'
    ) {
      this.#sentStatus = opts.status;
    }
    try {
      this.session.terminate({
        ...(opts.status === undefined || this.#view.state !== 'ringing'
          ? {}
          : { status_code: opts.status }),
        ...(opts.cause === undefined ? {} : { cause: opts.cause }),
      });
    } catch {
      // JsSIP ended it in the meantime (InvalidStateError): its event says how.
    }
  }

  hold(on: boolean): Promise<void> {
    if (this.ended) return Promise.reject(new PhoneError('failed', 'The call is over.'));
    if (this.session.isOnHold().local === on) return Promise.resolve();
    if (!this.active) {
      return Promise.reject(new PhoneError('failed', 'Only a call in progress can be held.'));
    }
    return new Promise((resolve, reject) => {
      let tries = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const off = this.#onEnd(() => {
        clearTimeout(timer);
        reject(new PhoneError('failed', 'The call ended.'));
      });
      const done = () => {
        off();
        resolve();
      };
      const attempt = () => {
        if (this.ended) return;
        const started = on ? this.session.hold({}, done) : this.session.unhold({}, done);
        if (started) return;
        if (this.session.isOnHold().local === on) done();
        else if (++tries >= HOLD_TRIES) {
          off();
          reject(new PhoneError('failed', 'The call is busy with another change; try again.'));
        } else timer = setTimeout(attempt, 250);
      };
      attempt();
    });
  }

  mute(on: boolean): void {
    if (this.ended) throw new PhoneError('failed', 'The call is over.');
    // JsSIP mutes the senders of the peer connection, which an incoming
    // call gets only when answered.
    if (!this.#pc) throw new PhoneError('failed', 'Answer the call first.');
    if (on) this.session.mute({ audio: true });
    else this.session.unmute({ audio: true });
  }

  sendDtmf(tones: string): void {
    if (!this.active)
      throw new PhoneError('failed', 'Tones can be sent in a call in progress only.');
    try {
      this.session.sendDTMF(tones);
    } catch (err) {
      throw new PhoneError('failed', `The tones could not be sent (${describe(err)}).`);
    }
  }

  /** Blind transfer (RFC 3515 REFER): resolves when the far end reports success by NOTIFY. */
  transfer(target: string): Promise<void> {
    if (!this.active) {
      return Promise.reject(
        new PhoneError('failed', 'Only a call in progress can be transferred.'),
      );
    }
    return referOutcome(this.session, target, (f) => this.#onEnd(f));
  }

  async setOutput(output: string | undefined): Promise<void> {
    await setOutput(this.#audio, output);
  }

  /** Swaps the microphone under a running call (RTCRtpSender.replaceTrack, no renegotiation). */
  async replaceInput(stream: MediaStream): Promise<void> {
    const track = stream.getAudioTracks()[0];
    const sender = this.#pc?.getSenders().find((s) => s.track?.kind === 'audio');
    if (this.ended || track === undefined || sender === undefined) {
      stopStream(stream);
      return;
    }
    // JsSIP keeps the sender's track disabled while muted or held; so must the new one.
    track.enabled = !(this.#view.muted || this.#view.held || this.#view.remoteHeld);
    await sender.replaceTrack(track);
    stopStream(this.#local);
    this.#local = stream;
  }

  #onEnd(f: () => void): () => void {
    if (this.ended) {
      queueMicrotask(f);
      return () => undefined;
    }
    this.#endWaiters.add(f);
    return () => this.#endWaiters.delete(f);
  }

  #update(patch: ViewPatch): void {
    this.#view = { ...this.#view, ...patch };
    this.#changed();
  }

  #wire(): void {
    const s = this.session;
    s.on('peerconnection', (e) => this.#wirePc(e.peerconnection));
    // An outgoing call has its peer connection before the phone sees it.
    const pc = (s as unknown as { connection?: RTCPeerConnection | null }).connection;
    if (pc) this.#wirePc(pc);
    s.on('progress', (e: { originator: unknown }) => {
      if (e.originator === 'remote' && this.#view.state === 'dialing') {
        this.#update({ state: 'progress' });
      }
    });
    s.on('accepted', () => {
      if (!this.ended) this.#update({ state: 'active', answeredAt: Date.now() });
    });
    s.on('confirmed', () => {
      if (!this.ended && !this.active) this.#update({ state: 'active', answeredAt: Date.now() });
    });
    const hold = (on: boolean) => (e: HoldEvent) =>
      this.#update(originator(e) === 'local' ? { held: on } : { remoteHeld: on });
    s.on('hold', hold(true));
    s.on('unhold', hold(false));
    s.on('muted', () => this.#update({ muted: this.session.isMuted().audio === true }));
    s.on('unmuted', () => this.#update({ muted: this.session.isMuted().audio === true }));
    // The gateway has no business transferring the browser: refuse (NOTIFY 603).
    s.on('refer', (e: ReferEvent) => e.reject());
    s.on('ended', (e) => this.#finish(e));
    s.on('failed', (e) => this.#finish(e));
  }

  #wirePc(pc: RTCPeerConnection): void {
    if (this.#pc === pc) return;
    this.#pc = pc;
    pc.addEventListener('track', (e) => {
      if (e.track.kind !== 'audio' || this.ended) return;
      // Chromium fires 'track' again when a re-INVITE lets the transceiver
      // receive again: keep the stream while its track is the same.
      if (this.#remote?.getAudioTracks().some((t) => t.id === e.track.id)) return;
      this.#remote = new MediaStream([e.track]);
      play(this.#audio, this.#remote);
      this.#changed();
    });
  }

  #finish(e: EndEvent): void {
    if (this.ended) return;
    const msg = e.message as ReceivedMessage | null;
    const received = typeof msg?.status_code === 'number' ? msg.status_code : undefined;
    const end =
      this.#forcedEnd ??
      endReasonOf({
        originator: originator(e),
        cause: e.cause,
        direction: this.#view.direction,
        status: received ?? this.#sentStatus,
        reasonHeader: received === undefined ? msg?.getHeader?.('Reason') : undefined,
      });
    stopStream(this.#local);
    this.#local = undefined;
    this.#remote = undefined;
    play(this.#audio, null);
    this.#update({ state: 'ended', endedAt: Date.now(), end });
    for (const f of [...this.#endWaiters]) f();
    this.#endWaiters.clear();
  }
}

/** JsSIP's originator ('local', 'remote', 'system'): a declared enum, compared as text. */
export function originator(e: { readonly originator: unknown }): string {
  return typeof e.originator === 'string' ? e.originator : '';
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}
