/**
 * A call from the PBX to a line (issue #5): rings every registered device
 * of every user who owns the line, in parallel, and bridges the first one
 * that answers.
 *
 *   PBX ──INVITE──▶ gateway ──INVITE (no SDP)──▶ device 1 … device n  (own Call-IDs)
 *       ◀──180────          ◀──180──────────────
 *       ◀──200────          ◀──200 (offer)──────── device k;  CANCEL (Reason cause=200) → the others
 *       ───ACK───▶          ───ACK (answer)─────▶
 *
 * The browsers make the WebRTC offer (late offer toward them, §13.2.1,
 * which JsSIP handles): the gateway only answers. Were the gateway the
 * offerer, a browser's ICE checks would reach it before its answer, and
 * libdatachannel (0.24) then connects ICE inside setRemoteDescription and
 * may check the DTLS fingerprint before it has stored it — "certificate
 * verify failed", a lost call, seen about once in 20 calls on a loaded
 * machine. As answerer the remote description is in place first.
 *
 * Early offer (SDP in the INVITE) is answered in our 2xx; late offer gets
 * our offer in the 2xx and the answer in the ACK (§13.2.1). The caller's
 * CANCEL cancels every device, with the caller's Reason passed on (so a
 * call answered elsewhere in a hunt group is not shown as missed).
 */
import { randomUUID } from 'node:crypto';
import type { LineInfo } from '../lines/manager.ts';
import type { CallMedia, MediaEvent } from '../media/index.ts';
import { callId, getHeaders } from '../sip/message/headers.ts';
import { formatUri } from '../sip/message/uri.ts';
import type { HeaderField, SipRequest, SipResponse } from '../sip/message/types.ts';
import { contactTarget, dialogFromResponse } from '../sip/dialog/index.ts';
import type { ServerTransaction } from '../sip/stack.ts';
import { Leg } from './leg.ts';
import { acceptClient, acceptPbx, confirmPbx } from './accept.ts';
import { Ringing } from './ringing.ts';
import { refusalAnswer } from './decline.ts';
import { DeviceForks, type Branch } from './device-forks.ts';
import { admission, type Admission } from './admission.ts';
import { clientCodecs, mediaOptions } from './choices.ts';
import { planOfRequest, planOfResponse, type SessionTimerPlan } from './session-refresh.ts';
import type { Call } from './call.ts';
import {
  COMPLETED_ELSEWHERE,
  header,
  pbxTarget,
  resultOf,
  type CallJournal,
  type ForwardTarget,
  type SetupContext,
} from './context.ts';
import { browserIdentityHeaders, calledOf, callerOf, diversionOf } from './sip-helpers/party.ts';
import { uacSessionTimer, uasSessionTimer } from './sip-helpers/session-timer.ts';

const MIN_SE = 90;

export function startIncoming(ctx: SetupContext, tx: ServerTransaction, line: LineInfo): void {
  const setup = new IncomingSetup(ctx, tx, line);
  void setup.run().catch((err: unknown) => setup.fail(err));
}

class IncomingSetup {
  readonly #ctx: SetupContext;
  readonly #tx: ServerTransaction;
  readonly #line: LineInfo;
  readonly #log;
  readonly #forks: DeviceForks;
  #media: CallMedia | undefined;
  #mediaReady: Promise<CallMedia | undefined> | undefined;
  #call: Call | undefined;
  #done = false;
  #winner: Branch | undefined;
  readonly #ring: Ringing;
  /** The journal's id of this call (also the Call's id once it is up). */
  readonly #id = randomUUID();
  readonly #journal: CallJournal;
  #offered = false;
  /** A colleague took the call (pickUp): no device may win any more. */
  #pickedUp = false;
  /** Refused by the user (decline.byClient 180 keeps the caller ringing after that). */
  #declined = false;
  #pbxAnswerSdp: string | undefined;
  #pbxTimer: ReturnType<typeof uasSessionTimer> | undefined;
  #cancelReason: HeaderField[] = [];
  #pendingEvents: MediaEvent[] = [];

  constructor(ctx: SetupContext, tx: ServerTransaction, line: LineInfo) {
    this.#ctx = ctx;
    this.#tx = tx;
    this.#line = line;
    this.#log = ctx.log.child({ line: line.plan.id, sipCallId: callId(tx.request) });
    this.#journal = ctx.journal(line);
    this.#ring = new Ringing(ctx, line, tx, this, () => {
      this.#log.info('nobody answered in time');
      this.#cancelAll([header('Reason', 'SIP;cause=480;text="No answer"')]);
      this.#finish(480, 'Temporarily Unavailable - no answer');
    });
    this.#forks = new DeviceForks(ctx, line, {
      provisional: (_branch, res) => this.#provisional(res),
      final: (branch, res) => void this.#final(branch, res).catch((err: unknown) => this.fail(err)),
      additional2xx: (branch, res) => this.#extra2xx(branch, res),
    });
  }

  async run(): Promise<void> {
    const tx = this.#tx;
    const invite = tx.request;
    const target = contactTarget(invite);
    if (!target.ok || target.uri === undefined) {
      tx.reply(400, `Bad Request - ${target.ok ? 'Missing Contact' : target.reason}`);
      return;
    }
    const timer = uasSessionTimer(invite, { minSE: MIN_SE });
    if (timer.kind === 'too-small' || timer.kind === 'invalid') {
      tx.reply(timer.status, timer.reason, {
        headers: timer.kind === 'too-small' ? timer.responseHeaders : [],
      });
      return;
    }
    this.#pbxTimer = timer;
    const devices = this.#ctx.devices(this.#line.plan.id);
    const caller = callerOf(invite);
    this.#log.info(
      { from: caller.number, devices: devices.length, registered: this.#line.registered },
      'incoming call',
    );
    this.#journal.offered({
      id: this.#id,
      direction: 'incoming',
      line: this.#line.plan.id,
      user: undefined,
      remoteNumber: caller.number ?? '',
      remoteName: caller.name,
      calledNumber: calledOf(invite),
      divertedFrom: diversionOf(invite)?.originalNumber,
      at: this.#ctx.now(),
    });
    this.#offered = true;
    const admitted = admission(this.#ctx, this.#line, caller.number ?? '', devices.length);
    if (admitted.kind !== 'ring') {
      this.#refuse(admitted);
      return;
    }
    tx.onCancel = (cancel) => this.#callerCancelled(cancel);
    tx.onFailure = () => void this.#abort('the PBX transaction failed');
    if ((await this.#prepareMedia()) === undefined) return;
    const identity = browserIdentityHeaders({
      diversion: diversionOf(invite),
      line: this.#line.plan.id,
      called: calledOf(invite),
    });
    for (const device of devices) this.#forks.ring(device, identity, caller);
    this.#ring.count();
    this.#ring.startTimer();
  }

  /**
   * The call's media, created once (the ring path and a pickup may both ask):
   * the PBX's early offer answered now; undefined when the call ended
   * meanwhile or the offer was not acceptable (488).
   */
  #prepareMedia(): Promise<CallMedia | undefined> {
    this.#mediaReady ??= (async () => {
      const media = await this.#ctx.createMedia(mediaOptions(this.#line), (e) =>
        this.#mediaEvent(e),
      );
      this.#media = media;
      if (this.#isDone()) {
        await this.#closeMedia();
        return undefined;
      }
      const invite = this.#tx.request;
      if (invite.body.length === 0) return media;
      try {
        this.#pbxAnswerSdp = await media.pbxAnswer(invite.body.toString('utf8'));
        return media;
      } catch (err) {
        this.#log.info({ err }, 'offer from the PBX not acceptable');
        this.#finish(488, 'Not Acceptable Here');
        return undefined;
      }
    })();
    return this.#mediaReady;
  }

  /** The call does not ring at the devices (admission.ts). */
  #refuse(a: Exclude<Admission, { kind: 'ring' }>): void {
    if (a.kind === 'forward') this.#forward(a.to);
    else if (a.kind === 'busy') {
      this.#log.info('second call while the line is in a call: busy');
      this.#finish(486, 'Busy Here');
    } else {
      if (a.dnd) this.#log.info('do-not-disturb: the call gets decline.noClient');
      if (a.status === 180) this.#keepRinging('no-client');
      else {
        this.#tx.reply(a.status);
        this.#done = true;
        this.#journal.ended(this.#id, {
          at: this.#ctx.now(),
          result: 'unavailable',
          status: a.status,
        });
      }
    }
  }

  /** 302 Moved Temporarily to the target (seeds 001/002): the PBX places the call there. */
  #forward(to: ForwardTarget): void {
    this.#log.info({ to: to.dial, why: to.why, user: to.user }, 'call forwarded');
    const contact = formatUri(pbxTarget(this.#line, to.dial));
    this.#tx.reply(302, 'Moved Temporarily', { headers: [header('Contact', `<${contact}>`)] });
    this.#done = true;
    this.#journal.ended(this.#id, {
      at: this.#ctx.now(),
      result: 'forwarded',
      status: 302,
      forwardedTo: to.dial,
      forwardedBy: to.user,
    });
  }

  /**
   * decline 180 (seed 003): instead of a refusal the caller keeps hearing
   * ringing from the gateway until it gives up (CANCEL), the PBX forwards
   * the call on no-answer, or the ring time runs out.
   */
  #keepRinging(why: 'no-client' | 'declined'): void {
    this.#declined = why === 'declined';
    this.#log.info({ why }, 'the caller keeps ringing (decline 180)');
    this.#tx.onCancel = (cancel) => this.#callerCancelled(cancel);
    this.#ring.send180();
    this.#ring.startTimer();
    // Still ringing for colleagues: they can pick it up (media is made then).
    this.#ring.count();
  }

  /**
   * Gateway-side pickup (seeds 000/003/004, issue #7): a colleague's
   * browser asked for this ringing call (its INVITE to the pickup code,
   * with its offer). It gets the call as if its device had answered; the
   * ringing devices get CANCEL "Call completed elsewhere". False when the
   * call can no longer be picked up (answered, over, not ready).
   */
  async pickUp(tx: ServerTransaction, user: string): Promise<boolean> {
    if (this.#isDone() || this.#winner !== undefined || this.#pickedUp) return false;
    if (tx.flow.transport === 'udp') return false;
    const timer = uasSessionTimer(tx.request, { minSE: MIN_SE });
    if (timer.kind === 'too-small' || timer.kind === 'invalid') return false;
    this.#pickedUp = true;
    this.#ring.stop();
    this.#cancelAll([COMPLETED_ELSEWHERE]);
    const media = await this.#prepareMedia();
    if (media === undefined || this.#isDone()) {
      tx.reply(480, 'Temporarily Unavailable - the call is over');
      return true;
    }
    const answer = await this.#answerBrowser(media, tx.request.body, user);
    if (answer === undefined) {
      tx.reply(488, 'Not Acceptable Here');
      return true;
    }
    const { response, leg: client } = acceptClient(this.#ctx, tx, answer, timer);
    this.#log.info({ by: user }, 'picked up at the gateway');
    void client.respond2xx(tx, response).then((ack) => {
      if (ack === undefined) void this.#call?.end({ kind: 'no-ack', leg: 'client' });
    });
    await this.#answerPbx(client, { user, timer: planOfRequest(timer) });
    return true;
  }

  /** Read through a method: a field read would be narrowed across awaits. */
  #isDone(): boolean {
    return this.#done;
  }

  fail(err: unknown): void {
    this.#log.error({ err }, 'incoming call setup failed');
    this.#cancelAll([]);
    this.#finish(500, 'Server Internal Error');
  }

  #provisional(res: SipResponse): void {
    if (res.status === 100 || this.#done) return;
    this.#ring.send180();
  }

  async #final(branch: Branch, res: SipResponse): Promise<void> {
    if (res.status >= 300) {
      if (this.#forks.allFailed()) this.#allFailed();
      return;
    }
    const dialog = dialogFromResponse(branch.invite, res);
    if (dialog === undefined) return;
    const leg = new Leg(
      'client',
      dialog,
      { kind: 'flow', connectionId: branch.device.flow.connectionId },
      this.#ctx.env,
    );
    const media = this.#media;
    if (this.#isDone() || this.#winner !== undefined || this.#pickedUp || media === undefined) {
      // Too late: another device won, or the caller gave up (§13.2.2.4: ACK, then BYE).
      leg.ackInvite(branch.invite, res);
      void leg.request('BYE', { headers: [COMPLETED_ELSEWHERE] });
      return;
    }
    this.#winner = branch;
    this.#ring.stop();
    this.#cancelAll([COMPLETED_ELSEWHERE]);
    const answer = await this.#answerBrowser(media, res.body, branch.device.binding.username);
    if (answer === undefined) {
      leg.ackInvite(branch.invite, res);
      void leg.request('BYE', { headers: [header('Reason', 'SIP;cause=488')] });
      return;
    }
    // §13.2.1: the 2xx held the offer, so the ACK carries the answer.
    leg.ackInvite(branch.invite, res, Buffer.from(answer));
    await this.#answerPbx(leg, {
      user: branch.device.binding.username,
      timer: planOfResponse(uacSessionTimer(res)),
    });
  }

  /**
   * Our answer to the offer of the browser that takes the call (in its 2xx,
   * or a picker's INVITE); undefined when it is not usable — the caller
   * then gets 480.
   */
  async #answerBrowser(media: CallMedia, offer: Buffer, user: string): Promise<string | undefined> {
    try {
      if (offer.length === 0) throw new Error('the browser sent no SDP offer');
      return await media.clientAnswer(offer.toString('utf8'), {
        codecs: clientCodecs(this.#line.codecs.client, this.#pbxAnswerSdp),
      });
    } catch (err) {
      this.#log.warn({ err, user }, 'the offer of the browser was not usable');
      this.#finish(480, 'Temporarily Unavailable - media setup failed');
      return undefined;
    }
  }

  async #answerPbx(
    client: Leg,
    by: { readonly user: string; readonly timer: SessionTimerPlan },
  ): Promise<void> {
    const media = this.#media;
    if (media === undefined || this.#isDone()) {
      void client.request('BYE', {});
      return;
    }
    const tx = this.#tx;
    const lateOffer = this.#pbxAnswerSdp === undefined;
    const sdp = this.#pbxAnswerSdp ?? (await media.pbxOffer());
    if (this.#isDone()) {
      void client.request('BYE', {});
      return;
    }
    const timer = this.#pbxTimer;
    const { response, leg: pbx } = acceptPbx(this.#ctx, this.#line, tx, sdp, timer);
    this.#done = true;
    const caller = callerOf(tx.request);
    const call = this.#ctx.start({
      info: {
        id: this.#id,
        direction: 'incoming',
        line: this.#line.plan.id,
        user: by.user,
        remote: caller.number ?? '',
      },
      client,
      pbx,
      media,
      events: this.#pendingEvents,
      timers: {
        client: by.timer,
        pbx: timer === undefined ? { kind: 'none' } : planOfRequest(timer),
      },
    });
    this.#call = call;
    this.#journal.answered(this.#id, {
      user: call.info.user,
      at: this.#ctx.now(),
      pickedUp: this.#pickedUp,
    });
    await confirmPbx({ leg: pbx, tx, response }, call, lateOffer ? media : undefined, this.#log);
  }

  #extra2xx(branch: Branch, res: SipResponse): void {
    // A retransmitted 2xx: ACK again (§13.2.2.4); the Leg remembers the ACK of the winner.
    if (branch === this.#winner) this.#call?.client.resendAck(res);
  }

  #callerCancelled(cancel: SipRequest): void {
    const reasons = getHeaders(cancel, 'Reason').map((f) => header('Reason', f.value));
    this.#cancelReason = reasons;
    this.#log.info({ reason: reasons[0]?.value }, 'caller cancelled');
    this.#cancelAll(reasons);
    this.#finish(487, 'Request Terminated');
  }

  #allFailed(): void {
    // The devices were cancelled because a colleague picked the call up.
    if (this.#isDone() || this.#pickedUp) return;
    const answer = refusalAnswer(this.#forks.finals(), this.#line.decline.byClient);
    this.#log.info({ answer }, 'no device took the call');
    if (answer.kind === 'keep-ringing') this.#keepRinging('declined');
    else this.#finish(answer.status, answer.reason);
  }

  #mediaEvent(e: MediaEvent): void {
    if (this.#call !== undefined) {
      this.#call.mediaEvent(e);
      return;
    }
    this.#pendingEvents.push(e);
    if (e.type === 'ended') {
      this.#cancelAll([]);
      this.#finish(500, 'Server Internal Error - media failed');
    }
  }

  async #abort(why: string): Promise<void> {
    this.#log.warn({ why }, 'incoming call aborted');
    this.#ring.stop();
    this.#cancelAll([]);
    this.#done = true;
    await this.#closeMedia();
  }

  #cancelAll(reason: readonly HeaderField[]): void {
    this.#forks.cancel(reason.length > 0 ? reason : this.#cancelReason, this.#winner);
  }

  /** Final non-2xx answer toward the PBX; the media goes. */
  #finish(status: number, reason?: string): void {
    this.#ring.stop();
    if (this.#isDone()) return;
    this.#done = true;
    if (this.#offered) {
      const result = this.#declined ? 'declined' : resultOf('incoming', status);
      this.#journal.ended(this.#id, { at: this.#ctx.now(), result, status });
    }
    if (this.#tx.state !== 'Terminated' && !(this.#tx.cancelled && status !== 487))
      this.#tx.reply(status, reason);
    void this.#closeMedia();
  }

  async #closeMedia(): Promise<void> {
    if (this.#call !== undefined) return;
    await this.#media?.close().catch(() => undefined);
  }
}
