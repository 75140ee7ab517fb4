/**
 * The browser side of the browser-phone harness: bundled with JsSIP by
 * esbuild into one IIFE and loaded by the test page. It runs one JsSIP UA,
 * forwards its events to Node through the exposed __lgEvent binding, and
 * offers the PageApi on globalThis.__lg (also JsSIP on globalThis.JsSIP).
 */
import * as JsSIP from 'jssip';
import type {
  EndEvent,
  HoldEvent,
  IncomingAckEvent,
  IncomingDTMFEvent,
  IncomingEvent,
  IncomingInfoEvent,
  OutgoingAckEvent,
  OutgoingDTMFEvent,
  OutgoingEvent,
  OutgoingInfoEvent,
  PeerConnectionEvent,
  ReInviteEvent,
  RTCSession,
  SDPEvent,
} from 'jssip/lib/RTCSession.js';
import type {
  DisconnectEvent,
  RegisteredEvent,
  RTCSessionEvent,
  UA,
  UnRegisteredEvent,
} from 'jssip/lib/UA.js';
import type {
  Analyser,
  AudioElement,
  PageGlobals,
  PeerConnection,
  Stream,
} from './browser-phone-dom.ts';
import {
  analyserFor,
  delay,
  measure,
  MEDIA,
  PC_CONFIG,
  play,
  readStats,
  selfTest,
  waitLevel,
} from './browser-phone-page-media.ts';
import { restrictCodecs } from './browser-phone-sdp.ts';
import {
  PAGE_API,
  type CallEvent,
  type DtmfTransport,
  type Originator,
  type PageApi,
  type PageConfig,
  type SipHeaders,
} from './browser-phone-types.ts';

const g = globalThis as unknown as PageGlobals;

interface Call {
  readonly id: number;
  readonly session: RTCSession;
  pc: PeerConnection | null;
  remote: Stream | null;
  audio: AudioElement | null;
  analyser: Analyser | null;
  dtmf: DtmfTransport | null;
  ended: boolean;
  lastSdp: string;
}

let ua: UA | null = null;
let config: PageConfig | null = null;
const calls: Call[] = [];

type Draft<E = CallEvent> = E extends unknown ? Omit<E, 'at'> : never;

function emit(event: Draft): void {
  g.__lgEvent({ ...event, at: Date.now() }).catch(() => undefined);
}

const originator = (o: unknown): Originator => (o === 'local' || o === 'remote' ? o : 'system');

interface RawMessage {
  status_code?: number;
  reason_phrase?: string;
  method?: string;
  data?: string;
  headers?: Record<string, { raw: string }[] | undefined>;
}

/** Status, method and headers of a received JsSIP message (IncomingRequest/IncomingResponse). */
function fields(msg: unknown) {
  const m = (typeof msg === 'object' && msg !== null ? msg : {}) as RawMessage;
  const received = typeof m.data === 'string';
  const headers: SipHeaders = {};
  for (const [name, values] of Object.entries(received ? (m.headers ?? {}) : {})) {
    headers[name.toLowerCase()] = (values ?? []).map((v) => v.raw);
  }
  const isResponse = typeof m.status_code === 'number';
  return {
    statusCode: isResponse ? (m.status_code ?? null) : null,
    reasonPhrase: isResponse ? (m.reason_phrase ?? null) : null,
    method: received && !isResponse ? (m.method ?? null) : null,
    headers,
  };
}

function pick(id: number | null): Call {
  const call =
    id === null ? ([...calls].reverse().find((c) => !c.ended) ?? calls.at(-1)) : calls[id - 1];
  if (!call) throw new Error(id === null ? 'no call on this phone' : `no call #${id}`);
  return call;
}

function wirePc(call: Call, pc: PeerConnection): void {
  if (call.pc === pc) return;
  call.pc = pc;
  pc.addEventListener('iceconnectionstatechange', () =>
    emit({ name: 'ice', session: call.id, state: pc.iceConnectionState }),
  );
  pc.addEventListener('track', (e) => {
    if (e.track.kind !== 'audio') return;
    // Chromium fires 'track' again when a re-INVITE lets the transceiver
    // receive again (and meanwhile removes the track from e.streams): a stream
    // of our own keeps the track for the element and the analyser.
    if (call.remote?.getAudioTracks().some((t) => t.id === e.track.id)) return;
    const stream = new g.MediaStream([e.track]);
    call.audio?.remove();
    call.remote = stream;
    call.audio = play(stream);
    call.analyser = analyserFor(stream);
    emit({ name: 'track', session: call.id });
  });
}

function wireSession(call: Call): void {
  const s = call.session;
  const session = call.id;
  s.on('peerconnection', (e: PeerConnectionEvent) =>
    wirePc(call, e.peerconnection as unknown as PeerConnection),
  );
  const response = (e: IncomingEvent | OutgoingEvent) =>
    fields((e as { response?: unknown }).response);
  s.on('progress', (e: IncomingEvent | OutgoingEvent) =>
    emit({ name: 'progress', session, originator: originator(e.originator), ...response(e) }),
  );
  s.on('accepted', (e: IncomingEvent | OutgoingEvent) =>
    emit({ name: 'accepted', session, originator: originator(e.originator), ...response(e) }),
  );
  s.on('confirmed', (e: IncomingAckEvent | OutgoingAckEvent) =>
    emit({ name: 'confirmed', session, originator: originator(e.originator) }),
  );
  for (const name of ['ended', 'failed'] as const) {
    s.on(name, (e: EndEvent) => {
      call.ended = true;
      call.audio?.remove();
      emit({
        name,
        session,
        originator: originator(e.originator),
        cause: e.cause,
        ...fields(e.message),
      });
    });
  }
  for (const name of ['hold', 'unhold'] as const) {
    s.on(name, (e: HoldEvent) => emit({ name, session, originator: originator(e.originator) }));
  }
  s.on('newInfo', (e: IncomingInfoEvent | OutgoingInfoEvent) =>
    emit({
      name: 'newInfo',
      session,
      originator: originator(e.originator),
      contentType: e.info.contentType,
      body: e.info.body,
    }),
  );
  s.on('newDTMF', (e: IncomingDTMFEvent | OutgoingDTMFEvent) =>
    emit({
      name: 'newDTMF',
      session,
      originator: originator(e.originator),
      tone: e.dtmf.tone,
      duration: e.dtmf.duration,
    }),
  );
  for (const name of ['reinvite', 'update'] as const) {
    s.on(name, (e: ReInviteEvent) =>
      emit({ name, session, hasSdp: Boolean(e.request.body), ...fields(e.request) }),
    );
  }
  s.on('sdp', (e: SDPEvent) => {
    const o = originator(e.originator);
    const received = e.sdp;
    // What the browser sends: its own offers and answers, and (so that its
    // answer cannot pick another codec) the offers it receives.
    if (config?.codecs && (o === 'local' || e.type === 'offer')) {
      e.sdp = restrictCodecs(e.sdp, config.codecs);
    }
    // Reported as sent (local) or as received (remote). JsSIP emits a
    // re-INVITE's local offer twice, before and after its hold mangling.
    const sdp = o === 'local' ? e.sdp : received;
    const key = `${o} ${e.type} ${sdp}`;
    if (key === call.lastSdp) return;
    call.lastSdp = key;
    emit({ name: 'sdp', session, originator: o, type: e.type, sdp });
  });
  const failures = [
    'getusermediafailed',
    'peerconnection:createofferfailed',
    'peerconnection:createanswerfailed',
    'peerconnection:setlocaldescriptionfailed',
    'peerconnection:setremotedescriptionfailed',
  ] as const;
  for (const what of failures) {
    s.on(what, (err: unknown) => emit({ name: 'error', session, what, message: String(err) }));
  }
}

function onNewSession(e: RTCSessionEvent): void {
  const call: Call = {
    id: calls.length + 1,
    session: e.session,
    pc: null,
    remote: null,
    audio: null,
    analyser: null,
    dtmf: null,
    ended: false,
    lastSdp: '',
  };
  calls.push(call);
  wireSession(call);
  // An outgoing session has its RTCPeerConnection before newRTCSession fires.
  const pc = e.session.connection as unknown as PeerConnection | undefined;
  if (pc) wirePc(call, pc);
  if (originator(e.originator) === 'local') {
    emit({ name: 'outgoing', session: call.id, requestUri: e.request.ruri.toString() });
    return;
  }
  const remote = e.session.remote_identity;
  emit({
    name: 'incoming',
    session: call.id,
    displayName: remote.display_name || null,
    user: remote.uri.user || null,
    uri: remote.uri.toString(),
    requestUri: e.request.ruri.toString(),
    hasSdp: Boolean(e.request.body),
    ...fields(e.request),
  });
}

function theUa(): UA {
  if (!ua) throw new Error('the phone was not started');
  return ua;
}

function reinvite(id: number | null, what: 'hold' | 'unhold'): Promise<void> {
  return new Promise((resolve, reject) => {
    const { session } = pick(id);
    const ended = () => reject(new Error(`the call ended during the ${what} re-INVITE`));
    session.once('ended', ended);
    session.once('failed', ended);
    const done = () => {
      session.off('ended', ended);
      session.off('failed', ended);
      resolve();
    };
    const started = what === 'hold' ? session.hold({}, done) : session.unhold({}, done);
    if (!started) {
      done();
      reject(new Error(`JsSIP refused ${what}() (on hold: ${JSON.stringify(session.isOnHold())})`));
    }
  });
}

const api: PageApi = {
  start(c) {
    config = c;
    // JsSIP.debug is the `debug` package, whose types are not installed.
    (JsSIP.debug as unknown as { disable(): void }).disable();
    ua = new JsSIP.UA({
      sockets: [new JsSIP.WebSocketInterface(c.wsUrl)],
      uri: c.uri,
      password: c.password,
      ...(c.displayName === null ? {} : { display_name: c.displayName }),
      register: false,
      session_timers: true,
      connection_recovery_min_interval: 1,
      connection_recovery_max_interval: 3,
      user_agent: c.userAgent,
    });
    ua.on('connected', () => emit({ name: 'connected' }));
    ua.on('disconnected', (e: DisconnectEvent) =>
      emit({ name: 'disconnected', error: e.error, code: e.code ?? null }),
    );
    ua.on('registered', (e: RegisteredEvent) =>
      emit({ name: 'registered', ...fields(e.response) }),
    );
    ua.on('unregistered', (e: UnRegisteredEvent) =>
      emit({ name: 'unregistered', cause: e.cause ?? null, ...fields(e.response) }),
    );
    ua.on('registrationFailed', (e: UnRegisteredEvent) =>
      emit({ name: 'registrationFailed', cause: String(e.cause), ...fields(e.response) }),
    );
    ua.on('newRTCSession', onNewSession);
    ua.start();
  },
  register: () => theUa().register(),
  unregister: () => theUa().unregister(),
  call(target, o) {
    const session = theUa().call(target, {
      mediaConstraints: MEDIA,
      pcConfig: PC_CONFIG,
      extraHeaders: o.extraHeaders,
    });
    const call = calls.find((c) => c.session === session);
    if (!call) throw new Error('JsSIP created no session');
    call.dtmf = o.dtmfTransport;
    return call.id;
  },
  answer(id, o) {
    const call = pick(id);
    call.session.answer({
      mediaConstraints: MEDIA,
      pcConfig: PC_CONFIG,
      // The gateway sends INVITEs without SDP: the browser makes the offer, and
      // JsSIP's createOffer() waits forever on null constraints (as the PWA does, pass them).
      rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: false },
      extraHeaders: o.extraHeaders,
    });
    return call.id;
  },
  hangup(id, status) {
    pick(id).session.terminate(status === null ? {} : { status_code: status });
  },
  hold: (id) => reinvite(id, 'hold'),
  unhold: (id) => reinvite(id, 'unhold'),
  sendDtmf(id, tones, transport, durationMs) {
    const call = pick(id);
    call.session.sendDTMF(tones, {
      transportType: JsSIP.C.DTMF_TRANSPORT[transport ?? call.dtmf ?? 'INFO'],
      ...(durationMs === null ? {} : { duration: durationMs }),
    });
  },
  sendInfo(id, contentType, body) {
    pick(id).session.sendInfo(contentType, body);
  },
  refer(id, target, timeoutMs) {
    const { session } = pick(id);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ result: 'timeout' }), timeoutMs);
      const fail = (e: { response?: { status_code?: number; reason_phrase?: string } }) => {
        clearTimeout(timer);
        resolve({
          result: 'failed',
          status: e.response?.status_code ?? null,
          reason: e.response?.reason_phrase ?? null,
        });
      };
      session.refer(target, {
        eventHandlers: {
          accepted: () => {
            clearTimeout(timer);
            resolve({ result: 'accepted' });
          },
          requestFailed: fail,
          failed: fail,
        },
      });
    });
  },
  async listen(id, ms, waitMs) {
    const call = pick(id);
    if (!call.analyser) throw new Error(`call #${call.id} has no remote audio track (yet)`);
    return measure(call.analyser, ms, waitMs);
  },
  waitLevel: (id, want, timeoutMs) => {
    const call = pick(id);
    return waitLevel(() => call.analyser, want, timeoutMs);
  },
  async mediaStats(id) {
    const call = pick(id);
    if (!call.pc) throw new Error(`call #${call.id} has no peer connection (yet)`);
    return readStats(call.pc);
  },
  selfTest,
  async stop(timeoutMs) {
    const u = ua;
    if (!u) return;
    ua = null;
    const until = Date.now() + timeoutMs;
    for (const call of calls.filter((c) => !c.ended)) {
      try {
        call.session.terminate();
      } catch {
        // already terminating
      }
    }
    while (calls.some((c) => !c.ended) && Date.now() < until) await delay(20);
    if (u.isRegistered()) {
      const done = new Promise<void>((resolve) => {
        u.once('unregistered', resolve);
        u.once('registrationFailed', resolve);
      });
      u.unregister();
      await Promise.race([done, delay(Math.max(0, until - Date.now()))]);
    }
    for (const call of calls) call.audio?.remove();
    // JsSIP's stop() keeps the socket 2 s for finished transactions; the page closes it sooner.
    u.stop();
  },
};

Object.assign(g, { [PAGE_API]: api, JsSIP });
