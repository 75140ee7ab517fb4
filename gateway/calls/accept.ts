/**
 * Accepting an INVITE on either side (§13.3.1.4, §12.1.1): our 2xx with
 * the negotiated session-timer headers (RFC 4028 §9) and the Leg of the
 * dialog it creates, toward a browser (its WebSocket flow) or toward the
 * PBX (its address, the line's credentials). Outgoing calls accept the
 * browser's INVITE, incoming ones the PBX's, and a pickup the picker's.
 */
import type { LineInfo } from '../lines/manager.ts';
import type { Logger } from '../log.ts';
import type { CallMedia } from '../media/index.ts';
import { dialogFromRequest } from '../sip/dialog/index.ts';
import type { SipResponse } from '../sip/message/types.ts';
import type { ServerTransaction } from '../sip/stack.ts';
import { inviteOk, lineAuth, pbxContact, type SetupContext } from './context.ts';
import type { Call } from './call.ts';
import { Leg } from './leg.ts';
import type { uasSessionTimer } from './sip-helpers/session-timer.ts';

type UasTimer = ReturnType<typeof uasSessionTimer> | undefined;

export interface Accepted {
  readonly response: SipResponse;
  readonly leg: Leg;
}

/** A browser's INVITE (over its WebSocket; never UDP). */
export function acceptClient(
  ctx: Pick<SetupContext, 'clientContact' | 'env'>,
  tx: ServerTransaction,
  sdp: string,
  timer: UasTimer,
): Accepted {
  if (tx.flow.transport === 'udp') throw new Error('a browser call over UDP');
  const contact = ctx.clientContact;
  const response = inviteOk(tx, contact, sdp, {
    timerHeaders: timer?.kind === 'timer' ? timer.responseHeaders : [],
    recordRoute: false,
  });
  const leg = new Leg(
    'client',
    dialogFromRequest(tx.request, response, contact),
    { kind: 'flow', connectionId: tx.flow.connectionId },
    ctx.env,
  );
  return { response, leg };
}

/** The PBX's INVITE to a line: Record-Route copied, our Contact as the line's. */
export function acceptPbx(
  ctx: Pick<SetupContext, 'pbxSentBy' | 'userAgent' | 'env'>,
  line: LineInfo,
  tx: ServerTransaction,
  sdp: string,
  timer: UasTimer,
): Accepted {
  const contact = pbxContact(line, ctx.pbxSentBy);
  const response = inviteOk(tx, contact, sdp, {
    timerHeaders: timer?.kind === 'timer' ? timer.responseHeaders : [],
    recordRoute: true,
    userAgent: ctx.userAgent,
  });
  const leg = new Leg(
    'pbx',
    dialogFromRequest(tx.request, response, contact),
    {
      kind: 'pbx',
      fallback: { host: tx.flow.remoteAddress, port: tx.flow.remotePort },
      auth: lineAuth(line),
    },
    ctx.env,
  );
  return { response, leg };
}

/**
 * Our 2xx to the PBX until its ACK (§13.3.1.4); with a late offer the ACK
 * holds the PBX's answer (§13.2.1), which goes to `lateOffer`'s media. No
 * ACK, or no usable answer in it, ends the call.
 */
export async function confirmPbx(
  accepted: Accepted & { readonly tx: ServerTransaction },
  call: Call,
  lateOffer: CallMedia | undefined,
  log: Logger,
): Promise<void> {
  const ack = await accepted.leg.respond2xx(accepted.tx, accepted.response);
  if (ack === undefined) {
    void call.end({ kind: 'no-ack', leg: 'pbx' });
    return;
  }
  if (lateOffer === undefined) return;
  try {
    if (ack.body.length === 0) throw new Error('no SDP answer in the ACK');
    await lateOffer.setPbxAnswer(ack.body.toString('utf8'));
  } catch (err) {
    log.warn({ err }, 'late-offer answer from the PBX not usable');
    void call.end({ kind: 'media', detail: 'no usable answer in the ACK' });
  }
}
