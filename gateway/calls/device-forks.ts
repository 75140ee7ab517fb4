/**
 * The INVITEs of one incoming call to the devices (issue #5): one branch per
 * registered device of the line's users, each its own transaction and
 * Call-ID, without SDP (the browsers offer: see incoming.ts). This module
 * keeps the branches' states and cancels the ones still ringing; what the
 * answers mean for the call is incoming.ts's.
 */
import type { LineInfo } from '../lines/manager.ts';
import { createRequest } from '../sip/dialog/index.ts';
import { cloneUri } from '../sip/dialog/route.ts';
import type { HeaderField, SipRequest, SipResponse } from '../sip/message/types.ts';
import { viaFlow, type ClientTransaction } from '../sip/stack.ts';
import { CALL_ALLOW, header, sipUri, type Device, type SetupContext } from './context.ts';
import { browserFrom, type Caller } from './sip-helpers/party.ts';
import { shownCaller } from './sip-helpers/shown-caller.ts';

export interface Branch {
  readonly device: Device;
  readonly invite: SipRequest;
  tx: ClientTransaction | undefined;
  state: 'calling' | 'ringing' | 'answered' | 'failed';
  final: SipResponse | undefined;
}

export interface ForkEvents {
  provisional(branch: Branch, res: SipResponse): void;
  final(branch: Branch, res: SipResponse): void;
  /** A retransmitted 2xx (§13.2.2.4: ACK it again). */
  additional2xx(branch: Branch, res: SipResponse): void;
}

export class DeviceForks {
  readonly #branches: Branch[] = [];

  constructor(
    private readonly ctx: SetupContext,
    private readonly line: LineInfo,
    private readonly on: ForkEvents,
  ) {}

  /** Rings one device; `identity` are the X-Linegate headers of the call. */
  ring(device: Device, identity: readonly HeaderField[], caller: Caller): void {
    const invite = createRequest({
      method: 'INVITE',
      requestUri: cloneUri(device.binding.contact.uri),
      from: browserFrom(shownCaller(caller, this.line), this.ctx.clientDomain),
      to: { uri: sipUri(device.binding.username, this.ctx.clientDomain) },
      contact: this.ctx.clientContact,
      headers: [
        header('Allow', CALL_ALLOW),
        header('Supported', 'timer'),
        header('User-Agent', this.ctx.userAgent),
        ...identity,
      ],
    });
    const branch: Branch = { device, invite, tx: undefined, state: 'calling', final: undefined };
    this.#branches.push(branch);
    branch.tx = this.ctx.sip.sendRequest(invite, viaFlow(device.flow), {
      onProvisional: (res) => {
        if (res.status !== 100) branch.state = 'ringing';
        this.on.provisional(branch, res);
      },
      onFinal: (res) => {
        branch.final = res;
        branch.state = res.status >= 300 ? 'failed' : 'answered';
        this.on.final(branch, res);
      },
      onAdditional2xx: (res) => this.on.additional2xx(branch, res),
    });
  }

  /** Every device refused (or was cancelled). */
  allFailed(): boolean {
    return this.#branches.every((b) => b.state === 'failed');
  }

  /** The final answers the devices gave so far. */
  finals(): SipResponse[] {
    return this.#branches.flatMap((b) => (b.final === undefined ? [] : [b.final]));
  }

  /** CANCEL (with `reason`) to every branch still ringing except `keep`. */
  cancel(reason: readonly HeaderField[], keep?: Branch): void {
    for (const b of this.#branches) {
      if (b !== keep && b.state !== 'failed' && b.state !== 'answered') b.tx?.cancel(reason);
    }
  }
}
