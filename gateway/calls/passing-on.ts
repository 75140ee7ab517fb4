/**
 * Requests within a call that the B2BUA passes from one leg to the other
 * instead of answering them itself:
 *
 * - INFO (RFC 6086): application/dtmf-relay from the browser becomes an
 *   RFC 4733 event toward the PBX (JsSIP's default DTMF); INFO from the
 *   PBX is shown to the browser.
 * - REFER (RFC 3515), blind transfer from the browser: the PBX leg gets a
 *   REFER to the dialled number at the line's registrar, the browser the
 *   PBX's answer. The PBX (or the phone behind it) then places the new
 *   call and reports in NOTIFYs with a message/sipfrag body (§2.4.4),
 *   which go on to the browser unchanged.
 */
import type { Logger } from '../log.ts';
import type { CallMedia } from '../media/index.ts';
import { cseq, getHeader } from '../sip/message/headers.ts';
import { parseNameAddr } from '../sip/message/name-addr.ts';
import type { ServerTransaction } from '../sip/stack.ts';
import type { Leg, LegSide } from './leg.ts';
import { dialledNumber } from './choices.ts';
import { DTMF_INFO_ACCEPT, isBodilessInfo, parseDtmfInfo } from './sip-helpers/dtmf-info.ts';

export async function passInfo(
  tx: ServerTransaction,
  from: LegSide,
  client: Leg,
  media: CallMedia,
  log: Logger,
): Promise<void> {
  if (isBodilessInfo(tx.request)) {
    tx.reply(200, 'OK'); // an INFO without body probes the dialog (RFC 6086 §4.2.2)
    return;
  }
  if (from === 'pbx') {
    // Shown by the browser (JsSIP newInfo/newDTMF); the PBX gets its 200 at once.
    tx.reply(200, 'OK');
    const type = getHeader(tx.request, 'Content-Type') ?? 'application/octet-stream';
    void client.request('INFO', { body: tx.request.body, contentType: type });
    return;
  }
  const dtmf = parseDtmfInfo(tx.request);
  if (!dtmf.ok) {
    tx.reply(dtmf.status, dtmf.reason, {
      headers: dtmf.status === 415 ? [{ name: 'Accept', value: DTMF_INFO_ACCEPT }] : [],
    });
    return;
  }
  try {
    await media.sendDtmf(dtmf.digit, dtmf.durationMs);
    tx.reply(200, 'OK');
  } catch (err) {
    log.warn({ err }, 'DTMF could not be sent to the PBX');
    tx.reply(488, 'Not Acceptable Here - no telephone-event toward the PBX');
  }
}

/**
 * The REFERs passed on, PBX CSeq → browser CSeq: the NOTIFYs name their
 * REFER by CSeq in the Event id parameter (RFC 3515 §2.4.6), and JsSIP
 * finds its transfer by that id. The pair is known as the REFER goes out:
 * the PBX may send its first NOTIFYs before its 202 is handled (§2.4.4
 * allows a NOTIFY to overtake the 202). `accepted` holds the browser CSeqs
 * the PBX answered 2xx; `done` those whose final NOTIFY (sipfrag status
 * ≥ 200) went to the browser.
 */
export interface ReferIds {
  readonly byPbx: Map<number, number>;
  readonly accepted: Set<number>;
  readonly done: Set<number>;
}

export function referIds(): ReferIds {
  return { byPbx: new Map(), accepted: new Set(), done: new Set() };
}

/**
 * A transfer the PBX accepted whose end the browser has not heard of yet.
 * When the PBX then hangs up, the transfer went through (a blind transfer's
 * transferee leaves once the new call is up); its final NOTIFY may still be
 * on its way, or come after the BYE and find no dialog. The browser gets
 * the "200 OK" sipfrag from us before the BYE (RFC 3515 §2.4.5), so it
 * does not report a failed transfer.
 */
export function finishTransfers(ids: ReferIds, client: Leg): void {
  for (const ours of ids.accepted) {
    if (ids.done.has(ours)) continue;
    ids.done.add(ours);
    void client.request('NOTIFY', {
      headers: [
        { name: 'Event', value: `refer;id=${ours}` },
        { name: 'Subscription-State', value: 'terminated;reason=noresource' },
      ],
      body: Buffer.from('SIP/2.0 200 OK\r\n'),
      contentType: 'message/sipfrag;version=2.0',
    });
  }
}

/** The browser asks for a blind transfer (RFC 3515 §2.4.1). */
export async function passRefer(
  tx: ServerTransaction,
  pbx: Leg,
  target: (number: string) => string,
  ids: ReferIds,
  log: Logger,
): Promise<void> {
  const number = referNumber(getHeader(tx.request, 'Refer-To'));
  if (number === undefined) {
    tx.reply(400, 'Bad Request - Refer-To must name a phone number');
    return;
  }
  const ours = cseq(tx.request).seq;
  let theirs: number | undefined;
  // Replaces (attended transfer, RFC 3891) needs both calls on the PBX: not offered.
  const r = await pbx.request('REFER', {
    headers: [
      { name: 'Refer-To', value: `<${target(number)}>` },
      { name: 'Referred-By', value: `<${target(pbxUser(pbx))}>` },
    ],
    beforeSend: (refer) => {
      theirs = cseq(refer).seq;
      ids.byPbx.set(theirs, ours);
    },
  });
  const { status, reason } = r.response;
  log.info({ to: number, status }, 'transfer passed to the PBX');
  const accepted = r.source === 'network' && status >= 200 && status < 300;
  if (accepted) ids.accepted.add(ours);
  else if (theirs !== undefined) ids.byPbx.delete(theirs);
  if (r.source !== 'network') tx.reply(503, 'Service Unavailable - the PBX did not answer');
  else if (accepted) tx.reply(202, 'Accepted');
  else if (status === 401 || status === 407) tx.reply(403, 'Forbidden - the PBX refused');
  else tx.reply(status, reason);
}

/** A NOTIFY of the transfer's progress from the PBX (RFC 3515 §2.4.4) goes to the browser. */
export function passNotify(tx: ServerTransaction, client: Leg, ids: ReferIds): void {
  tx.reply(200, 'OK');
  const event = getHeader(tx.request, 'Event') ?? 'refer';
  const id = /;\s*id\s*=\s*(\d+)/i.exec(event)?.[1];
  const ours = id === undefined ? [...ids.byPbx.values()][0] : ids.byPbx.get(Number(id));
  if (ours !== undefined && /^SIP\/2\.0 [2-6]\d\d/.test(tx.request.body.toString('latin1')))
    ids.done.add(ours);
  const headers = [
    { name: 'Event', value: ours === undefined ? event : `refer;id=${ours}` },
    ...['Subscription-State']
      .map((name) => ({ name, value: getHeader(tx.request, name) }))
      .filter((h): h is { name: string; value: string } => h.value !== undefined),
  ];
  const type = getHeader(tx.request, 'Content-Type') ?? 'message/sipfrag;version=2.0';
  void client.request('NOTIFY', { headers, body: tx.request.body, contentType: type });
}

/** The number a Refer-To names (its URI user, %-escapes undone), if it is one. */
export function referNumber(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const uri = parseNameAddr(value, { what: 'Refer-To' }).uri;
    const user = uri.kind === 'sip' ? uri.user : telNumber(uri.text);
    if (user === undefined) return undefined;
    return dialledNumber(user);
  } catch {
    return undefined;
  }
}

function telNumber(text: string): string | undefined {
  const m = /^tel:([^;]+)/i.exec(text);
  return m?.[1];
}

function pbxUser(pbx: Leg): string {
  const uri = pbx.dialog.localUri;
  return uri.kind === 'sip' ? (uri.user ?? '') : '';
}
