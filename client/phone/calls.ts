/**
 * The phone's calls: placing and taking them, the commands on them, and
 * what happens to all of them when the connection goes or the devices
 * change. One call talks at a time: placing, answering or swapping to a
 * call holds the others that are up.
 */
import type { RTCSession } from 'jssip/lib/RTCSession.js';
import type { IncomingRequest } from 'jssip/lib/SIPMessage.js';
import type { UA } from 'jssip/lib/UA.js';
import { CALLED_HEADER, DIVERTED_HEADER, LINE_HEADER } from '#shared/api.ts';
import { PhoneCall, describe } from './call.ts';
import { Cause } from './end-reason.ts';
import { headerText, parseDiverted, partyOf } from './headers.ts';
import { mediaConstraints, openMicrophone, stopStream } from './media.ts';
import { dialableNumber, dtmfTones, sipTarget } from './numbers.ts';
import { PhoneError, type AudioDevices, type CallView } from './types.ts';

/** What the calls need from the phone around them. */
export interface CallsHost {
  /** The running UA and what it was configured with; undefined when signed out. */
  sip(): { ua: UA; domain: string; pcConfig: RTCConfiguration; registered: boolean } | undefined;
  devices(): AudioDevices;
  /** The user's lines (ids), to check a chosen line. */
  lineIds(): readonly string[];
  changed(): void;
}

const OFFER = { offerToReceiveAudio: true, offerToReceiveVideo: false } as const;

export class Calls {
  readonly #host: CallsHost;
  #calls: PhoneCall[] = [];
  #views: readonly CallView[] | undefined;

  constructor(host: CallsHost) {
    this.#host = host;
  }

  get views(): readonly CallView[] {
    return (this.#views ??= this.#calls.map((c) => c.view));
  }

  /** Some call is not over: ringing, dialing or up. */
  get live(): boolean {
    return this.#calls.some((c) => !c.ended);
  }

  async call(number: string, line: string | undefined): Promise<string> {
    const dialed = dialableNumber(number);
    const chosen = line === undefined || line === '' ? undefined : line;
    if (chosen !== undefined && !this.#host.lineIds().includes(chosen)) {
      throw new PhoneError('failed', `"${chosen.slice(0, 64)}" is not one of your lines.`);
    }
    this.#connected();
    const stream = await openMicrophone(this.#host.devices().input);
    let sip;
    try {
      sip = this.#connected();
      await this.#holdOthers(undefined);
    } catch (err) {
      stopStream(stream);
      throw err;
    }
    let session: RTCSession;
    try {
      session = sip.ua.call(sipTarget(dialed, sip.domain), {
        extraHeaders: chosen === undefined ? [] : [`${LINE_HEADER}: ${chosen}`],
        mediaStream: stream,
        mediaConstraints: mediaConstraints(this.#host.devices().input),
        pcConfig: sip.pcConfig,
        rtcOfferConstraints: OFFER,
      });
    } catch (err) {
      stopStream(stream);
      throw new PhoneError('failed', `The call could not be placed (${describe(err)}).`);
    }
    const call = this.#add(
      new PhoneCall(
        session,
        {
          direction: 'outgoing',
          remote: { number: dialed, anonymous: false },
          line: chosen,
          local: stream,
        },
        () => this.#changed(),
      ),
    );
    await call.setOutput(this.#host.devices().output).catch(() => undefined);
    return call.id;
  }

  /** An INVITE from the gateway: a new ringing call. */
  incoming(session: RTCSession, request: IncomingRequest): void {
    const header = (name: string) => headerText(request.getHeader(name));
    const from = request.from as typeof request.from | undefined;
    const call = new PhoneCall(
      session,
      {
        direction: 'incoming',
        remote: partyOf({
          displayName: from?.display_name,
          user: from?.uri.user,
          host: from?.uri.host,
        }),
        line: header(LINE_HEADER),
        called: header(CALLED_HEADER),
        divertedFrom: parseDiverted(header(DIVERTED_HEADER)),
      },
      () => this.#changed(),
    );
    this.#add(call);
    call.setOutput(this.#host.devices().output).catch(() => undefined);
  }

  async answer(id: string): Promise<void> {
    const call = this.#get(id);
    const input = this.#host.devices().input;
    await call.answer(
      async () => {
        const stream = await openMicrophone(input);
        await this.#holdOthers(call);
        return stream;
      },
      (stream) => ({
        mediaStream: stream,
        mediaConstraints: mediaConstraints(input),
        pcConfig: this.#host.sip()?.pcConfig ?? {},
        rtcOfferConstraints: OFFER,
      }),
    );
  }

  decline(id: string, status: 486 | 603): Promise<void> {
    const call = this.#get(id);
    if (call.view.state !== 'ringing' || call.view.direction !== 'incoming') {
      return Promise.reject(new PhoneError('failed', 'Only a ringing call can be declined.'));
    }
    call.terminate({ status });
    return Promise.resolve();
  }

  hangup(id: string): Promise<void> {
    const call = this.#get(id);
    // A ringing call refused by "hang up" is declined as busy.
    call.terminate(call.view.state === 'ringing' ? { status: 486 } : {});
    return Promise.resolve();
  }

  hold(id: string, on: boolean): Promise<void> {
    return this.#get(id).hold(on);
  }

  mute(id: string, on: boolean): void {
    this.#get(id).mute(on);
  }

  sendDtmf(id: string, tones: string): void {
    this.#get(id).sendDtmf(dtmfTones(tones));
  }

  async transfer(id: string, number: string): Promise<void> {
    const call = this.#get(id);
    const target = sipTarget(dialableNumber(number), this.#connected().domain);
    await call.transfer(target);
    // RFC 5589 §6.1: the transferor ends its dialog once the transfer worked.
    call.terminate();
  }

  async swap(id: string): Promise<void> {
    const call = this.#get(id);
    if (call.view.state === 'ringing') {
      await this.answer(id);
      return;
    }
    await this.#holdOthers(call);
    await call.hold(false);
  }

  dismiss(id: string): void {
    const call = this.#calls.find((c) => c.id === id);
    if (call === undefined) return;
    if (!call.ended) throw new PhoneError('failed', 'Hang up the call before dismissing it.');
    this.#calls = this.#calls.filter((c) => c !== call);
    this.#changed();
  }

  remoteStream(id: string): MediaStream | undefined {
    return this.#calls.find((c) => c.id === id)?.remoteStream;
  }

  /** New devices: every call's speaker now, and its microphone when that changed. */
  async devicesChanged(before: AudioDevices, after: AudioDevices): Promise<void> {
    const live = this.#calls.filter((c) => !c.ended);
    await Promise.all(live.map((c) => c.setOutput(after.output)));
    if (before.input === after.input) return;
    for (const call of live.filter((c) => c.view.state !== 'ringing' && !c.answering)) {
      await call.replaceInput(await openMicrophone(after.input));
    }
  }

  /** The WebSocket went: so did every call on it (the gateway ends their PBX legs). */
  lost(): void {
    for (const call of this.#calls) {
      call.terminate({ forced: { reason: 'network' }, cause: Cause.CONNECTION_ERROR });
    }
  }

  /** Signing out: ends every call and forgets them all. */
  clear(): void {
    for (const call of this.#calls) call.terminate();
    this.#calls = [];
    this.#changed();
  }

  #add(call: PhoneCall): PhoneCall {
    this.#calls = [...this.#calls, call];
    this.#changed();
    return call;
  }

  #get(id: string): PhoneCall {
    const call = this.#calls.find((c) => c.id === id);
    if (call === undefined) throw new PhoneError('no-such-call', `There is no call "${id}".`);
    return call;
  }

  #connected(): NonNullable<ReturnType<CallsHost['sip']>> {
    const sip = this.#host.sip();
    if (sip === undefined || !sip.registered) {
      throw new PhoneError('not-connected', 'The phone is not connected to the gateway.');
    }
    return sip;
  }

  /** Holds the calls that are up, except `keep`; a hold that fails does not stop the caller. */
  async #holdOthers(keep: PhoneCall | undefined): Promise<void> {
    const others = this.#calls.filter((c) => c !== keep && c.active && !c.view.held);
    await Promise.allSettled(others.map((c) => c.hold(true)));
  }

  #changed(): void {
    this.#views = undefined;
    this.#host.changed();
  }
}
