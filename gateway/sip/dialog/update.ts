/**
 * Moving a dialog along as requests and responses pass through it
 * (RFC 3261 §12.2, §12.3, §13.2.2.4, §15; RFC 3311 §5 for UPDATE).
 *
 * - State: early → confirmed on a 2xx to the dialog-creating INVITE;
 *   → terminated on a non-2xx final response to it (§12.3), on a 481 or
 *   408 to any request in the dialog (§12.2.1.2), and on BYE (§15).
 * - Remote target: replaced by the Contact of a target-refresh request
 *   received (§12.2.2) or of a 2xx to one we sent (§12.2.1.2).
 * - Route set: fixed once computed (§12.1). The one exception is the UAC's
 *   early dialog, whose route set the confirming 2xx recomputes
 *   (§13.2.2.4); a re-INVITE's Record-Route never changes it.
 * - Remote CSeq: requests must arrive in order (§12.2.2); the verdict says
 *   what to answer instead of throwing.
 */
import { reasonPhrase } from '../message/build.ts';
import { cseq, from, tagOf } from '../message/headers.ts';
import type { SipRequest, SipResponse } from '../message/types.ts';
import { contactTarget, parseRecordRoute, terminate, type Dialog } from './dialog.ts';

/**
 * Target-refresh methods (§12.2, §12.2.1.1): INVITE (re-INVITE, RFC 3261
 * §14) and UPDATE (RFC 3311 §5.1). SUBSCRIBE/NOTIFY (RFC 6665) are not
 * dialogs this gateway uses.
 */
export const TARGET_REFRESH_METHODS: ReadonlySet<string> = new Set(['INVITE', 'UPDATE']);

export function isTargetRefresh(method: string): boolean {
  return TARGET_REFRESH_METHODS.has(method);
}

/**
 * Tags compare case-insensitively: §7.3.1 makes parameter values
 * case-insensitive unless a header says otherwise (and the transaction
 * keys compare them the same way).
 */
export function sameTag(a: string | undefined, b: string | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase());
}

/**
 * Applies a response within the dialog, whichever way it travels: its From
 * tag says who sent the request. From tag = our local tag: a response we
 * received to our request; otherwise a response we send to the peer's.
 * Responses to the dialog-creating INVITE count as within the dialog. The
 * response must belong to this dialog (same dialogKey, dialog-set.ts).
 *
 * Throws LinegateError 'sip.parse' only when a confirming 2xx has a
 * malformed Record-Route; an unusable Contact in a 2xx leaves the remote
 * target as it was.
 */
export function updateFromResponse(dialog: Dialog, response: SipResponse): Dialog {
  if (dialog.state === 'terminated') return dialog;
  const ours = sameTag(tagOf(from(response)), dialog.id.localTag);
  return ours ? afterReceivedResponse(dialog, response) : afterSentResponse(dialog, response);
}

function afterReceivedResponse(dialog: Dialog, response: SipResponse): Dialog {
  const { method } = cseq(response);
  if (response.status >= 300) return afterFailure(dialog, method, response.status);
  if (response.status < 200) return dialog;
  let next = dialog;
  if (isTargetRefresh(method)) {
    const target = contactTarget(response);
    if (target.ok && target.uri !== undefined) next = { ...next, remoteTarget: target.uri };
  }
  if (dialog.state === 'early' && method === 'INVITE') {
    // §13.2.2.4: "the route set for the dialog MUST be recomputed based on
    // the 2xx response" — reversed Record-Route, as at creation (§12.1.2).
    const routeSet = dialog.role === 'uac' ? parseRecordRoute(response).reverse() : dialog.routeSet;
    next = { ...next, state: 'confirmed', routeSet };
  }
  // §15.1.1: the session ends once BYE is sent; a 2xx to it ends the dialog.
  return method === 'BYE' ? terminate(next) : next;
}

function afterFailure(dialog: Dialog, method: string, status: number): Dialog {
  // §12.2.1.2: "If the response for a request within a dialog is a 481 or a
  // 408, the UAC SHOULD terminate the dialog."
  if (status === 481 || status === 408) return terminate(dialog);
  // §12.3: a non-2xx final response to the dialog-creating request ends
  // its early dialogs. (An early dialog sees no other INVITE: a re-INVITE
  // needs a confirmed dialog.)
  if (dialog.state === 'early' && method === 'INVITE') return terminate(dialog);
  // §15.1.1: the session is over once BYE is sent, however it is answered;
  // only a challenged BYE is sent again with credentials (§22.2).
  if (method === 'BYE' && status !== 401 && status !== 407) return terminate(dialog);
  return dialog;
}

function afterSentResponse(dialog: Dialog, response: SipResponse): Dialog {
  const { method } = cseq(response);
  const initialInvite = dialog.state === 'early' && method === 'INVITE';
  if (response.status < 200) return dialog;
  if (response.status >= 300) return initialInvite ? terminate(dialog) : dialog;
  let next = dialog;
  if (isTargetRefresh(method)) {
    // Our 2xx to a target refresh may move our own Contact (§12.2.2, RFC 3311 §5.2).
    const target = contactTarget(response);
    if (target.ok && target.uri !== undefined) next = { ...next, localTarget: target.uri };
  }
  // §12.1.1: the UAS route set came from the request and stays as it is.
  return initialInvite ? { ...next, state: 'confirmed' } : next;
}

/** What to do with a request received within a dialog (§12.2.2). */
export type RequestVerdict =
  | { readonly ok: true; readonly dialog: Dialog }
  | {
      readonly ok: false;
      /** Answer with this status and reason; the dialog is unchanged. */
      readonly status: 400 | 481 | 500;
      readonly reason: string;
      readonly dialog: Dialog;
    };

/**
 * Checks and applies a request the peer sent within the dialog (§12.2.2):
 * - terminated dialog → 481 (the TU answers 481 too when no dialog matches);
 * - ACK and CANCEL carry the INVITE's CSeq number (§13.2.2.4, §9.1), so
 *   they are exempt from ordering and change nothing (an ACK is never
 *   answered: its verdict is only informative);
 * - CSeq lower than the remote CSeq → 500 (§12.2.2). An equal one is
 *   refused alike: retransmissions are absorbed by the transaction layer,
 *   so an equal number is a new request that broke §8.1.1.5 / §12.2.1.1;
 * - otherwise the remote CSeq takes the request's number; a target refresh
 *   replaces the remote target with its Contact, if any (§12.2.2), and an
 *   unusable Contact there is a 400; BYE terminates the dialog (§15.1.2).
 */
export function updateFromRequest(dialog: Dialog, request: SipRequest): RequestVerdict {
  if (dialog.state === 'terminated') return reject(dialog, 481);
  if (request.method === 'ACK' || request.method === 'CANCEL') return { ok: true, dialog };
  const { seq } = cseq(request);
  if (dialog.remoteCseq !== undefined && seq <= dialog.remoteCseq) return reject(dialog, 500);
  let next: Dialog = { ...dialog, remoteCseq: seq };
  if (isTargetRefresh(request.method)) {
    const target = contactTarget(request);
    if (!target.ok) return reject(dialog, 400, target.reason);
    if (target.uri !== undefined) next = { ...next, remoteTarget: target.uri };
  }
  return { ok: true, dialog: request.method === 'BYE' ? terminate(next) : next };
}

function reject(dialog: Dialog, status: 400 | 481 | 500, detail?: string): RequestVerdict {
  const phrase = reasonPhrase(status);
  return {
    ok: false,
    status,
    reason: detail === undefined ? phrase : `${phrase} - ${detail}`,
    dialog,
  };
}
