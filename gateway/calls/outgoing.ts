/**
 * A call from a browser out over one of its user's lines (issue #5):
 *
 *   browser ──INVITE(offer)──▶ gateway ──INVITE(G.711 offer)──▶ PBX   (401/407 answered
 *           ◀──180 / 183(SDP)─         ◀──180 / 183(SDP)────────       with the line's
 *           ◀──200(answer)────         ◀──200(answer)───────────       credentials)
 *           ───ACK───────────▶         ───ACK──────────────────▶
 *
 * The browser's answer is computed once the PBX's codec is known, so that
 * a G.711 client can be relayed without transcoding; it goes in the 183
 * for early media and again, unchanged, in the 200 (RFC 3264 §5: one
 * answer per offer). Failures reach the browser with the PBX's status and
 * reason; the browser's CANCEL cancels the PBX leg.
 */
import { randomUUID } from 'node:crypto';
import type { LineInfo } from '../lines/manager.ts';
import type { JournalResult } from '../store/journal.ts';
import type { CallMedia, MediaEvent } from '../media/index.ts';
import { sdpCodecs } from '../media/index.ts';
import { callId, tagOf, to } from '../sip/message/headers.ts';
import type { SipRequest, SipResponse } from '../sip/message/types.ts';
import {
  createRequest,
  dialogFromResponse,
  dialogKey,
  responseDialogId,
} from '../sip/dialog/index.ts';
import { udpDestination, type ClientTransaction, type ServerTransaction } from '../sip/stack.ts';
import { sendWithAuth, type UacResult } from '../sip/uac.ts';
import type { Call } from './call.ts';
import {
  CALL_ALLOW,
  contactHeader,
  header,
  resultOf,
  type CallJournal,
  lineAuth,
  pbxContact,
  pbxTarget,
  sipUri,
  type SetupContext,
} from './context.ts';
import { Leg } from './leg.ts';
import { acceptClient } from './accept.ts';
import { clientCodecs, failureFor, mediaOptions } from './choices.ts';
import { planOfRequest, planOfResponse } from './session-refresh.ts';
import { uacSessionTimer, uasSessionTimer } from './sip-helpers/session-timer.ts';

export interface OutgoingRequest {
  readonly user: string;
  readonly line: LineInfo;
  /** The number to call, as dialled (digits, *, #, leading +). */
  readonly target: string;
}

export interface OutgoingHandle {
  /** The browser's WebSocket closed before the call was up: cancel the PBX leg. */
  abort(): void;
  /** The call is up (it counts as a call from now on). */
  readonly established: boolean;
  readonly done: Promise<void>;
}

const MIN_SE = 90;

export function startOutgoing(
  ctx: SetupContext,
  tx: ServerTransaction,
  req: OutgoingRequest,
): OutgoingHandle {
  const setup = new OutgoingSetup(ctx, tx, req);
  const done = setup.run().catch((err: unknown) => setup.fail(err));
  return {
    abort: () => setup.abort(),
    done,
    get established() {
      return setup.established;
    },
  };
}

class OutgoingSetup {
  readonly #ctx: SetupContext;
  readonly #tx: ServerTransaction;
  readonly #req: OutgoingRequest;
  readonly #log;
  #media: CallMedia | undefined;
  #call: Call | undefined;
  #pbxTx: ClientTransaction | undefined;
  /** The browser cancelled or vanished: nothing more goes to it. */
  #stopped = false;
  /** The browser got its final response. */
  #answered = false;
  #pbxAnswered: string | undefined;
  #clientAnswer: Promise<string> | undefined;
  #provisionals: Promise<void> = Promise.resolve();
  #sentProvisional = new Set<number>();
  #pbxDialog: string | undefined;
  /** The journal's id of this call (also the Call's id once it is up). */
  readonly #id = randomUUID();
  readonly #journal: CallJournal;
  #offered = false;
  readonly #events: MediaEvent[] = [];

  constructor(ctx: SetupContext, tx: ServerTransaction, req: OutgoingRequest) {
    this.#ctx = ctx;
    this.#tx = tx;
    this.#req = req;
    this.#log = ctx.log.child({
      line: req.line.plan.id,
      user: req.user,
      sipCallId: callId(tx.request),
    });
    this.#journal = ctx.journal(req.line);
  }

  async run(): Promise<void> {
    const tx = this.#tx;
    const offer = tx.request.body.toString('utf8');
    if (offer.length === 0) {
      this.#reply(488, 'Not Acceptable Here - an SDP offer is required');
      return;
    }
    // Refused before the PBX rings: an offer without a codec the line group allows (RFC 3264 §6).
    const usable = sdpCodecs(offer).filter((c) => this.#req.line.codecs.client.includes(c));
    if (usable.length === 0) {
      this.#reply(488, 'Not Acceptable Here - no audio codec the line allows', [
        header('Warning', `304 linegate "offer ${this.#req.line.codecs.client.join(', ')}"`),
      ]);
      return;
    }
    const clientTimer = uasSessionTimer(tx.request, { minSE: MIN_SE });
    if (clientTimer.kind === 'too-small' || clientTimer.kind === 'invalid') {
      this.#reply(
        clientTimer.status,
        clientTimer.reason,
        clientTimer.kind === 'too-small' ? clientTimer.responseHeaders : [],
      );
      return;
    }
    tx.onCancel = () => this.#cancelled();
    const line = this.#req.line;
    this.#log.info({ to: this.#req.target, registered: line.registered }, 'outgoing call');
    this.#journal.offered({
      id: this.#id,
      direction: 'outgoing',
      line: line.plan.id,
      user: this.#req.user,
      remoteNumber: this.#req.target,
      remoteName: undefined,
      calledNumber: undefined,
      divertedFrom: undefined,
      at: this.#ctx.now(),
    });
    this.#offered = true;
    this.#media = await this.#ctx.createMedia(mediaOptions(line), (e) => this.#mediaEvent(e));
    if (this.#isStopped()) return this.#closeMedia();
    const pbxOffer = await this.#media.pbxOffer();
    if (this.#isStopped()) return this.#closeMedia();
    const { request, result } = await this.#invitePbx(pbxOffer);
    await this.#provisionals;
    const res = result.response;
    if (res.status >= 200 && res.status < 300) {
      await this.#connected(request, res, clientTimer);
      return;
    }
    this.#log.info({ status: res.status, source: result.source }, 'the PBX refused the call');
    this.#reply(...failureFor(result));
    await this.#closeMedia();
  }

  get established(): boolean {
    return this.#call !== undefined;
  }

  /** Read through methods: field reads would be narrowed across awaits. */
  #isStopped(): boolean {
    return this.#stopped;
  }

  #isAnswered(): boolean {
    return this.#answered;
  }

  fail(err: unknown): void {
    this.#log.error({ err }, 'outgoing call setup failed');
    this.#stopped = true;
    this.#pbxTx?.cancel();
    this.#reply(500, 'Server Internal Error');
    void this.#closeMedia();
  }

  abort(): void {
    if (this.#stopped || this.#call !== undefined) return;
    this.#log.info('the browser went away while the call was being set up');
    this.#stopped = true;
    this.#answered = true;
    this.#pbxTx?.cancel([header('Reason', 'SIP;cause=487;text="Caller gone"')]);
    this.#journalEnd('cancelled');
  }

  async #invitePbx(sdp: string): Promise<{ request: SipRequest; result: UacResult }> {
    const line = this.#req.line;
    const { host, port } = line.plan.registrar;
    const target = pbxTarget(line, this.#req.target);
    const invite = createRequest({
      method: 'INVITE',
      requestUri: target,
      from: {
        uri: sipUri(line.plan.username, host, port === 5060 ? undefined : port),
        displayName: line.plan.displayName,
      },
      to: { uri: target },
      contact: pbxContact(line, this.#ctx.pbxSentBy),
      headers: [header('Allow', CALL_ALLOW), header('User-Agent', this.#ctx.userAgent)],
      body: Buffer.from(sdp),
      contentType: 'application/sdp',
    });
    const result = await sendWithAuth(
      this.#ctx.sip,
      invite,
      udpDestination(host, port),
      lineAuth(line),
      {
        onProvisional: (res) => {
          this.#provisionals = this.#provisionals
            .then(() => this.#provisional(res))
            .catch((err: unknown) => this.#log.warn({ err }, 'early media setup failed'));
        },
        onAdditional2xx: (res) => this.#extra2xx(res),
        onSent: (ctx) => {
          this.#pbxTx = ctx;
          if (this.#isStopped()) ctx.cancel();
        },
        proceed: () => !this.#stopped,
      },
    );
    return { request: result.request, result };
  }

  async #provisional(res: SipResponse): Promise<void> {
    if (res.status === 100 || this.#answered) return;
    const media = this.#media;
    if (res.body.length > 0 && media !== undefined) {
      // Early media (RFC 3960): the PBX's answer now, the browser's answer in a 183.
      await this.#setPbxAnswer(res.body.toString('utf8'));
      const answer = await this.#answerForClient();
      if (this.#isAnswered()) return;
      this.#sendProvisional(183, 'Session Progress', answer);
      return;
    }
    const status = res.status === 183 ? 183 : 180;
    if (this.#sentProvisional.has(status)) return;
    this.#sendProvisional(status, status === 180 ? 'Ringing' : res.reason);
  }

  #sendProvisional(status: number, reason: string, sdp?: string): void {
    this.#sentProvisional.add(status);
    this.#tx.reply(status, reason, {
      headers: [
        contactHeader(this.#ctx.clientContact),
        ...(sdp === undefined ? [] : [header('Content-Type', 'application/sdp')]),
      ],
      ...(sdp === undefined ? {} : { body: Buffer.from(sdp) }),
    });
  }

  async #connected(
    request: SipRequest,
    res: SipResponse,
    clientTimer: ReturnType<typeof uasSessionTimer>,
  ): Promise<void> {
    const line = this.#req.line;
    const { host, port } = line.plan.registrar;
    const dialog = dialogFromResponse(request, res);
    if (dialog === undefined) throw new Error('a 2xx without a dialog');
    const pbx = new Leg(
      'pbx',
      dialog,
      { kind: 'pbx', fallback: { host, port }, auth: lineAuth(line) },
      this.#ctx.env,
    );
    pbx.ackInvite(request, res);
    this.#pbxDialog = pbx.key;
    const media = this.#media;
    if (this.#isStopped() || media === undefined) {
      void pbx.request('BYE', { headers: [header('Reason', 'SIP;cause=487;text="Cancelled"')] });
      return this.#closeMedia();
    }
    try {
      if (res.body.length > 0) await this.#setPbxAnswer(res.body.toString('utf8'));
      if (this.#pbxAnswered === undefined) throw new Error('the PBX answered without SDP');
      const answer = await this.#answerForClient();
      if (this.#isStopped()) throw new Error('the browser went away');
      await this.#established(pbx, media, answer, res, clientTimer);
    } catch (err) {
      this.#log.warn({ err }, 'call answered by the PBX could not be connected');
      void pbx.request('BYE', { headers: [header('Reason', 'Q.850;cause=41')] });
      this.#reply(488, 'Not Acceptable Here - media could not be connected');
      await this.#closeMedia();
    }
  }

  async #established(
    pbx: Leg,
    media: CallMedia,
    answer: string,
    pbx2xx: SipResponse,
    clientTimer: ReturnType<typeof uasSessionTimer>,
  ): Promise<void> {
    const { response, leg: client } = acceptClient(this.#ctx, this.#tx, answer, clientTimer);
    this.#answered = true;
    const call = this.#ctx.start({
      info: {
        id: this.#id,
        direction: 'outgoing',
        line: this.#req.line.plan.id,
        user: this.#req.user,
        remote: this.#req.target,
      },
      client,
      pbx,
      media,
      events: this.#events,
      timers: {
        client: planOfRequest(clientTimer),
        pbx: planOfResponse(uacSessionTimer(pbx2xx)),
      },
    });
    this.#call = call;
    this.#journal.answered(this.#id, { user: this.#req.user, at: this.#ctx.now() });
    const ack = await client.respond2xx(this.#tx, response);
    if (ack === undefined) await call.end({ kind: 'no-ack', leg: 'client' });
  }

  async #setPbxAnswer(sdp: string): Promise<void> {
    if (this.#pbxAnswered === sdp || this.#media === undefined) return;
    await this.#media.setPbxAnswer(sdp);
    this.#pbxAnswered = sdp;
  }

  /** The browser's answer, once: it must be the same in the 183 and the 200. */
  #answerForClient(): Promise<string> {
    const media = this.#media;
    if (media === undefined) return Promise.reject(new Error('no media'));
    this.#clientAnswer ??= media.clientAnswer(this.#tx.request.body.toString('utf8'), {
      codecs: clientCodecs(this.#req.line.codecs.client, this.#pbxAnswered),
    });
    return this.#clientAnswer;
  }

  #extra2xx(res: SipResponse): void {
    const id = responseDialogId(res);
    const call = this.#call;
    if (id !== undefined && call !== undefined && dialogKey(id) === this.#pbxDialog) {
      call.pbx.resendAck(res);
      return;
    }
    // Another fork answered too (RFC 6026): ACK it and hang it up (§13.2.2.4).
    if (tagOf(to(res)) === undefined || this.#pbxTx === undefined) return;
    const dialog = dialogFromResponse(this.#pbxTx.request, res);
    if (dialog === undefined) return;
    const line = this.#req.line;
    const extra = new Leg(
      'pbx',
      dialog,
      { kind: 'pbx', fallback: line.plan.registrar, auth: lineAuth(line) },
      this.#ctx.env,
    );
    extra.ackInvite(this.#pbxTx.request, res);
    void extra.request('BYE', {});
  }

  #cancelled(): void {
    if (this.#answered) return;
    this.#log.info('the browser cancelled');
    this.#stopped = true;
    this.#reply(487, 'Request Terminated');
    this.#pbxTx?.cancel();
  }

  #mediaEvent(e: MediaEvent): void {
    if (this.#call !== undefined) this.#call.mediaEvent(e);
    else this.#events.push(e);
  }

  #reply(status: number, reason: string, headers = [] as ReturnType<typeof header>[]): void {
    if (this.#answered) return;
    this.#answered = true;
    this.#tx.reply(status, reason, { headers });
    this.#journalEnd(resultOf('outgoing', status), status);
  }

  #journalEnd(result: JournalResult, status?: number): void {
    if (!this.#offered || this.#call !== undefined) return;
    this.#offered = false;
    this.#journal.ended(this.#id, { at: this.#ctx.now(), result, status });
  }

  async #closeMedia(): Promise<void> {
    if (this.#call !== undefined) return;
    await this.#media?.close().catch(() => undefined);
  }
}
